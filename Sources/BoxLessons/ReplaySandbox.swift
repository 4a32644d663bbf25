#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS
import BoxRuntime

/// Where one replay runs: a fresh temporary directory holding its boxlab
/// root (so its own containers, images, volumes and lesson progress), the
/// host paths the lesson may use, the script, the replay's own recording and
/// its log. The replay is a child `boxlab shell` process in a process group
/// of its own (and, as root, in a network namespace of its own, so published
/// ports and the bridge of one replay never meet another's); a replay that
/// runs out of time is killed with its whole group. Afterwards every
/// container it made is removed (`boxlab rm -f`, in its network namespace)
/// and the directory is deleted.
public final class ReplaySandbox {
    public let work: String
    public var root: String { work + "/root" }
    public var hostBase: String { work + "/host" }
    public var scriptPath: String { work + "/script.boxlab" }
    public var recordPath: String { work + "/replay.jsonl" }
    public var logPath: String { work + "/replay.log" }
    /// The user whose progress the replay keeps (progress-USER.json).
    public static let user = "student"

    private var holder: NetnsHolder?
    public private(set) var pid: pid_t = 0
    public private(set) var startedMs: Int64 = 0
    public private(set) var exitStatus: Int32?
    public private(set) var killed = false

    /// Makes the directory (under $TMPDIR or /tmp) and, when asked and
    /// possible, the network namespace.
    public init(isolateNetwork: Bool, environment: [String: String]) throws {
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((Path.normalize(base) + "/boxlab-replay-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw SysError.current("replay", "mkdtemp", base) }
        work = String(cString: made)
        try FS.makeDirectories(work + "/root", mode: 0o711, stage: "replay")
        try FS.makeDirectories(work + "/host/work", stage: "replay")
        if isolateNetwork { holder = NetnsHolder.start(environment: environment) }
    }

    public var isolatesNetwork: Bool { holder != nil }

    /// The command line, entered into the replay's network namespace when it has one.
    func wrapped(_ argv: [String]) -> [String] { holder?.wrap(argv) ?? argv }

    /// Starts `binary ARGS` in its own process group. `fds` maps the child's
    /// 0, 1, 2 (default: /dev/null in, the log file out).
    public func launch(binary: String, arguments: [String], environment: [String: String], fds: [Int32: Int32]? = nil) throws {
        let argv = wrapped([binary] + arguments)
        var mapping = fds ?? [:]
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        if fds == nil {
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard null >= 0, log >= 0 else { throw SysError.current("replay", "open", logPath) }
            opened = [null, log]
            mapping = [0: null, 1: log, 2: log]
        }
        startedMs = Clock.monotonicMs()
        pid = try Processes.spawn(argv[0], arguments: argv, environment: environment.map { "\($0.key)=\($0.value)" },
                                  fds: mapping, newProcessGroup: true, stage: "replay")
    }

    /// The child's status once it ended (nil while it runs); `block` waits.
    @discardableResult
    public func reap(block: Bool = false) -> Int32? {
        if let exitStatus { return exitStatus }
        guard pid > 0 else { return nil }
        var status: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &status, block ? 0 : WNOHANG) } while rc < 0 && errno == EINTR
        if rc == pid {
            exitStatus = Processes.exitCode(fromWaitStatus: status)
            return exitStatus
        }
        if rc < 0 { exitStatus = 255; return 255 }
        return nil
    }

    public var elapsedMs: Int { startedMs == 0 ? 0 : Int(Clock.monotonicMs() - startedMs) }

    /// Ends the replay now: SIGKILL to its whole process group, then reaps it.
    public func kill() {
        guard pid > 0, exitStatus == nil else { return }
        killed = true
        Glibc.kill(-pid, SIGKILL)
        Glibc.kill(pid, SIGKILL)
        reap(block: true)
    }

    // MARK: - What the replay left

