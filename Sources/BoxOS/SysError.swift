#if canImport(Glibc)
import Glibc
#endif

/// The one error every syscall wrapper throws: which stage of boxlab's work
/// failed, which call, on what, and the errno the kernel returned. Stage
/// names are what narration and error lines show ("cgroup", "rootfs", …).
public struct SysError: LocalizedFailure, Equatable, Sendable {
    public var stage: String
    public var call: String
    public var path: String?
    public var errno: Int32

    public init(stage: String, call: String, path: String? = nil, errno: Int32) {
        self.stage = stage
        self.call = call
        self.path = path
        self.errno = errno
    }

    /// Builds the error from the thread's current errno.
    public static func current(_ stage: String, _ call: String, _ path: String? = nil) -> SysError {
        SysError(stage: stage, call: call, path: path, errno: Glibc.errno)
    }

    public var errnoName: String { Errno.name(errno) }

    /// strerror text and symbolic name, e.g. "No such file or directory (ENOENT)".
    public var reason: String { "\(String(cString: strerror(errno))) (\(errnoName))" }

    public var key: String { "error.sys" }

    public var values: [String: String] {
        ["stage": stage, "call": call, "target": path.map { " " + $0 } ?? "", "reason": reason]
    }

    /// "rootfs: mount /x: Permission denied (EACCES)".
    public static let englishTemplates = ["error.sys": "{stage}: {call}{target}: {reason}"]
}

/// Symbolic names for the errnos boxlab meets, so messages say `EBUSY`, not 16.
public enum Errno {
    public static func name(_ code: Int32) -> String {
        switch code {
        case EPERM: return "EPERM"
        case ENOENT: return "ENOENT"
        case ESRCH: return "ESRCH"
        case EINTR: return "EINTR"
        case EIO: return "EIO"
        case E2BIG: return "E2BIG"
        case ENOEXEC: return "ENOEXEC"
        case EBADF: return "EBADF"
        case ECHILD: return "ECHILD"
        case EAGAIN: return "EAGAIN"
        case ENOMEM: return "ENOMEM"
        case EACCES: return "EACCES"
        case EBUSY: return "EBUSY"
        case EEXIST: return "EEXIST"
        case ENOTDIR: return "ENOTDIR"
        case EISDIR: return "EISDIR"
        case EINVAL: return "EINVAL"
        case ENOSPC: return "ENOSPC"
        case EROFS: return "EROFS"
        case ENOSYS: return "ENOSYS"
        case ENOTEMPTY: return "ENOTEMPTY"
        case ELOOP: return "ELOOP"
        case ENAMETOOLONG: return "ENAMETOOLONG"
        case EOPNOTSUPP: return "EOPNOTSUPP"
        default: return "errno \(code)"
        }
    }
}

/// Retries a call while it fails with EINTR, as swift-system's wrappers do.
@inline(__always)
func retryingEINTR<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result == -1 && Glibc.errno == EINTR { continue }
        return result
    }
}
