#if canImport(Glibc)
import Glibc
#endif
import CBoxShim

/// SIGINT as a readable file descriptor (the self-pipe trick), so a waiting
/// command can poll for Ctrl-C next to its other fds, and the shell survives
/// Ctrl-C. The pipe is made once and never changes; the handler only
/// write()s, which is async-signal-safe.
public enum Interrupts {
    private static let pipeFDs: (read: Int32, write: Int32) = {
        var fds: [Int32] = [-1, -1]
        _ = bs_pipe2_cloexec(&fds)
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return (fds[0], fds[1])
    }()

    /// The read end: readable after a SIGINT arrived.
    public static var fd: Int32 { pipeFDs.read }

    /// Routes SIGINT to the pipe (no SA_RESTART, so a blocking read returns EINTR).
    public static func install() {
        _ = pipeFDs
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(Interrupts.pipeFDs.write, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Consumes pending interrupts; true if there was one.
    @discardableResult
    public static func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var any = false
        while read(pipeFDs.read, &buffer, buffer.count) > 0 { any = true }
        return any
    }

    /// True if Ctrl-C was pressed since the last drain (and consumes it).
    public static func pending() -> Bool { drain() }
}
