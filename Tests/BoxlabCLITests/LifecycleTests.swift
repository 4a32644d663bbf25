import Foundation
import Testing

@Suite("lifecycle and data")
struct LifecycleTests {
    @Test("create → start → pause → unpause → stop → start → kill → rm, and the illegal moves")
    func transitions() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["create", "--name", "cycle", "busybox", "sleep", "300"])
        #expect(try lab.state("cycle")["Status"] as? String == "created")
        #expect(try lab.run(["pause", "cycle"]).status != 0, "a created container cannot be paused")
        #expect(try lab.run(["unpause", "cycle"]).status != 0)
        try lab.ok(["start", "cycle"])
        #expect(try lab.state("cycle")["Status"] as? String == "running")
        #expect(try lab.run(["unpause", "cycle"]).status != 0, "a running container is not paused")
        try lab.ok(["pause", "cycle"])
        #expect(try lab.state("cycle")["Status"] as? String == "paused")
        #expect(try lab.run(["start", "cycle"]).status != 0, "a paused container cannot be started")
        #expect(try lab.run(["exec", "cycle", "true"]).status != 0, "no exec into a paused container")
        try lab.ok(["unpause", "cycle"])
        try lab.ok(["stop", "-t", "1", "cycle"])
        var state = try lab.state("cycle")
        #expect(state["Status"] as? String == "exited")
        #expect(state["ExitCode"] as? Int == 137, "sleep as PID 1 ignores SIGTERM, so stop ends in SIGKILL")
        #expect(try lab.run(["kill", "cycle"]).status != 0, "an exited container cannot be killed")
        try lab.ok(["start", "cycle"])
        #expect(try lab.state("cycle")["Status"] as? String == "running")
        let rm = try lab.run(["rm", "cycle"])
        #expect(rm.status != 0 && rm.stderr.contains("running"), "rm refuses a running container")
        try lab.ok(["kill", "cycle"])
        state = try lab.state("cycle")
        #expect(state["Status"] as? String == "exited")
        #expect(state["ExitCode"] as? Int == 137)
        let psAll = try lab.ok(["ps", "-a"])
        #expect(psAll.contains("Exited (137)"))
        #expect(!(try lab.ok(["ps"])).contains("cycle"))
        try lab.ok(["rm", "cycle"])
        #expect(!FileManager.default.fileExists(atPath: lab.root + "/containers/" + id))
        #expect(try lab.run(["inspect", "cycle"]).status != 0)
    }

    @Test("a named volume outlives rm; a bind mount shows host files")
    func volumes() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "--rm", "-v", "notes:/data", "busybox", "sh", "-c", "echo kept > /data/file"])
        #expect(try lab.ok(["run", "--rm", "-v", "notes:/data", "busybox", "cat", "/data/file"]) == "kept")
        let hostDir = lab.root + "/bind-src"
        try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
        try "from host\n".write(toFile: hostDir + "/h.txt", atomically: true, encoding: .utf8)
        #expect(try lab.ok(["run", "--rm", "-v", "\(hostDir):/mnt/h:ro", "busybox", "cat", "/mnt/h/h.txt"]) == "from host")
        let ro = try lab.run(["run", "--rm", "-v", "\(hostDir):/mnt/h:ro", "busybox", "touch", "/mnt/h/new"])
        #expect(ro.status != 0, "a :ro bind is read-only")
    }

    @Test("run --rm leaves no state, mount or cgroup behind")
    func runRmLeavesNothing() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let result = try lab.run(["run", "--rm", "busybox", "sh", "-c", "hostname"])
        #expect(result.status == 0)
        let shortID = result.out
        let containers = (try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers")) ?? []
        #expect(containers.filter { !$0.hasPrefix(".") }.isEmpty, "no container directory: \(containers)")
        #expect(!hostFile("/proc/self/mountinfo").contains(lab.root), "no mount under the root")
        for controller in ["memory", "pids", "cpu", "freezer", "devices"] {
            let groups = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/\(controller)/boxlab")) ?? []
            #expect(!groups.contains { $0.hasPrefix(shortID) }, "no \(controller) cgroup left")
        }
    }

    @Test("exit codes, logs, wait and detached containers recorded after boxlab exits")
    func exitCodesAndLogs() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        #expect(try lab.run(["run", "--rm", "busybox", "sh", "-c", "exit 3"]).status == 3)
        let id = try lab.ok(["run", "-d", "--name", "talker", "busybox", "sh", "-c", "echo out; echo err >&2; sleep 0.3; exit 7"])
        #expect(id.count == 64)
        #expect(try lab.ok(["wait", "talker"]) == "7")
        let logs = try lab.run(["logs", "talker"])
        #expect(logs.stdout.contains("out") && logs.stdout.contains("err"))
        let state = try lab.state("talker")
        #expect(state["Status"] as? String == "exited")
        #expect(state["ExitCode"] as? Int == 7)
        #expect(try lab.ok(["ps", "-a"]).contains("Exited (7)"))
        // A detached container that ends on its own is recorded by its monitor.
        let quick = try lab.ok(["run", "-d", "busybox", "sh", "-c", "exit 4"])
        var recorded = false
        for _ in 0..<100 {
            if hostFile(lab.root + "/containers/\(quick)/state.json").contains("\"exited\"") { recorded = true; break }
            usleep(50_000)
        }
        #expect(recorded, "the monitor's reap recorded the exit without any boxlab command")
        #expect(try lab.state(quick)["ExitCode"] as? Int == 4)
    }

    @Test("exec runs inside the container's namespaces and cgroup")
    func exec() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["run", "-d", "--hostname", "inner", "busybox", "sleep", "60"])
        let out = try lab.ok(["exec", id, "sh", "-c", "hostname; echo $$; cat /proc/1/cmdline | tr '\\0' ' '; echo; grep CapEff /proc/self/status"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect((lines[safe: 0] ?? "") == "inner")
        #expect(Int((lines[safe: 1] ?? "")) ?? 0 > 1)
        #expect((lines[safe: 2] ?? "").hasPrefix("sleep 60"))
        #expect((lines[safe: 3] ?? "").contains("00000000a80425fb"))
        #expect(try lab.run(["exec", id, "sh", "-c", "exit 5"]).status == 5)
        #expect(try lab.run(["exec", id, "nosuchcommand"]).status == 127)
    }

    @Test("stop waits the grace period for a PID 1 that ignores SIGTERM; with --init it does not")
    func stopGraceAndInit() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let plain = try lab.ok(["run", "-d", "busybox", "sleep", "100"])
        var start = Date()
        try lab.ok(["stop", "-t", "2", plain])
        let plainTime = Date().timeIntervalSince(start)
        #expect(plainTime >= 1.9, "PID 1 without a SIGTERM handler ignores it: stop took \(plainTime)s")
        #expect(try lab.state(plain)["ExitCode"] as? Int == 137)

        let withInit = try lab.ok(["run", "-d", "--init", "busybox", "sleep", "100"])
        let tree = try lab.ok(["exec", withInit, "ps", "-o", "pid,args"])
        #expect(tree.contains("/dev/init"), "the init is PID 1: \(tree)")
        start = Date()
        try lab.ok(["stop", "-t", "5", withInit])
        let initTime = Date().timeIntervalSince(start)
        #expect(initTime < 2, "the init forwards SIGTERM to sleep, which dies at once: \(initTime)s")
        #expect(try lab.state(withInit)["ExitCode"] as? Int == 143)
    }
}
