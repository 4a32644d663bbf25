import Foundation
import Testing

/// boxlab killed with SIGKILL in the middle of `run`: the next command must
/// clean up or show the truth.
@Suite("crash recovery", .serialized)
struct RecoveryTests {
    /// Starts `boxlab run …` in the background, holding at `stage` if given.
    func launch(_ lab: Boxlab, _ arguments: [String], holdAt stage: String?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lab.binary)
        process.arguments = ["--root", lab.root] + arguments
        var env = ProcessInfo.processInfo.environment
        env["BOXLAB_NARRATE"] = "quiet"
        if let stage { env["BOXLAB_DEBUG_HOLD_AT"] = stage }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitForPid(_ lab: Boxlab, name: String, status: String? = nil) -> Int {
        for _ in 0..<200 {
            if let dirs = try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers") {
                for dir in dirs where hostFile(lab.root + "/containers/\(dir)/config.json").contains("\"Name\":\"\(name)\"") {
                    let state = hostFile(lab.root + "/containers/\(dir)/state.json")
                    if let data = state.data(using: .utf8),
                       let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                       let pid = json["Pid"] as? Int, pid > 0,
                       status == nil || json["Status"] as? String == status {
                        return pid
                    }
                }
            }
            usleep(25_000)
        }
        return 0
    }

    @Test("SIGKILL during creation: the next command cleans the half-made container")
    func killedMidCreation() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let process = try launch(lab, ["run", "--name", "crash", "busybox", "sleep", "100"], holdAt: "rootfs")
        let pid = waitForPid(lab, name: "crash")
        #expect(pid > 0, "the container reached clone()")
        usleep(300_000)
        let id = (try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers"))?
            .first { $0.count == 64 } ?? ""
        #expect(FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/boxlab/\(id)"), "the cgroup was made")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let ps = try lab.ok(["ps", "-a"])
        #expect(ps.contains("crash") && ps.contains("Created"), "\(ps)")
        for _ in 0..<100 where kill(Int32(pid), 0) == 0 { usleep(20_000) }
        #expect(kill(Int32(pid), 0) != 0, "the half-made container process is gone")
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/boxlab/\(id)"), "its cgroup is gone")
        #expect(!hostFile("/proc/self/mountinfo").contains(id), "nothing of it is mounted")
        // And it can still be started afterwards.
        try lab.ok(["start", "crash"])
        #expect(try lab.state("crash")["Status"] as? String == "running")
    }

    /// Every hold point of `run -d`, in order (BoxRuntime's DebugHold).
    static let holdPoints = ["create", "cgroup", "cloned", "rootfs", "pivot", "ready"]

    /// Starts `run -d` holding at `point`, waits until boxlab says it holds
    /// there, and SIGKILLs it.
    func killRun(_ lab: Boxlab, name: String, at point: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lab.binary)
        process.arguments = ["--root", lab.root, "run", "-d", "--name", name, "busybox", "sleep", "100"]
        var env = ProcessInfo.processInfo.environment
        env["BOXLAB_NARRATE"] = "quiet"
        env["BOXLAB_DEBUG_HOLD_AT"] = point
        process.environment = env
        let err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        var said = ""
        let deadline = Date().addingTimeInterval(30)
        while !said.contains("holding at \(point)") && process.isRunning && Date() < deadline {
            said += String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(said.contains("boxlab: holding at \(point)"), "run -d reached \(point): \(said)")
    }

    /// Processes that belong to `root`: the shim, its child before exec
    /// (both carry the spec path under the root) and any `_reap`.
    static func processes(of root: String) -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.filter { Int($0) != nil }.compactMap { pid in
            let line = hostFile("/proc/\(pid)/cmdline").replacingOccurrences(of: "\0", with: " ")
            return line.contains(root + "/") || line.contains(root + " ") ? pid + ": " + line : nil
        }
    }

    @Test("SIGKILL of run -d at every stage: one ps -a and rm -f leave no directory, cgroup or process", arguments: holdPoints)
    func killedAtEveryStage(point: String) throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try killRun(lab, name: "at-\(point)", at: point)
        let ps = try lab.ok(["ps", "-a"])
        if point != "create" { #expect(ps.contains("at-\(point)") && ps.contains("Created"), "\(ps)") }
        let ids = try lab.ok(["ps", "-aq", "--no-trunc"]).split(separator: "\n").map(String.init)
        if !ids.isEmpty { try lab.ok(["rm", "-f"] + ids) }

        let left = ((try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers")) ?? [])
            .filter { $0 != ".lock" }
        #expect(left.isEmpty, "ROOT/containers holds \(left)")
        let cgroups = ["memory", "pids", "cpu", "freezer", "unified"].flatMap { controller in
            ids.map { "/sys/fs/cgroup/\(controller)/boxlab/\($0)" }
        }.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(cgroups.isEmpty, "cgroups left: \(cgroups)")
        var processes = Self.processes(of: lab.root)
        for _ in 0..<100 where !processes.isEmpty {
            usleep(20_000)
            processes = Self.processes(of: lab.root)
        }
        #expect(processes.isEmpty, "processes left: \(processes)")
        #expect(!hostFile("/proc/self/mountinfo").contains(lab.root), "nothing of it is mounted")
    }

    @Test("a container directory without its config (left by an older boxlab) is reclaimed by the next ps -a")
    func directoryWithoutConfigIsReclaimed() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["create", "--name", "whole", "busybox", "true"])
        let orphan = lab.root + "/containers/" + String(repeating: "ab", count: 32)
        for part in ["rootfs", "upper", "work"] {
            try FileManager.default.createDirectory(atPath: orphan + "/" + part, withIntermediateDirectories: true)
        }
        for file in ["hostname", "hosts", "resolv.conf"] {
            FileManager.default.createFile(atPath: orphan + "/" + file, contents: Data("x\n".utf8))
        }
        let ps = try lab.ok(["ps", "-a"])
        #expect(ps.contains("whole") && ps.contains("Created"), "a whole container stays: \(ps)")
        #expect(!FileManager.default.fileExists(atPath: orphan), "the half-made directory is gone")
    }

    @Test("SIGKILL after exec: the container keeps running and its end is recorded")
    func killedWhileAttached() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let process = try launch(lab, ["run", "--name", "fg", "busybox", "sleep", "100"], holdAt: nil)
        let pid = waitForPid(lab, name: "fg", status: "running")
        #expect(pid > 0)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try lab.ok(["ps"]).contains("fg"), "still shown as running")
        #expect(try lab.state("fg")["Pid"] as? Int == pid)
        try lab.ok(["kill", "fg"])
        let state = try lab.state("fg")
        #expect(state["Status"] as? String == "exited")
        #expect(state["ExitCode"] as? Int == 137)
    }
}
