#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A container's group on cgroup v2: one directory in the unified tree.
/// A controller's files appear in a group only when its parent lists the
/// controller in cgroup.subtree_control, so creating a group first switches
/// cpu, memory and pids on along the way down from the root.
public struct CgroupV2Manager: CgroupManager {
    public let version = CgroupVersion.v2
    public let name: String
    /// The unified hierarchy's mount point (or a scratch tree in tests).
    public let mountRoot: String
    /// The parent's path components below the root ("boxlab" → ["boxlab"]).
    public let parentComponents: [String]
    /// The group's directory.
    public let directory: String
    public var waitTimeoutMs: Int64 = 5000

    init(mountRoot: String, parent: String, id: String) {
        self.mountRoot = mountRoot
        name = parent + "/" + id
        parentComponents = parent.split(separator: "/").map(String.init)
        directory = mountRoot + "/" + parent + "/" + id
    }

    public var paths: [String] { [directory] }
    public var parentDirectory: String { Path.parent(directory) }

    /// v2 has no devices file (see `CgroupManager.confinesDevices`).
    public var confinesDevices: Bool { false }

    // MARK: - Create and join

    public func create(limits: CgroupLimits) throws {
        do {
            let available = words(mountRoot + "/cgroup.controllers")
            let wanted = CgroupDriver.v2Controllers.filter { available.contains($0) }
            for (controller, flag) in [("memory", limits.memoryBytes != nil ? "a memory limit (-m)" : nil),
                                       ("pids", limits.pidsMax != nil ? "a pids limit (--pids-limit)" : nil),
                                       ("cpu", limits.cpus != nil ? "a CPU limit (--cpus)" : nil)] {
                if let flag, !wanted.contains(controller) {
                    throw CgroupError.controllerMissing(controller: controller, neededFor: flag)
                }
            }
            // Root → parent: each level hands the controllers to its children.
            // Another container's teardown may remove the shared parent in
            // between; ENOENT then means "walk down again".
            var attempt = 0
            while true {
                do {
                    var level = mountRoot
                    try enable(wanted, in: level)
                    for component in parentComponents {
                        level += "/" + component
                        try FS.makeDirectory(level, stage: "cgroup")
                        try enable(wanted, in: level)
                    }
                    try FS.makeDirectory(directory, stage: "cgroup")
                    break
                } catch let error as SysError where error.errno == ENOENT && attempt < 10 {
                    attempt += 1
                }
            }

            if let bytes = limits.memoryBytes {
                try CgroupFile.write(directory + "/memory.max", String(bytes))
                // memory.max alone lets the group spill into swap; swap.max 0
                // makes -m a hard cap the OOM killer enforces (the lesson's
                // exit 137). The file exists only with swap accounting.
                if FS.exists(directory + "/memory.swap.max") {
                    try CgroupFile.write(directory + "/memory.swap.max", "0")
                }
            }
            if let pids = limits.pidsMax {
                try CgroupFile.write(directory + "/pids.max", String(pids))
            }
            if let quota = limits.cpuQuotaMicros {
                try CgroupFile.write(directory + "/cpu.max", "\(quota) \(CgroupLimits.cpuPeriodMicros)")
            }
        } catch {
            try? destroy()
            throw error
        }
    }

    /// Writes "+cpu +memory +pids" (those missing) to `dir`'s
    /// cgroup.subtree_control in one write; nothing when all are on.
    private func enable(_ controllers: [String], in dir: String) throws {
        let file = dir + "/cgroup.subtree_control"
        let enabled = words(file).map { $0.hasPrefix("+") ? String($0.dropFirst()) : $0 }
        let missing = controllers.filter { !enabled.contains($0) }
        if missing.isEmpty { return }
        try CgroupFile.write(file, missing.map { "+" + $0 }.joined(separator: " "))
    }

    private func words(_ path: String) -> [String] {
        (CgroupFile.read(path) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    public func join(pid: pid_t) throws {
        try CgroupFile.write(directory + "/cgroup.procs", String(pid))
    }

    // MARK: - Freezer

    /// Writes 1 to cgroup.freeze, then waits for "frozen 1" in cgroup.events
    /// (the kernel's confirmation that every task stopped). If it never
    /// comes, the group is thawed again and the error says what was seen.
    public func freeze() throws {
        try setFrozen(true)
    }

    public func thaw() throws {
        try setFrozen(false)
    }

    private func setFrozen(_ frozen: Bool) throws {
        let control = directory + "/cgroup.freeze"
        let events = directory + "/cgroup.events"
        let want = frozen ? "1" : "0"
        try CgroupFile.write(control, want)
        var last = ""
        let done = CgroupFile.waitUntil(timeoutMs: waitTimeoutMs) {
            last = CgroupFile.keyedValue(events, "frozen").map { "frozen \($0)" } ?? ""
            return last == "frozen " + want
        }
        if !done {
            if frozen { try? CgroupFile.write(control, "0") }
            throw CgroupError.timedOut(operation: frozen ? "freeze" : "thaw", path: events,
                                       waitedMs: waitTimeoutMs, lastSeen: last)
        }
    }

    public func isFrozen() -> Bool {
        CgroupFile.keyedValue(directory + "/cgroup.events", "frozen") == "1"
    }

    // MARK: - Readings

    /// The "oom_kill N" line of memory.events.
    public func oomKillCount() -> Int {
        CgroupFile.keyedValue(directory + "/memory.events", "oom_kill").flatMap { Int($0) } ?? 0
    }

    public func memoryUsage() -> Int64? {
        CgroupFile.readInt64(directory + "/memory.current")
    }

    public func pidsCurrent() -> Int64? {
        CgroupFile.readInt64(directory + "/pids.current")
    }

    public func processes() -> [pid_t] {
        CgroupFile.pids(directory + "/cgroup.procs")
    }

    public func limitFiles() -> [(path: String, value: String)] {
        ["memory.max", "memory.swap.max", "pids.max", "cpu.max"].compactMap { file in
            let path = directory + "/" + file
            return CgroupFile.read(path).map { (path: path, value: $0) }
        }
    }

    // MARK: - Destroy

    /// Thaws first (a frozen group's tasks cannot act on SIGKILL until
    /// thawed), kills through cgroup.kill when the kernel has it, then
    /// removes the group and, if now empty, the parent.
    public func destroy() throws {
        if FS.exists(directory + "/cgroup.freeze"), CgroupFile.read(directory + "/cgroup.freeze") != "0" {
            var quick = self
            quick.waitTimeoutMs = min(waitTimeoutMs, 1000)
            try? quick.thaw()
        }
        let procs = [directory + "/cgroup.procs"]
        CgroupTeardown.killAll(procsFiles: procs, killFile: directory + "/cgroup.kill", timeoutMs: 2000)
        try CgroupTeardown.removeGroup(directory) {
            CgroupTeardown.killAll(procsFiles: procs, timeoutMs: 100)
        }
        CgroupTeardown.removeParentIfEmpty(parentDirectory)
    }

    public func exists() -> Bool {
        FS.isDirectory(directory)
    }
}
