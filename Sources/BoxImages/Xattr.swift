#if canImport(Glibc)
import Glibc
#endif

/// fsetxattr(2) and fgetxattr(2). Swift's Glibc module does not import
/// <sys/xattr.h>, and BoxImages may not add C code, so the libc symbols are
/// looked up with dlsym. (They could move to CBoxShim as bs_fsetxattr.)
enum Xattr {
    private typealias SetFunction = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias GetFunction = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int

    /// fsetxattr(fd, name, value, size, 0); returns -1 with errno set on failure.
    static func set(fd: Int32, name: String, value: [UInt8]) -> Int32 {
        guard let symbol = lookup("fsetxattr") else { errno = ENOSYS; return -1 }
        let function = unsafeBitCast(symbol, to: SetFunction.self)
        return value.withUnsafeBytes { function(fd, name, $0.baseAddress, $0.count, 0) }
    }

    /// fgetxattr: the value, or nil (errno set) when absent or unreadable.
    static func get(fd: Int32, name: String) -> [UInt8]? {
        guard let symbol = lookup("fgetxattr") else { errno = ENOSYS; return nil }
        let function = unsafeBitCast(symbol, to: GetFunction.self)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { function(fd, name, $0.baseAddress, $0.count) }
        return n < 0 ? nil : Array(buffer[0..<n])
    }

    private typealias PathGetFunction = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int

    /// lgetxattr (the link itself, never its target): the value, or nil when absent.
    static func get(path: String, name: String) -> [UInt8]? {
        guard let symbol = lookup("lgetxattr") else { errno = ENOSYS; return nil }
        let function = unsafeBitCast(symbol, to: PathGetFunction.self)
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { function(path, name, $0.baseAddress, $0.count) }
        return n < 0 ? nil : Array(buffer[0..<n])
    }

    /// True when `path` is a directory overlayfs marked opaque (its lower
    /// layers' contents hidden): xattr trusted.overlay.opaque = "y".
    static func isOpaque(path: String) -> Bool {
        get(path: path, name: "trusted.overlay.opaque") == Array("y".utf8)
    }

    private static func lookup(_ name: String) -> UnsafeMutableRawPointer? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(handle) }
        return dlsym(handle, name)
    }
}
