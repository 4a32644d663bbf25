#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A directory tree addressed only through file descriptors: every path is
/// walked one component at a time with openat(O_NOFOLLOW | O_DIRECTORY), so
/// a symlink planted by a layer (`a -> /`) is never followed when a later
/// entry (`a/x`) is created. The kernel resolves nothing on our behalf.
struct SafeTree: ~Copyable {
    let rootFD: Int32
    let rootPath: String

    init(root: String) throws {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("image", "open", root) }
        rootFD = fd
        rootPath = root
    }

    deinit { close(rootFD) }

    /// Opens the directory holding the last of `components` (the root for a
    /// single component). With `create`, missing parents are made 0755 as
    /// docker does for archives that omit them. Returns an fd to close, or
    /// throws `unsafeEntry` when a parent is a symlink.
    func openParent(_ components: [String], entry: String, create: Bool) throws -> Int32 {
        var fd = dup(rootFD)
        if fd < 0 { throw SysError.current("image", "dup", rootPath) }
        for (index, name) in components.dropLast().enumerated() {
            var next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                if mkdirat(fd, name, 0o755) == 0 {
                    fchmodat(fd, name, 0o755, 0)  // not narrowed by the umask
                } else if errno != EEXIST {
                    let error = SafeTree.failure(entry, "mkdirat", name)
                    close(fd)
                    throw error
                }
                next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                let prefix = components[0...index].joined(separator: "/")
                let kind = SafeTree.kind(fd, name)
                close(fd)
                if kind == S_IFLNK {
                    throw ImageError.unsafeEntry(entry: entry, reason: "\(prefix) is a symlink; refusing to follow it")
                }
                if kind != nil && kind != S_IFDIR {
                    throw ImageError.unpackFailed(entry: entry, reason: "\(prefix) is not a directory")
                }
                throw ImageError.unpackFailed(entry: entry, reason: "openat \(prefix): \(SafeTree.explain(code))")
            }
            close(fd)
            fd = next
        }
        return fd
    }

    /// The file type (S_IFMT bits) of `name` in `dirFD`, not following links; nil if absent.
    static func kind(_ dirFD: Int32, _ name: String) -> mode_t? {
        var st = stat()
        if fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) != 0 { return nil }
        return st.st_mode & S_IFMT
    }

    /// An `unpackFailed` error for a failed call, from the current errno.
    static func failure(_ entry: String, _ call: String, _ target: String? = nil) -> ImageError {
        let code = errno
        let on = target.map { " \($0)" } ?? ""
        return .unpackFailed(entry: entry, reason: "\(call)\(on): \(explain(code))")
    }

    static func explain(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (\(Errno.name(code)))"
    }
}