    /// The replay's own recording (a line cut off by a kill is dropped).
    public func replayRecord() -> Transcript? {
        guard var bytes = try? FS.read(recordPath), !bytes.isEmpty else { return nil }
        if let transcript = try? Transcript.parse(bytes, file: recordPath) { return transcript }
        if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange((newline + 1)...) }
        return try? Transcript.parse(bytes, file: recordPath)
    }

    /// The steps (0-based) the replay completed, from its progress file.
    public func completed(_ lesson: Lesson) -> Set<Int> {
        LessonProgress.load(root: root, user: Self.user).completed[lesson.id] ?? []
    }

    /// What the checks of the first step not done see now.
    public func pendingChecks(_ lesson: Lesson, library: LessonLibrary, environment: [String: String],
                              lastOutput: String, lastStatus: Int32) -> [CheckResult] {
        let engine = LessonEngine(library: library, homeRoot: root, user: Self.user, environment: environment)
        guard FS.isDirectory(engine.sandboxRoot(lesson)) else { return [] }
        return engine.results(lesson, lastOutput: lastOutput, lastStatus: lastStatus)
    }

    // MARK: - Cleaning up

    /// Every boxlab root of the replay: its own and its lessons' sandboxes.
    public func roots() -> [String] {
        let sandboxes = root + "/lessons/sandbox"
        return [root] + ((try? FS.list(sandboxes)) ?? []).map { sandboxes + "/" + $0 }.filter(FS.isDirectory)
    }

    /// Removes every container (`boxlab rm -f`, in the replay's network
    /// namespace), the namespace and the directory. Returns what could not
    /// be removed (nil when nothing is left).
    public func cleanUp(binary: String, environment: [String: String]) -> String? {
        kill()
        var problems: [String] = []
        for root in roots() {
            let runtime = Runtime(root: root, environment: environment)
            let ids = runtime.allContainers().map(\.id)
            guard !ids.isEmpty else { continue }
            let argv = wrapped([binary, "--root", root, "rm", "-f"] + ids)
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            defer { close(null) }
            var env = environment
            env["BOXLAB_NARRATE"] = "quiet"
            if let child = try? Processes.spawn(argv[0], arguments: argv, environment: env.map { "\($0.key)=\($0.value)" },
                                                fds: [0: null, 1: null, 2: null], newProcessGroup: true, stage: "replay") {
                if (try? Processes.waitForExit(child, timeoutMs: 60_000, stage: "replay")) != true { Glibc.kill(-child, SIGKILL) }
                _ = try? Processes.wait(child, stage: "replay")
            }
            let left = runtime.allContainers()
            if !left.isEmpty { problems.append("\(Template.count(left.count, "container", "containers")) left in \(root): " + left.map(\.name).joined(separator: ", ")) }
        }
        // A removed container's monitor still runs `boxlab --root R _reap ID`
        // for a moment (and would make R again): wait for every process
        // that names the sandbox to end, then remove it.
        settle()
        holder?.stop()
        holder = nil
        if problems.isEmpty {
            do {
                try FS.removeTree(work, stage: "replay")
                if FS.exists(work) { settle(); try FS.removeTree(work, stage: "replay") }
            } catch { problems.append("cannot remove \(work): \(error)") }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Processes whose command line names the sandbox's directory.
    func strays() -> [pid_t] {
        let me = getpid()
        return ((try? FS.list("/proc")) ?? []).compactMap { pid_t($0) }.filter { pid in
            guard pid != me, let bytes = try? FS.read("/proc/\(pid)/cmdline") else { return false }
            return String(decoding: bytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(work + "/")
        }
    }

    /// Waits up to 5 s for the sandbox's stray processes to end, then kills them.
    func settle() {
        let deadline = Clock.monotonicMs() + 5000
        var left = strays()
        while !left.isEmpty && Clock.monotonicMs() < deadline {
            usleep(20_000)
            left = strays()
        }
        for pid in left { Glibc.kill(pid, SIGKILL) }
        if !left.isEmpty { usleep(50_000) }
    }
}

/// A network namespace kept alive by a sleeping process (`unshare --net`),
/// with its loopback up; commands enter it with `nsenter --net`.
final class NetnsHolder {
    let pid: pid_t
    let nsenter: String

    private init(pid: pid_t, nsenter: String) {
        self.pid = pid
        self.nsenter = nsenter
    }

    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].map { $0 + name }.first { access($0, X_OK) == 0 }
    }

    static func start(environment: [String: String]) -> NetnsHolder? {
        guard geteuid() == 0, let unshare = tool("unshare"), let nsenter = tool("nsenter"), let ip = tool("ip"),
              let sleep = tool("sleep") else { return nil }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        // A process group of its own: a Ctrl-C at the grader's terminal must
        // not end the namespace before the replay's containers are removed in it.
        guard let pid = try? Processes.spawn(unshare, arguments: [unshare, "--net", "--", sleep, "1000000"], environment: env,
                                             fds: [0: null, 1: null, 2: null], newProcessGroup: true, stage: "replay") else { return nil }
        let mine = try? FS.readLink("/proc/self/ns/net")
        var entered = false
        for _ in 0..<400 {
            if let theirs = try? FS.readLink("/proc/\(pid)/ns/net"), theirs != mine { entered = true; break }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return nil }
            usleep(5000)
        }
        let holder = NetnsHolder(pid: pid, nsenter: nsenter)
        guard entered else { holder.stop(); return nil }
        let argv = holder.wrap([ip, "link", "set", "lo", "up"])
        guard let child = try? Processes.spawn(argv[0], arguments: argv, environment: env, fds: [0: null, 1: null, 2: null], stage: "replay"),
              let status = try? Processes.wait(child, stage: "replay"), Processes.exitCode(fromWaitStatus: status) == 0 else {
            holder.stop()
            return nil
        }
        return holder
    }

    func wrap(_ argv: [String]) -> [String] { [nsenter, "--net=/proc/\(pid)/ns/net", "--"] + argv }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
