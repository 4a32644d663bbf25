import Testing
#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxCgroups

/// A fresh directory under /tmp laid out by each test like cgroupfs,
/// removed by `remove()` (call it in a defer).
struct ScratchTree {
    let root: String

    init() throws {
        var template = Array("/tmp/boxlab-cgtest-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SysError.current("test", "mkdtemp") }
        root = String(cString: made)
    }

    /// Writes a file as the kernel would have made it (parents included).
    func put(_ relative: String, _ content: String) throws {
        let path = root + "/" + relative
        try FS.makeDirectories(Path.parent(path), stage: "test")
        try FS.write(path, Array(content.utf8), flags: O_WRONLY | O_CREAT | O_TRUNC, stage: "test")
    }

    func text(_ relative: String) -> String? {
        FS.readTextIfPresent(root + "/" + relative)
    }

    func exists(_ relative: String) -> Bool {
        FS.exists(root + "/" + relative)
    }

    func remove() {
        try? FS.removeTree(root)
    }
}

/// Whether the tests that need the real machine's cgroup v1 can run, and why
/// not. Without them: skipped with the reason, or failed when CI=true (a CI
/// runner is expected to provide root and cgroups, so a skip would hide a
/// broken runner).
enum RealCgroups {
    /// The machine's v1 driver with every controller boxlab uses, or nil
    /// after recording why (see the type's comment).
    static func driver(sourceLocation: SourceLocation = #_sourceLocation) throws -> CgroupDriver? {
        let reason: String
        if getuid() != 0 {
            reason = "needs root to create cgroups (uid \(getuid()))"
        } else {
            do {
                let driver = try CgroupDriver.detect()
                let missing = CgroupDriver.v1Controllers.filter { driver.controllerMounts[$0] == nil }
                if driver.version != .v1 {
                    reason = "needs cgroup v1; this machine has the unified hierarchy (v2) at \(driver.mountRoot)"
                } else if !missing.isEmpty {
                    reason = "cgroup v1 controllers not mounted: \(missing.joined(separator: ", "))"
                } else {
                    return driver
                }
            } catch {
                reason = "no cgroups here: \(error)"
            }
        }
        return try unavailable(reason, sourceLocation)
    }

    /// A v2 driver on the machine's cgroup2 mount: the root on a pure v2
    /// host, or the controller-less `unified` tree of a hybrid host (where
    /// the v2 freezer and cgroup.kill still work, being core features).
    static func unifiedDriver(sourceLocation: SourceLocation = #_sourceLocation) throws -> CgroupDriver? {
        let reason: String
        if getuid() != 0 {
            reason = "needs root to create cgroups (uid \(getuid()))"
        } else if let detected = try? CgroupDriver.detect(), detected.version == .v2 {
            return detected
        } else {
            let text = FS.readTextIfPresent("/proc/self/mountinfo") ?? ""
            let mount = CgroupMount.parse(mountInfo: text).last { $0.fsType == "cgroup2" }
            if let mount, FS.exists(mount.mountPoint + "/cgroup.procs") {
                return CgroupDriver(version: .v2, mountRoot: mount.mountPoint)
            }
            reason = "no cgroup2 mount in /proc/self/mountinfo"
        }
        return try unavailable(reason, sourceLocation)
    }

    private static func unavailable(_ reason: String, _ sourceLocation: SourceLocation) throws -> CgroupDriver? {
        if let ci = getenv("CI"), String(cString: ci) == "true" {
            Issue.record(Comment(rawValue: "CI=true but this test cannot run: \(reason)"), sourceLocation: sourceLocation)
            return nil
        }
        try Test.cancel(Comment(rawValue: "skipped: \(reason)"), sourceLocation: sourceLocation)
    }

    /// A parent name no other run uses, so parallel tests never collide.
    static func uniqueParent() -> String {
        "boxlab-test-" + Hex.encode(Random.bytes(6))
    }

    /// Removes anything a failed test left under `parent` in every hierarchy.
    static func sweep(_ driver: CgroupDriver, parent: String) {
        let roots = driver.version == .v2 ? [driver.mountRoot] : Array(Set(driver.controllerMounts.values))
        for mount in roots {
            let dir = mount + "/" + parent
            for name in (try? FS.list(dir)) ?? [] where FS.isDirectory(dir + "/" + name) {
                if let manager = try? driver.manager(id: name, parent: parent) { try? manager.destroy() }
            }
            _ = rmdir(dir)
        }
    }
}

/// A `/bin/sleep 30` child, killed and reaped by `finish()` if still there.
final class SleepChild {
    let pid: pid_t
    private var reaped = false
    private(set) var waitStatus: Int32 = 0

    init() throws {
        pid = try Processes.spawn("/bin/sleep", arguments: ["sleep", "30"], environment: [], fds: [:], stage: "test")
    }

    /// Waits (bounded) for the child to end and reaps it; returns its wait status.
    @discardableResult
    func reap(timeoutMs: Int32 = 3000) throws -> Int32? {
        if reaped { return waitStatus }
        guard try Processes.waitForExit(pid, timeoutMs: timeoutMs, stage: "test") else { return nil }
        waitStatus = try Processes.wait(pid, stage: "test")
        reaped = true
        return waitStatus
    }

    func finish() {
        if reaped { return }
        kill(pid, SIGKILL)
        _ = try? reap()
    }
}
