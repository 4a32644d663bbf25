#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import Testing

/// A private temporary directory, removed afterwards.
func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    var template = Array("/tmp/boxos-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw SysError.current("test", "mkdtemp") }
    let path = String(cString: made)
    defer { try? FS.removeTree(path) }
    try body(path)
}

@Suite("file system")
struct FileSystemTests {
    @Test("atomic write replaces whole files and leaves no temporary")
    func atomicWrite() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/state.json"
            try FS.writeAtomically(path, "one")
            try FS.writeAtomically(path, "two")
            #expect(try FS.readText(path) == "two")
            #expect(try FS.list(dir) == ["state.json"])
        }
    }

    @Test("errors carry stage, call, path and errno")
    func errors() {
        #expect {
            _ = try FS.read("/nonexistent/boxlab", stage: "state")
        } throws: { error in
            guard let error = error as? SysError else { return false }
            return error.stage == "state" && error.call == "open" && error.errno == ENOENT
                && error.description.contains("ENOENT") && error.description.contains("/nonexistent/boxlab")
        }
    }

    @Test("mkdir -p, list, removeTree (with a mode-000 dir like overlay's work/work)")
    func trees() throws {
        try withTemporaryDirectory { dir in
            try FS.makeDirectories(dir + "/a/b/c")
            try FS.writeAtomically(dir + "/a/b/c/f", "x")
            try FS.symlink(target: "/etc", at: dir + "/a/link")
            try FS.makeDirectory(dir + "/a/locked")
            chmod(dir + "/a/locked", 0)
            #expect(try FS.list(dir + "/a") == ["b", "link", "locked"])
            #expect(FS.diskUsage(dir + "/a") == 1)
            try FS.removeTree(dir + "/a")
            #expect(!FS.exists(dir + "/a"))
            #expect(FS.exists("/etc/hostname") || FS.exists("/etc/passwd"), "the symlink target survives")
            try FS.removeTree(dir + "/missing")
        }
    }

    @Test("paths", arguments: [
        ("/a/./b/../c", "/a/c"), ("/../x", "/x"), ("//a//b/", "/a/b"), ("/", "/"),
    ])
    func normalize(_ input: String, _ expected: String) {
        #expect(Path.normalize(input) == expected)
    }

    @Test("parent, base and join")
    func pathParts() {
        #expect(Path.parent("/a/b") == "/a")
        #expect(Path.parent("/a") == "/")
        #expect(Path.base("/a/b.txt") == "b.txt")
        #expect(Path.join("/a", "b", "/c") == "/a/b/c")
    }

    @Test("a second lock on the same file is refused while the first holds it")
    func locks() throws {
        try withTemporaryDirectory { dir in
            let first = try FileLock(path: dir + "/lock")
            let second = try FileLock(path: dir + "/lock")
            try first.lock()
            #expect(try second.tryLock() == false)
            first.unlock()
            #expect(try second.tryLock() == true)
            second.unlock()
        }
    }

    /// A lock fd inherited across exec keeps the lock alive in the new
    /// program: a child could then hold (or wait on) its parent's lock.
    @Test("a lock file's fd is O_CLOEXEC: no program boxlab starts inherits a lock")
    func locksAreCloseOnExec() throws {
        try withTemporaryDirectory { dir in
            let lock = try FileLock(path: dir + "/lock")
            try lock.lock()
            var cloexec: [Bool] = []
            for fd in (try? FS.list("/proc/self/fd")) ?? [] {
                guard (try? FS.readLink("/proc/self/fd/" + fd)) == dir + "/lock",
                      let info = FS.readTextIfPresent("/proc/self/fdinfo/" + fd),
                      let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                      let value = Int(flags.dropFirst("flags:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" }), radix: 8)
                else { continue }
                cloexec.append(value & Int(O_CLOEXEC) != 0)
            }
            lock.unlock()
            #expect(cloexec == [true], "the lock file's fd flags: \(cloexec)")
        }
    }
}

