import Testing
#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxCgroups

/// cgroup v1 on the real machine (root, kernel cgroupfs). Every test uses a
/// parent no other run uses and sweeps it in a defer, so a failing test
/// leaves no group and no process behind.
@Suite("cgroup v1 on this machine")
struct V1MachineTests {
    @Test("create writes the limits, the kernel reads them back, devices are a whitelist")
    func limits() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        defer { RealCgroups.sweep(driver, parent: parent) }
        let manager = try driver.manager(id: "c1", parent: parent)
        #expect(manager.version == .v1)
        #expect(manager.confinesDevices)

        try manager.create(limits: CgroupLimits(memoryBytes: 32 << 20, pidsMax: 64, cpus: 0.5))
        #expect(manager.exists())
        let memory = driver.controllerMounts["memory"]! + "/" + parent + "/c1"
        let pids = driver.controllerMounts["pids"]! + "/" + parent + "/c1"
        let cpu = driver.controllerMounts["cpu"]! + "/" + parent + "/c1"
        var expected = [(memory + "/memory.limit_in_bytes", "33554432")]
        if FS.exists(memory + "/memory.memsw.limit_in_bytes") {
            expected.append((memory + "/memory.memsw.limit_in_bytes", "33554432"))
        }
        expected += [(pids + "/pids.max", "64"), (cpu + "/cpu.cfs_quota_us", "50000"),
                     (cpu + "/cpu.cfs_period_us", "100000")]
        let files = manager.limitFiles()
        #expect(files.map(\.path) == expected.map(\.0))
        #expect(files.map(\.value) == expected.map(\.1))

        let devices = driver.controllerMounts["devices"]! + "/" + parent + "/c1/devices.list"
        let rules = (FS.readTextIfPresent(devices) ?? "").split(separator: "\n").map(String.init)
        #expect(!rules.contains("a *:* rwm"), "no longer allow-all")
        #expect(Set(rules) == Set(CgroupV1Manager.defaultAllowedDevices))

        #expect(manager.oomKillCount() == 0)
        #expect(manager.memoryUsage() == 0)
        #expect(manager.pidsCurrent() == 0)
        #expect(manager.processes().isEmpty)

