import Foundation
import Testing

/// cgroup limits, seen from the host.
@Suite("resource limits", .serialized)
struct LimitsTests {
    @Test("a memory hog under -m 32m is OOM-killed and reported")
    func oomKill() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let result = try lab.run(["run", "--name", "hog", "-m", "32m", "busybox", "sh", "-c",
                                  "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done"], timeout: 120)
        #expect(result.status == 137)
        let state = try lab.state("hog")
        #expect(state["OOMKilled"] as? Bool == true)
        #expect(state["ExitCode"] as? Int == 137)
        #expect(state["Status"] as? String == "exited")
    }

    @Test("a fork bomb under --pids-limit 64 is contained")
    func forkBomb() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["run", "-d", "--pids-limit", "64", "busybox", "sleep", "120"])
        // The classic bomb, entered with exec so it joins the container's cgroup.
        try lab.ok(["exec", "-d", id, "sh", "-c", "f() { f | f & }; f 2>/dev/null"])
        usleep(1_500_000)
        let current = Int(hostFile("/sys/fs/cgroup/pids/boxlab/\(id)/pids.current")
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(current > 0 && current <= 64, "pids.current = \(current)")
        #expect(hostFile("/sys/fs/cgroup/pids/boxlab/\(id)/pids.max").hasPrefix("64"))
        // The host still forks freely.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/true")
        try probe.run()
        probe.waitUntilExit()
        #expect(probe.terminationStatus == 0)
        #expect(try lab.state(id)["Status"] as? String == "running", "PID 1 survives the bomb")
        try lab.ok(["rm", "-f", id])
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids/boxlab/\(id)"))
    }

    @Test("pause freezes (not SIGSTOP), unpause resumes")
    func pauseFreezes() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["run", "-d", "busybox", "sh", "-c", "while true; do sleep 0.05; done"])
        let pid = try lab.state(id)["Pid"] as? Int ?? 0
        #expect(pid > 0)
        try lab.ok(["pause", id])
        #expect(try lab.state(id)["Status"] as? String == "paused")
        #expect(hostFile("/sys/fs/cgroup/freezer/boxlab/\(id)/freezer.state").hasPrefix("FROZEN"))
        let frozenState = hostStatus(Int32(pid), "State")
        #expect(!frozenState.hasPrefix("T"), "frozen tasks are not stopped by SIGSTOP: \(frozenState)")
        let ps = try lab.ok(["ps"])
        #expect(ps.contains("(Paused)"))
        try lab.ok(["unpause", id])
        #expect(try lab.state(id)["Status"] as? String == "running")
        #expect(hostFile("/sys/fs/cgroup/freezer/boxlab/\(id)/freezer.state").hasPrefix("THAWED"))
    }

    @Test("--cpus and -m are written to the cgroup")
    func limitFiles() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["run", "-d", "--cpus", "0.5", "-m", "64m", "busybox", "sleep", "30"])
        #expect(hostFile("/sys/fs/cgroup/cpu/boxlab/\(id)/cpu.cfs_quota_us").hasPrefix("50000"))
        #expect(hostFile("/sys/fs/cgroup/memory/boxlab/\(id)/memory.limit_in_bytes").hasPrefix("67108864"))
        let info = try lab.inspect(id)
        let hostConfig = info["HostConfig"] as? [String: Any] ?? [:]
        #expect(hostConfig["Memory"] as? Int == 67_108_864)
        #expect(hostConfig["NanoCpus"] as? Int == 500_000_000)
    }
}
