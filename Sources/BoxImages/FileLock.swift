#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// An exclusive flock(2) on a lock file, held while `body` runs. Several
/// boxlab processes may start at once (a lesson launching three containers);
/// the store's mutations (new blobs, index.json, layer dirs) are serialised
/// by this lock, while readers never take it: every file they read is
/// replaced by rename, so they see the old or the new version, never half.
public struct FileLock: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Runs `body` while holding the lock; the lock is released when the fd
    /// closes, so a crashed holder never leaves the store locked.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw SysError.current("image", "open", path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SysError.current("image", "flock", path) }
        }
        return try body()
    }
}