        try manager.destroy()
        for path in manager.paths { #expect(!FS.exists(path)) }
        for mount in driver.controllerMounts.values { #expect(!FS.exists(mount + "/" + parent)) }
    }

    @Test("no limits leave the kernel's defaults")
    func defaults() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        defer { RealCgroups.sweep(driver, parent: parent) }
        let manager = try driver.manager(id: "c1", parent: parent)
        try manager.create(limits: CgroupLimits())
        let values = Dictionary(manager.limitFiles().map { (Path.base($0.path), $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(values["pids.max"] == "max")
        #expect(values["cpu.cfs_quota_us"] == "-1")
        #expect(Int64(values["memory.limit_in_bytes"] ?? "") ?? 0 > 1 << 60)
        try manager.destroy()
    }

    @Test("join, freeze (not SIGSTOP: the task is not in state T), thaw, destroy kills and removes all")
    func lifecycle() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        var child: SleepChild?
        defer {
            RealCgroups.sweep(driver, parent: parent)
            child?.finish()
        }
        let manager = try driver.manager(id: "c1", parent: parent)
        try manager.create(limits: CgroupLimits(memoryBytes: 16 << 20, pidsMax: 8))

        let sleeper = try SleepChild()
        child = sleeper
        try manager.join(pid: sleeper.pid)
        #expect(manager.processes() == [sleeper.pid])
        #expect(manager.pidsCurrent() == 1)
        // Pages charged before the join stay with the old group (v1 does not
        // move charges), so usage may well read 0 here: the runtime joins
        // before execve so that everything the container maps is charged.
        #expect(manager.memoryUsage() != nil)
        let membership = FS.readTextIfPresent("/proc/\(sleeper.pid)/cgroup") ?? ""
        #expect(membership.contains(":memory:/\(parent)/c1\n"))
        #expect(membership.contains(":freezer:/\(parent)/c1\n"))

        try manager.freeze()
        #expect(manager.isFrozen())
        let frozenState = ProcFS.statusField(sleeper.pid, "State") ?? ""
        #expect(!frozenState.hasPrefix("T"), "frozen, not stopped: State is \(frozenState)")
        #expect(CgroupFile.read(driver.controllerMounts["freezer"]! + "/\(parent)/c1/freezer.state") == "FROZEN")

        try manager.thaw()
        #expect(!manager.isFrozen())
        // THAWED is reported before the task has run again; it is back to
        // sleeping once the scheduler has woken it.
        var thawedState = ""
        for _ in 0..<200 {
            thawedState = ProcFS.statusField(sleeper.pid, "State") ?? ""
            if thawedState.hasPrefix("S") { break }
            usleep(5000)
        }
        #expect(thawedState.hasPrefix("S"), "State after thaw: \(thawedState)")

        try manager.destroy()
        let status = try sleeper.reap()
        #expect(status.map { Processes.terminatingSignal(fromWaitStatus: $0) } == SIGKILL)
        #expect(!manager.exists())
        for mount in driver.controllerMounts.values { #expect(!FS.exists(mount + "/" + parent)) }
    }

    @Test("destroying a frozen group thaws it first, so the kill lands")
    func destroyFrozen() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        var child: SleepChild?
        defer {
            RealCgroups.sweep(driver, parent: parent)
            child?.finish()
        }
        let manager = try driver.manager(id: "c1", parent: parent)
        try manager.create(limits: CgroupLimits())
        let sleeper = try SleepChild()
        child = sleeper
        try manager.join(pid: sleeper.pid)
        try manager.freeze()
        let started = Clock.monotonicMs()
        try manager.destroy()
        #expect(Clock.monotonicMs() - started < 3000)
        let status = try sleeper.reap()
        #expect(status.map { Processes.terminatingSignal(fromWaitStatus: $0) } == SIGKILL)
        #expect(!manager.exists())
    }

    @Test("the parent stays while another container uses it")
    func sharedParent() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        defer { RealCgroups.sweep(driver, parent: parent) }
        let first = try driver.manager(id: "c1", parent: parent)
        let second = try driver.manager(id: "c2", parent: parent)
        try first.create(limits: CgroupLimits(pidsMax: 4))
        try second.create(limits: CgroupLimits(pidsMax: 4))
        try first.destroy()
        #expect(!first.exists())
        #expect(second.exists())
        try second.destroy()
        for mount in driver.controllerMounts.values { #expect(!FS.exists(mount + "/" + parent)) }
        try first.destroy()  // idempotent
    }

    @Test("-m is a hard cap: past it the OOM killer ends the process, and oom_kill counts it")
    func oomKill() throws {
        guard let driver = try RealCgroups.driver() else { return }
        let parent = RealCgroups.uniqueParent()
        var pid: pid_t = 0
        defer {
            RealCgroups.sweep(driver, parent: parent)
            if pid > 0 { kill(pid, SIGKILL); _ = try? Processes.wait(pid, stage: "test") }
        }
        let manager = try driver.manager(id: "c1", parent: parent)
        try manager.create(limits: CgroupLimits(memoryBytes: 8 << 20))
        // A shell that waits on stdin, joins, then holds 64 MiB in a variable.
        let gate = try Processes.pipe(stage: "test")
        pid = try Processes.spawn(
            "/bin/sh", arguments: ["sh", "-c", "read x; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived"],
            environment: ["PATH=/usr/bin:/bin"], fds: [0: gate.read], stage: "test")
        close(gate.read)
        try manager.join(pid: pid)
        _ = try FS.writeAll(fd: gate.write, Array("go\n".utf8), stage: "test")
        close(gate.write)
        #expect(try Processes.waitForExit(pid, timeoutMs: 10_000, stage: "test"))
        let status = try Processes.wait(pid, stage: "test")
        pid = 0
        #expect(Processes.terminatingSignal(fromWaitStatus: status) == SIGKILL)
        #expect(manager.oomKillCount() >= 1)
        try manager.destroy()
    }
}
