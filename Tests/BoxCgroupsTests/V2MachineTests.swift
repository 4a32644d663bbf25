import Testing
#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxCgroups

/// The v2 manager on the kernel's own cgroup2: on this hybrid machine the
/// controller-less /sys/fs/cgroup/unified, where the freezer (cgroup.freeze,
/// cgroup.events) and cgroup.kill are real even without cpu/memory/pids.
@Suite("cgroup v2 on this machine's cgroup2 mount")
struct V2MachineTests {
    @Test("join, freeze (cgroup.events says frozen 1; the task is not in state T), thaw, destroy while frozen")
    func lifecycle() throws {
        guard let driver = try RealCgroups.unifiedDriver() else { return }
        let parent = RealCgroups.uniqueParent()
        var child: SleepChild?
        defer {
            RealCgroups.sweep(driver, parent: parent)
            child?.finish()
        }
        let offered = (CgroupFile.read(driver.mountRoot + "/cgroup.controllers") ?? "").split(separator: " ")
        let limits = offered.contains("pids") ? CgroupLimits(pidsMax: 16) : CgroupLimits()
        let manager = try driver.manager(id: "c1", parent: parent)
        try manager.create(limits: limits)
        #expect(manager.exists())
        #expect(!manager.confinesDevices)
        if limits.pidsMax != nil {
            #expect(manager.limitFiles().first { $0.path.hasSuffix("/pids.max") }?.value == "16")
        }

        let sleeper = try SleepChild()
        child = sleeper
        try manager.join(pid: sleeper.pid)
        #expect(manager.processes() == [sleeper.pid])
        #expect((FS.readTextIfPresent("/proc/\(sleeper.pid)/cgroup") ?? "").contains("0::/\(parent)/c1\n"))

        try manager.freeze()
        #expect(manager.isFrozen())
        #expect(CgroupFile.keyedValue(manager.paths[0] + "/cgroup.events", "frozen") == "1")
        let state = ProcFS.statusField(sleeper.pid, "State") ?? ""
        #expect(!state.hasPrefix("T"), "frozen, not stopped: State is \(state)")

        try manager.thaw()
        #expect(!manager.isFrozen())

        try manager.freeze()
        try manager.destroy()
        let status = try sleeper.reap()
        #expect(status.map { Processes.terminatingSignal(fromWaitStatus: $0) } == SIGKILL)
        #expect(!manager.exists())
        #expect(!FS.exists(driver.mountRoot + "/" + parent))
    }
}
