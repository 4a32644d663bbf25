#if canImport(Glibc)
import Glibc
#endif
import CBoxShim

/// File and directory calls, each wrapping one libc function and throwing
/// `SysError` with the caller's stage. No Foundation: every boxlab command
/// pays its start-up, and these are on every command's path.
public enum FS {
    // MARK: - Reading

    /// Reads a whole file (open + read loop + close).
    public static func read(_ path: String, stage: String = "fs") throws -> [UInt8] {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        if fd < 0 { throw SysError.current(stage, "open", path) }
        defer { close(fd) }
        return try readAll(fd: fd, stage: stage, path: path)
    }

    /// Reads from `fd` until end of file.
    public static func readAll(fd: Int32, stage: String = "fs", path: String? = nil) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { buf in
                retryingEINTR { Glibc.read(fd, buf.baseAddress, buf.count) }
            }
            if n < 0 { throw SysError.current(stage, "read", path) }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// Reads a file as UTF-8 text.
    public static func readText(_ path: String, stage: String = "fs") throws -> String {
        String(decoding: try read(path, stage: stage), as: UTF8.self)
    }

    /// Reads a file as text, or nil when it cannot be read (missing, gone, …).
    public static func readTextIfPresent(_ path: String) -> String? {
        try? readText(path)
    }

    // MARK: - Writing

    /// Writes `bytes` to a temporary file beside `path`, then renames it over
    /// `path`, so readers see the old or the new content, never half of it.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644, stage: String = "state") throws {
        let tmp = path + ".tmp.\(getpid())"
        try write(tmp, bytes, mode: mode, flags: O_WRONLY | O_CREAT | O_TRUNC, stage: stage)
        if Glibc.rename(tmp, path) != 0 {
            let error = SysError.current(stage, "rename", path)
            unlink(tmp)
            throw error
        }
    }

    public static func writeAtomically(_ path: String, _ text: String, mode: mode_t = 0o644, stage: String = "state") throws {
        try writeAtomically(path, Array(text.utf8), mode: mode, stage: stage)
    }

    /// Writes to an existing file in place (cgroup control files want exactly one write()).
    public static func writeInPlace(_ path: String, _ text: String, stage: String) throws {
        try write(path, Array(text.utf8), mode: 0, flags: O_WRONLY, stage: stage)
    }

    /// Opens with `flags`, writes everything, closes.
    public static func write(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644, flags: Int32, stage: String) throws {
        let fd = retryingEINTR { open(path, flags | O_CLOEXEC, mode) }
        if fd < 0 { throw SysError.current(stage, "open", path) }
        defer { close(fd) }
        try writeAll(fd: fd, bytes, stage: stage, path: path)
    }

    /// Writes all of `bytes` to `fd`, looping over short writes.
    public static func writeAll(fd: Int32, _ bytes: [UInt8], stage: String, path: String? = nil) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                retryingEINTR { Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset) }
            }
            if n < 0 { throw SysError.current(stage, "write", path) }
            offset += n
        }
    }

    // MARK: - Directories

    /// mkdir; an existing directory is not an error.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755, stage: String = "fs") throws {
        if mkdir(path, mode) != 0 && errno != EEXIST { throw SysError.current(stage, "mkdir", path) }
    }

    /// mkdir -p.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755, stage: String = "fs") throws {
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        if errno != ENOENT { throw SysError.current(stage, "mkdir", path) }
        let parent = Path.parent(path)
        if parent != path { try makeDirectories(parent, mode: mode, stage: stage) }
        try makeDirectory(path, mode: mode, stage: stage)
    }

    /// The names in a directory, without "." and "..", sorted.
    public static func list(_ path: String, stage: String = "fs") throws -> [String] {
        guard let dir = opendir(path) else { throw SysError.current(stage, "opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// rm -rf: removes a tree without following symlinks; a missing path is fine.
    /// Refuses to cross into another mount (a bind mount left by a crash must
    /// be unmounted, not emptied).
    public static func removeTree(_ path: String, stage: String = "fs") throws {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return }
            throw SysError.current(stage, "lstat", path)
        }
        try removeTree(path, device: st.st_dev, isDirectory: (st.st_mode & S_IFMT) == S_IFDIR, stage: stage)
    }

    private static func removeTree(_ path: String, device: dev_t, isDirectory: Bool, stage: String) throws {
        if !isDirectory {
            if unlink(path) != 0 && errno != ENOENT { throw SysError.current(stage, "unlink", path) }
            return
        }
        chmod(path, 0o700)  // overlay's work/work is mode 000
        for name in try list(path, stage: stage) {
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) != 0 { continue }
            if st.st_dev != device && (st.st_mode & S_IFMT) == S_IFDIR {
                throw SysError(stage: stage, call: "rmdir", path: child, errno: EBUSY)
            }
            try removeTree(child, device: device, isDirectory: (st.st_mode & S_IFMT) == S_IFDIR, stage: stage)
        }
        if rmdir(path) != 0 && errno != ENOENT { throw SysError.current(stage, "rmdir", path) }
    }

    // MARK: - Queries

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// lstat as a value.
    public static func status(_ path: String, stage: String = "fs") throws -> FileStatus {
        var st = stat()
        if lstat(path, &st) != 0 { throw SysError.current(stage, "lstat", path) }
        return FileStatus(st)
    }

    /// The filesystem magic of the filesystem holding `path` (statfs f_type),
    /// e.g. 0x27e0eb for cgroup v1, 0x63677270 for cgroup2; nil if unreadable.
    public static func fileSystemType(_ path: String) -> Int? {
        let type = bs_statfs_type(path)
        return type < 0 ? nil : type
    }

    public static func readLink(_ path: String, stage: String = "fs") throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        if n < 0 { throw SysError.current(stage, "readlink", path) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func symlink(target: String, at path: String, stage: String = "fs") throws {
        if Glibc.symlink(target, path) != 0 { throw SysError.current(stage, "symlink", path) }
    }

    public static func rename(_ from: String, _ to: String, stage: String = "fs") throws {
        if Glibc.rename(from, to) != 0 { throw SysError.current(stage, "rename", from) }
    }

    public static func removeFile(_ path: String, stage: String = "fs") throws {
        if unlink(path) != 0 && errno != ENOENT { throw SysError.current(stage, "unlink", path) }
    }

    public static func removeDirectory(_ path: String, stage: String = "fs") throws {
        if rmdir(path) != 0 && errno != ENOENT { throw SysError.current(stage, "rmdir", path) }
    }

    /// Total bytes of regular files under `path` (du -b, without following links).
    public static func diskUsage(_ path: String) -> UInt64 {
        guard let st = try? status(path) else { return 0 }
        if !st.isDirectory { return st.isRegular ? UInt64(st.size) : 0 }
        var total: UInt64 = 0
        for name in (try? list(path)) ?? [] { total += diskUsage(path + "/" + name) }
        return total
    }
}

