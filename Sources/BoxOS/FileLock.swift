#if canImport(Glibc)
import Glibc
#endif

/// An flock(2) on a lock file. The kernel drops it when the holder dies, even
/// by SIGKILL, which is what makes it the crash detector: a container whose
/// lock can be taken has nobody in the middle of starting it.
public final class FileLock {
    private let fd: Int32
    public let path: String

    /// Opens (creating) the lock file; does not lock yet.
    public init(path: String, stage: String = "lock") throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw SysError.current(stage, "open", path) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Blocks until the exclusive lock is held.
    public func lock(stage: String = "lock") throws {
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SysError.current(stage, "flock", path) }
        }
    }

    /// Takes the lock if nobody holds it; false if somebody does.
    public func tryLock(stage: String = "lock") throws -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SysError.current(stage, "flock", path)
    }

    public func unlock() {
        flock(fd, LOCK_UN)
    }

    /// Runs `body` holding the lock.
    public func withLock<T>(stage: String = "lock", _ body: () throws -> T) throws -> T {
        try lock(stage: stage)
        defer { unlock() }
        return try body()
    }
}
