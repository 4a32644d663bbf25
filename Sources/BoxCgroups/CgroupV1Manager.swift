#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A container's group on cgroup v1: one directory per hierarchy
/// (memory, pids, cpu, freezer, devices), each holding its controller's
/// files, and the process joined to every one of them.
public struct CgroupV1Manager: CgroupManager {
    public let version = CgroupVersion.v1
    public let name: String
    /// controller → the group's directory in that controller's hierarchy.
    public let directories: [String: String]
    /// controller → the parent's directory ("…/memory/boxlab").
    public let parentDirectories: [String: String]
    public var waitTimeoutMs: Int64 = 5000

    /// runc's default device rules (libcontainer's AllowedDevices), written
    /// after "a" to devices.deny: mknod of any node is allowed (so images
    /// can carry device files), but reading or writing only these —
    /// null, zero, full, random, urandom, tty, console, ptmx, the pts
    /// terminals and tun. Everything else (disks, /dev/mem, …) is refused
    /// even to root in the container.
    public static let defaultAllowedDevices = [
        "c *:* m", "b *:* m",
        "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
        "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
    ]

    init(controllerMounts: [String: String], parent: String, id: String) {
        name = parent + "/" + id
        var directories: [String: String] = [:]
        var parents: [String: String] = [:]
        for (controller, mount) in controllerMounts {
            directories[controller] = mount + "/" + parent + "/" + id
            parents[controller] = mount + "/" + parent
        }
        self.directories = directories
        parentDirectories = parents
    }

    /// Each distinct directory once, in `CgroupDriver.v1Controllers` order
    /// (co-mounted controllers share one directory).
    public var paths: [String] {
        var result: [String] = []
        for controller in CgroupDriver.v1Controllers {
            if let dir = directories[controller], !result.contains(dir) { result.append(dir) }
        }
        return result
    }

    public var confinesDevices: Bool { directories["devices"] != nil }

    private func directory(_ controller: String, neededFor purpose: String) throws -> String {
        guard let dir = directories[controller] else {
            throw CgroupError.controllerMissing(controller: controller, neededFor: purpose)
        }
        return dir
    }

    // MARK: - Create and join

    public func create(limits: CgroupLimits) throws {
        do {
            for dir in paths { try CgroupFile.makeGroupDirectory(dir) }
            if let bytes = limits.memoryBytes {
                let dir = try directory("memory", neededFor: "a memory limit (-m)")
                try writeMemoryLimit(dir: dir, bytes: bytes)
            }
            if let pids = limits.pidsMax {
                let dir = try directory("pids", neededFor: "a pids limit (--pids-limit)")
                try CgroupFile.write(dir + "/pids.max", String(pids))
            }
            if let quota = limits.cpuQuotaMicros {
                let dir = try directory("cpu", neededFor: "a CPU limit (--cpus)")
                try CgroupFile.write(dir + "/cpu.cfs_period_us", String(CgroupLimits.cpuPeriodMicros))
                try CgroupFile.write(dir + "/cpu.cfs_quota_us", String(quota))
            }
            if let dir = directories["devices"] {
                // Deny everything, then allow the default list: a whitelist.
                try CgroupFile.write(dir + "/devices.deny", "a")
                for rule in Self.defaultAllowedDevices {
                    try CgroupFile.write(dir + "/devices.allow", rule)
                }
            }
        } catch {
            try? destroy()
            throw error
        }
    }

    /// memory.limit_in_bytes caps RAM only; past it the kernel would push the
    /// container's pages to swap and let it carry on, slowly. Setting
    /// memory.memsw.limit_in_bytes (RAM + swap) to the same value leaves no
    /// room for swap, so `-m 32m` is a hard cap: exceed it and the OOM killer
    /// ends the process (exit 137, OOMKilled) — what the lesson shows. (Docker
    /// by default allows as much swap again; boxlab chooses the predictable
    /// cap.) memsw exists only with swap accounting, hence "if present".
    /// The kernel requires memsw ≥ limit at every moment, so when raising an
    /// existing limit memsw must go first; on EINVAL the order is swapped.
    private func writeMemoryLimit(dir: String, bytes: Int64) throws {
        let limit = dir + "/memory.limit_in_bytes"
        let memsw = dir + "/memory.memsw.limit_in_bytes"
        let value = String(bytes)
        let hasMemsw = FS.exists(memsw)
        do {
            try CgroupFile.write(limit, value)
        } catch let error as SysError where error.errno == EINVAL && hasMemsw {
            try CgroupFile.write(memsw, value)
            try CgroupFile.write(limit, value)
            return
        }
        if hasMemsw { try CgroupFile.write(memsw, value) }
    }

