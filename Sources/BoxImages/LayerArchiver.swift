#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Turns a container's read-write layer (its overlay upper directory) into
/// an OCI layer tar: what a RUN step or `commit` adds to an image. overlayfs
/// records a deletion as a 0/0 character device and a directory whose lower
/// contents were replaced as xattr trusted.overlay.opaque=y; OCI layers say
/// the same with marker files, which is what goes into the tar:
///   whiteout NAME   →  regular empty file `.wh.NAME`
///   opaque dir D    →  D, then regular empty file `D/.wh..wh..opq`
/// (LayerUnpacker turns them back into overlayfs form when unpacking.)
/// Entries come in sorted order, parents first; files hard-linked together
/// stay one file; overlay's own xattrs are left out, file capabilities kept.
public struct LayerArchiver {
    /// Files the runtime creates as mount points, which are not the
    /// container's own changes (docker keeps them in a hidden "init" layer).
    public static let runtimeFiles: Set<String> = ["etc/hostname", "etc/hosts", "etc/resolv.conf"]
    /// Mount point directories: left out when empty (their contents are other filesystems).
    public static let runtimeDirectories: Set<String> = ["dev", "proc", "sys"]

    public init() {}

    /// Writes the layer for `directory` to `fd`; returns digest (= diff_id) and size.
    public func write(directory: String, to fd: Int32) throws -> (digest: String, size: Int64) {
        var writer = TarWriter(fd: fd)
        try walkRoot(directory, writer: &writer)
        return try writer.finish()
    }

    /// The layer as bytes (tests, small layers).
    public func archive(directory: String) throws -> [UInt8] {
        var writer = TarWriter()
        try walkRoot(directory, writer: &writer)
        _ = try writer.finish()
        return writer.archive
    }

    private func walkRoot(_ directory: String, writer: inout TarWriter) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("image", "open", directory) }
        defer { close(fd) }
        var links: [String: String] = [:]
        try walk(fd, path: directory, relative: "", writer: &writer, links: &links)
    }

    /// True for a path this archiver leaves out of layers (and `diff` leaves unlisted).
    public static func isRuntimeArtifact(_ relative: String, isDirectory: Bool, path: String) -> Bool {
        if runtimeFiles.contains(relative) { return true }
        if runtimeDirectories.contains(relative), isDirectory { return ((try? FS.list(path)) ?? []).isEmpty }
        return false
    }

    /// Walks the directory open as `dirFD` entry by entry with *at calls
    /// that never follow symlinks, so a container still running (commit
    /// --no-pause) cannot redirect the walk to host files by swapping a
    /// directory for a link.
    private func walk(_ dirFD: Int32, path directory: String, relative: String, writer: inout TarWriter,
                      links: inout [String: String]) throws {
        for name in try Self.names(dirFD, path: directory) {
            let path = directory + "/" + name
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            if fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) != 0 { continue }  // vanished
            let status = Meta(st)
            if Self.isRuntimeArtifact(entryPath, isDirectory: status.type == UInt32(S_IFDIR), path: path) { continue }
            var entry = TarEntry(
                path: entryPath, kind: .regular, mode: status.permissions, uid: Int(status.uid), gid: Int(status.gid),
                mtime: status.mtime)
            switch status.type {
            case UInt32(S_IFDIR):
                let child = openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child < 0 { throw SysError.current("image", "openat", path) }
                defer { close(child) }
                entry.kind = .directory
                try writer.add(entry)
                if Xattr.get(fd: child, name: "trusted.overlay.opaque") == Array("y".utf8) {
                    var marker = TarEntry(path: entryPath + "/" + LayerUnpacker.opaqueMarker, kind: .regular, mode: 0o644)
                    marker.mtime = status.mtime
                    try writer.add(marker)
                }
                try walk(child, path: path, relative: entryPath, writer: &writer, links: &links)
            case UInt32(S_IFREG):
                if status.links > 1 {
                    let key = "\(status.device):\(status.inode)"
                    if let first = links[key] {
                        entry.kind = .hardlink
                        entry.linkTarget = first
                        try writer.add(entry)
                        continue
                    }
                    links[key] = entryPath
                }
                let fd = openat(dirFD, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                if fd < 0 { throw SysError.current("image", "openat", path) }
                defer { close(fd) }
                entry.size = status.size
                if let capability = Xattr.get(fd: fd, name: "security.capability") {
                    entry.xattrs["security.capability"] = capability
                }
                try writer.add(entry, reading: fd)
            case UInt32(S_IFLNK):
                entry.kind = .symlink
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlinkat(dirFD, name, &buffer, buffer.count - 1)
                if n < 0 { throw SysError.current("image", "readlinkat", path) }
                entry.linkTarget = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                try writer.add(entry)
            case UInt32(S_IFCHR) where status.rdev == 0:
                // overlayfs whiteout: the file was deleted.
                let marker = TarEntry(
                    path: (relative.isEmpty ? "" : relative + "/") + LayerUnpacker.whiteoutPrefix + name,
                    kind: .regular, mode: 0o600, uid: Int(status.uid), gid: Int(status.gid), mtime: status.mtime)
                try writer.add(marker)
            case UInt32(S_IFCHR), UInt32(S_IFBLK):
                entry.kind = status.type == UInt32(S_IFCHR) ? .characterDevice : .blockDevice
                entry.deviceMajor = LayerPaths.major(status.rdev)
                entry.deviceMinor = LayerPaths.minor(status.rdev)
                try writer.add(entry)
            case UInt32(S_IFIFO):
                entry.kind = .fifo
                try writer.add(entry)
            default:
                continue  // sockets cannot be archived (docker skips them too)
            }
        }
    }

    /// The sorted names in the directory open as `fd` (its own fd is left open).
    static func names(_ fd: Int32, path: String) throws -> [String] {
        let copy = dup(fd)
        if copy < 0 { throw SysError.current("image", "dup", path) }
        guard let dir = fdopendir(copy) else {
            close(copy)
            throw SysError.current("image", "fdopendir", path)
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// The parts of `struct stat` the archiver uses (read with fstatat).
private struct Meta {
    var type: UInt32
    var permissions: UInt32
    var uid: UInt32
    var gid: UInt32
    var mtime: Int64
    var size: Int64
    var rdev: UInt64
    var links: UInt64
    var device: UInt64
    var inode: UInt64

    init(_ st: stat) {
        type = UInt32(st.st_mode) & UInt32(S_IFMT)
        permissions = UInt32(st.st_mode) & 0o7777
        uid = st.st_uid
        gid = st.st_gid
        mtime = Int64(st.st_mtim.tv_sec)
        size = Int64(st.st_size)
        rdev = UInt64(st.st_rdev)
        links = UInt64(st.st_nlink)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