/// The parts of `struct stat` boxlab uses.
public struct FileStatus: Sendable, Equatable {
    public var mode: UInt32
    public var size: Int64
    public var inode: UInt64
    public var device: UInt64
    public var rdev: UInt64
    public var uid: UInt32
    public var gid: UInt32
    public var mtime: Int64
    public var links: UInt64

    init(_ st: stat) {
        mode = UInt32(st.st_mode)
        size = Int64(st.st_size)
        inode = UInt64(st.st_ino)
        device = UInt64(st.st_dev)
        rdev = UInt64(st.st_rdev)
        uid = st.st_uid
        gid = st.st_gid
        mtime = Int64(st.st_mtim.tv_sec)
        links = UInt64(st.st_nlink)
    }

    public var type: UInt32 { mode & UInt32(S_IFMT) }
    public var isDirectory: Bool { type == UInt32(S_IFDIR) }
    public var isRegular: Bool { type == UInt32(S_IFREG) }
    public var isSymlink: Bool { type == UInt32(S_IFLNK) }
    public var permissions: UInt32 { mode & 0o7777 }
}

/// String path helpers (no Foundation URL on the hot path).
public enum Path {
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func base(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func join(_ parts: String...) -> String {
        var result = ""
        for part in parts where !part.isEmpty {
            if result.isEmpty || result.hasSuffix("/") {
                result += part
            } else if part.hasPrefix("/") {
                result += part
            } else {
                result += "/" + part
            }
        }
        return result
    }

    /// Makes `path` absolute against the current directory, removing "." and "..".
    public static func absolute(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let cwd = getcwd(&buffer, buffer.count) != nil
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/"
            full = cwd + "/" + path
        }
        return normalize(full)
    }

    /// Lexically cleans an absolute path ("/a/./b/../c" → "/a/c").
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