@Suite("processes and /proc")
struct ProcessTests {
    @Test("spawn, wait, exit codes and signals")
    func spawnAndWait() throws {
        let pid = try Processes.spawn("/bin/sh", arguments: ["sh", "-c", "exit 3"], environment: [],
                                      fds: [:], stage: "test")
        let status = try Processes.wait(pid, stage: "test")
        #expect(Processes.exitCode(fromWaitStatus: status) == 3)
        #expect(Processes.terminatingSignal(fromWaitStatus: status) == nil)

        let sleeper = try Processes.spawn("/bin/sleep", arguments: ["sleep", "30"], environment: [], fds: [:], stage: "test")
        #expect(Processes.isAlive(sleeper, startTime: ProcFS.stat(sleeper)?.startTime))
        #expect(!Processes.isAlive(sleeper, startTime: 1), "another start time means another process")
        kill(sleeper, SIGKILL)
        let killed = try Processes.wait(sleeper, stage: "test")
        #expect(Processes.exitCode(fromWaitStatus: killed) == 137)
        #expect(Processes.terminatingSignal(fromWaitStatus: killed) == SIGKILL)
        #expect(!Processes.isAlive(sleeper, startTime: nil))
    }

    @Test("waitForExit times out on a live process and returns once it ends")
    func waitForExit() throws {
        let pid = try Processes.spawn("/bin/sleep", arguments: ["sleep", "0.3"], environment: [], fds: [:], stage: "test")
        #expect(try Processes.waitForExit(pid, timeoutMs: 50, stage: "test") == false)
        #expect(try Processes.waitForExit(pid, timeoutMs: 5000, stage: "test") == true)
        _ = try Processes.wait(pid, stage: "test")
    }

    @Test("spawned children get only the fds they were given")
    func noLeakedDescriptors() throws {
        let pipe = try Processes.pipe(stage: "test")
        let leaky = open("/dev/null", O_RDONLY)  // not CLOEXEC on purpose
        defer { close(leaky) }
        let pid = try Processes.spawn("/bin/sh", arguments: ["sh", "-c", "ls /proc/self/fd"], environment: [],
                                      fds: [1: pipe.write], stage: "test")
        close(pipe.write)
        let output = String(decoding: try FS.readAll(fd: pipe.read), as: UTF8.self)
        close(pipe.read)
        _ = try Processes.wait(pid, stage: "test")
        let fds = output.split(separator: "\n").compactMap { Int($0) }
        #expect(!fds.contains(Int(leaky)) || leaky <= 3, "fd \(leaky) leaked: \(fds)")
    }

    @Test("namespace inodes, stat and mountinfo of this process")
    func procReaders() {
        let inodes = ProcFS.namespaceInodes(getpid())
        #expect(inodes.count == 6)
        #expect(ProcFS.stat(getpid())?.state != nil)
        #expect(ProcFS.mountInfo(getpid()).contains { $0.mountPoint == "/" })
        #expect(!ProcFS.kernelRelease().isEmpty)
        #expect(ProcFS.statusField(getpid(), "Name") != nil)
    }
}

@Suite("time and ids")
struct ClockTests {
    @Test("RFC 3339 like docker")
    func rfc3339() {
        #expect(Clock.rfc3339(0) == "0001-01-01T00:00:00Z")
        #expect(Clock.rfc3339(1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456789Z")
    }

    @Test("human durations", arguments: [
        (Int64(0), "Less than a second"), (Int64(1), "1 second"), (Int64(59), "59 seconds"), (Int64(60), "About a minute"),
        (Int64(180), "3 minutes"), (Int64(3600), "About an hour"), (Int64(7200), "2 hours"), (Int64(86400 * 3), "3 days"),
    ])
    func durations(_ seconds: Int64, _ expected: String) {
        #expect(Clock.humanDuration(nanos: seconds * 1_000_000_000) == expected)
    }

    @Test("container ids are 64 hex digits with a letter in the short id")
    func ids() {
        for _ in 0..<50 {
            let id = Random.containerID()
            #expect(id.count == 64)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(id.prefix(12).contains { $0.isLetter })
        }
    }
}
