#if canImport(Glibc)
import Glibc
#endif
import CBoxShim

/// Process calls: spawn, wait, signal, pidfd. Swift never forks: a child is
/// always started with posix_spawn (exec right away), which is safe in a
/// threaded process.
public enum Processes {
    /// posix_spawn `path` with `arguments` (argv[0] included) and `environment`,
    /// mapping child fds from parent fds (`fds[childFD] = parentFD`). Every other
    /// fd is closed in the child, so nothing of boxlab's leaks.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String],
        fds: [Int32: Int32], newProcessGroup: Bool = false, stage: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 through high temporaries first, so mappings may overlap safely.
        let ordered = fds.sorted { $0.key < $1.key }
        let base: Int32 = 200
        for (index, (_, parent)) in ordered.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, parent, base + Int32(index))
        }
        for (index, (child, _)) in ordered.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, base + Int32(index), child)
        }
        let highest = (ordered.last?.key ?? 2) + 1
        bs_spawn_closefrom(&actions, highest)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGTTOU, SIGTTIN, SIGWINCH] {
            sigaddset(&defaults, sig)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var pid: pid_t = 0
        let rc = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        if rc != 0 { throw SysError(stage: stage, call: "posix_spawn", path: path, errno: rc) }
        return pid
    }

    /// waitpid for a child of ours, retrying EINTR; returns the raw status.
    public static func wait(_ pid: pid_t, stage: String) throws -> Int32 {
        var status: Int32 = 0
        let rc = retryingEINTR { waitpid(pid, &status, 0) }
        if rc < 0 { throw SysError.current(stage, "waitpid") }
        return status
    }

    /// Sends `signal` to `pid`.
    public static func signal(_ pid: pid_t, _ signal: Int32, stage: String) throws {
        if kill(pid, signal) != 0 { throw SysError.current(stage, "kill") }
    }

    /// True while a process with this pid exists (zombies count as gone when
    /// `startTime` no longer matches, which also guards against pid reuse).
    public static func isAlive(_ pid: pid_t, startTime: UInt64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let stat = ProcFS.stat(pid) else { return false }
        if stat.state == "Z" || stat.state == "X" { return false }
        if let startTime, stat.startTime != startTime { return false }
        return true
    }

    /// Waits until `pid` (not necessarily our child) exits, via pidfd + poll.
    /// Returns false on timeout. `timeoutMs < 0` waits forever.
    public static func waitForExit(_ pid: pid_t, timeoutMs: Int32, stage: String) throws -> Bool {
        let fd = bs_pidfd_open(pid)
        if fd < 0 {
            if errno == ESRCH { return true }
            throw SysError.current(stage, "pidfd_open")
        }
        defer { close(fd) }
        return try pollReadable(fd, timeoutMs: timeoutMs, stage: stage)
    }

    /// poll() one fd for readability, retrying EINTR against the deadline.
    public static func pollReadable(_ fd: Int32, timeoutMs: Int32, stage: String) throws -> Bool {
        let deadline = Clock.monotonicMs() + Int64(timeoutMs)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = timeoutMs < 0 ? -1 : Int32(max(0, deadline - Clock.monotonicMs()))
            let rc = poll(&pfd, 1, remaining)
            if rc < 0 && errno == EINTR { continue }
            if rc < 0 { throw SysError.current(stage, "poll") }
            return rc > 0
        }
    }

    /// Creates a pipe with both ends close-on-exec.
    public static func pipe(stage: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        if bs_pipe2_cloexec(&fds) != 0 { throw SysError.current(stage, "pipe2") }
        return (fds[0], fds[1])
    }

    /// Decodes a wait status as docker reports it: exit code, or 128 + signal.
    public static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        if bs_wifexited(status) != 0 { return bs_wexitstatus(status) }
        if bs_wifsignaled(status) != 0 { return 128 + bs_wtermsig(status) }
        return 255
    }

    /// The signal that ended a process, or nil if it exited.
    public static func terminatingSignal(fromWaitStatus status: Int32) -> Int32? {
        bs_wifsignaled(status) != 0 ? bs_wtermsig(status) : nil
    }
}

/// Calls `body` with a NULL-terminated C array of C strings.
public func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