    public func join(pid: pid_t) throws {
        for dir in paths { try CgroupFile.write(dir + "/cgroup.procs", String(pid)) }
    }

    // MARK: - Freezer

    /// Writes FROZEN and waits for freezer.state to read FROZEN (it reads
    /// FREEZING while tasks are still being caught). FROZEN is written again
    /// on every poll: that makes the kernel retry tasks it could not freeze
    /// yet. If the group never freezes it is thawed again, so a failed pause
    /// does not leave the container half-frozen.
    public func freeze() throws {
        let state = try directory("freezer", neededFor: "pause") + "/freezer.state"
        try CgroupFile.write(state, "FROZEN")
        var last = ""
        let frozen = CgroupFile.waitUntil(timeoutMs: waitTimeoutMs) {
            last = CgroupFile.read(state) ?? ""
            if last == "FROZEN" { return true }
            try? CgroupFile.write(state, "FROZEN")
            return false
        }
        if !frozen {
            try? CgroupFile.write(state, "THAWED")
            throw CgroupError.timedOut(operation: "freeze", path: state, waitedMs: waitTimeoutMs, lastSeen: last)
        }
    }

    public func thaw() throws {
        let state = try directory("freezer", neededFor: "unpause") + "/freezer.state"
        try CgroupFile.write(state, "THAWED")
        var last = ""
        let thawed = CgroupFile.waitUntil(timeoutMs: waitTimeoutMs) {
            last = CgroupFile.read(state) ?? ""
            return last == "THAWED"
        }
        if !thawed {
            throw CgroupError.timedOut(operation: "thaw", path: state, waitedMs: waitTimeoutMs, lastSeen: last)
        }
    }

    /// FREEZING (not every task caught yet) counts as not frozen.
    public func isFrozen() -> Bool {
        guard let dir = directories["freezer"] else { return false }
        return CgroupFile.read(dir + "/freezer.state") == "FROZEN"
    }

    // MARK: - Readings

    /// The "oom_kill N" line of memory.oom_control (kernel 4.13+).
    public func oomKillCount() -> Int {
        guard let dir = directories["memory"],
              let value = CgroupFile.keyedValue(dir + "/memory.oom_control", "oom_kill") else { return 0 }
        return Int(value) ?? 0
    }

    public func memoryUsage() -> Int64? {
        directories["memory"].flatMap { CgroupFile.readInt64($0 + "/memory.usage_in_bytes") }
    }

    public func pidsCurrent() -> Int64? {
        directories["pids"].flatMap { CgroupFile.readInt64($0 + "/pids.current") }
    }

    public func processes() -> [pid_t] {
        var seen = Set<pid_t>()
        for dir in paths { seen.formUnion(CgroupFile.pids(dir + "/cgroup.procs")) }
        return seen.sorted()
    }

    public func limitFiles() -> [(path: String, value: String)] {
        var files: [String] = []
        if let dir = directories["memory"] {
            files += [dir + "/memory.limit_in_bytes", dir + "/memory.memsw.limit_in_bytes"]
        }
        if let dir = directories["pids"] { files.append(dir + "/pids.max") }
        if let dir = directories["cpu"] {
            files += [dir + "/cpu.cfs_quota_us", dir + "/cpu.cfs_period_us"]
        }
        return files.compactMap { path in CgroupFile.read(path).map { (path: path, value: $0) } }
    }

    // MARK: - Destroy

    /// Thaws first: SIGKILL cannot be delivered to a frozen task, so killing
    /// a paused container would otherwise wait forever.
    public func destroy() throws {
        if let dir = directories["freezer"], FS.exists(dir + "/freezer.state"),
           CgroupFile.read(dir + "/freezer.state") != "THAWED" {
            var quick = self
            quick.waitTimeoutMs = min(waitTimeoutMs, 1000)
            try? quick.thaw()
        }
        let procs = paths.map { $0 + "/cgroup.procs" }
        CgroupTeardown.killAll(procsFiles: procs, timeoutMs: 2000)
        var firstError: Error?
        for dir in paths {
            do {
                try CgroupTeardown.removeGroup(dir) {
                    CgroupTeardown.killAll(procsFiles: procs, timeoutMs: 100)
                }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        var parents: [String] = []
        for controller in CgroupDriver.v1Controllers {
            if let dir = parentDirectories[controller], !parents.contains(dir) { parents.append(dir) }
        }
        for dir in parents { CgroupTeardown.removeParentIfEmpty(dir) }
        if let firstError { throw firstError }
    }

    public func exists() -> Bool {
        paths.contains { FS.isDirectory($0) }
    }
}
