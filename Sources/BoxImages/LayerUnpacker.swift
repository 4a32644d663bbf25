#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Extracts a layer tar into a directory that overlayfs can use as a lower
/// dir. Layers are untrusted input, so extraction is defensive:
/// - paths that are absolute or contain ".." are refused;
/// - parents are opened one component at a time without following symlinks
///   (`SafeTree`), so a layer cannot plant `a -> /` and then write `a/x`;
/// - hardlinks may only point at files already inside the layer;
/// - mode, owner and mtime are applied (lchown/fchown, utimensat, futimens),
///   and directory mtimes last, because creating children changes them.
/// OCI whiteouts become overlayfs ones: `.wh.NAME` → a 0/0 character device
/// NAME; `.wh..wh..opq` → xattr trusted.overlay.opaque=y on its directory.
public struct LayerUnpacker: Sendable {
    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    public init() {}

    /// Unpacks the tar file at `archive` into the existing directory `directory`.
    public func unpack(archive: String, into directory: String) throws {
        let fd = open(archive, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("image", "open", archive) }
        defer { close(fd) }
        var reader = TarReader(fd: fd)
        try unpack(&reader, into: directory)
    }

    /// Unpacks every entry of `reader` into the existing directory `directory`.
    public func unpack(_ reader: inout TarReader, into directory: String) throws {
        let tree = try SafeTree(root: directory)
        let isRoot = geteuid() == 0
        var directories: [(components: [String], entry: TarEntry)] = []
        while let entry = try reader.next() {
            let components = try LayerPath.components(entry.path, entry: entry.path)
            guard let name = components.last else {
                // "./": the layer's own root directory.
                try applyOwnerAndMode(entry, fd: tree.rootFD, isRoot: isRoot)
                directories.append(([], entry))
                continue
            }
            let parent = try tree.openParent(components, entry: entry.path, create: true)
            defer { close(parent) }
            if name == Self.opaqueMarker {
                if Xattr.set(fd: parent, name: "trusted.overlay.opaque", value: Array("y".utf8)) != 0 {
                    throw SafeTree.failure(entry.path, "fsetxattr trusted.overlay.opaque")
                }
            } else if name.hasPrefix(Self.whiteoutPrefix + Self.whiteoutPrefix) {
                continue  // other AUFS metadata (.wh..wh.plnk, …): meaningless to overlayfs
            } else if name.hasPrefix(Self.whiteoutPrefix) {
                let hidden = String(name.dropFirst(Self.whiteoutPrefix.count))
                if hidden.isEmpty || hidden == "." || hidden == ".." {
                    throw ImageError.unsafeEntry(entry: entry.path, reason: "whiteout of \"\(hidden)\" names no file")
                }
                try removeExisting(hidden, in: parent, tree: tree, components: components.dropLast() + [hidden], entry: entry.path)
                if mknodat(parent, hidden, S_IFCHR, 0) != 0 { throw SafeTree.failure(entry.path, "mknodat whiteout", hidden) }
                try applyAt(parent, hidden, entry, isRoot: isRoot, chmod: false)
            } else {
                try create(entry, name: name, components: components, parent: parent, tree: tree,
                           reader: &reader, isRoot: isRoot, directories: &directories)
            }
        }
        // Directory times last, deepest first, re-walking safely (a later entry may have replaced a parent).
        for (components, entry) in directories.reversed() {
            guard let name = components.last else {
                var times = [timespec(tv_sec: Int(entry.mtime), tv_nsec: 0), timespec(tv_sec: Int(entry.mtime), tv_nsec: 0)]
                futimens(tree.rootFD, &times)
                continue
            }
            guard let parent = try? tree.openParent(components, entry: entry.path, create: false) else { continue }
            var times = [timespec(tv_sec: Int(entry.mtime), tv_nsec: 0), timespec(tv_sec: Int(entry.mtime), tv_nsec: 0)]
            utimensat(parent, name, &times, AT_SYMLINK_NOFOLLOW)
            close(parent)
        }
    }

    // MARK: - Entry kinds

    private func create(
        _ entry: TarEntry, name: String, components: [String], parent: Int32, tree: borrowing SafeTree,
        reader: inout TarReader, isRoot: Bool, directories: inout [(components: [String], entry: TarEntry)]
    ) throws {
        let existing = SafeTree.kind(parent, name)
        if entry.kind == .directory && existing == S_IFDIR {
            // Kept: a directory entry after its children only updates metadata.
        } else if existing != nil {
            try removeExisting(name, in: parent, tree: tree, components: components, entry: entry.path)
        }
        switch entry.kind {
        case .regular:
            let fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 { throw SafeTree.failure(entry.path, "openat") }
            defer { close(fd) }
            try reader.readContents { chunk in
                do { try FS.writeAll(fd: fd, Array(chunk), stage: "image") } catch let error as SysError {
                    throw ImageError.unpackFailed(entry: entry.path, reason: "write: \(SafeTree.explain(error.errno))")
                }
            }
            try applyOwnerAndMode(entry, fd: fd, isRoot: isRoot)
            var times = [timespec(tv_sec: Int(entry.mtime), tv_nsec: 0), timespec(tv_sec: Int(entry.mtime), tv_nsec: 0)]
            if futimens(fd, &times) != 0 { throw SafeTree.failure(entry.path, "futimens") }
        case .directory:
            if existing != S_IFDIR, mkdirat(parent, name, 0o700) != 0 { throw SafeTree.failure(entry.path, "mkdirat") }
            let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 { throw SafeTree.failure(entry.path, "openat") }
            defer { close(fd) }
            try applyOwnerAndMode(entry, fd: fd, isRoot: isRoot)
            directories.append((components, entry))
        case .symlink:
            if entry.linkTarget.utf8.contains(0) {
                throw ImageError.unsafeEntry(entry: entry.path, reason: "symlink target contains a NUL byte")
            }
            // Any target is fine: it is resolved inside the container's root, never by us.
            if symlinkat(entry.linkTarget, parent, name) != 0 { throw SafeTree.failure(entry.path, "symlinkat") }
            try applyAt(parent, name, entry, isRoot: isRoot, chmod: false)
        case .hardlink:
            let target = try LayerPath.components(entry.linkTarget, entry: entry.path, what: "hardlink target")
            guard let targetName = target.last else {
                throw ImageError.unsafeEntry(entry: entry.path, reason: "hardlink to the layer root")
            }
            let targetParent = try tree.openParent(target, entry: entry.path, create: false)
            defer { close(targetParent) }
            guard let kind = SafeTree.kind(targetParent, targetName) else {
                throw ImageError.unsafeEntry(
                    entry: entry.path, reason: "hardlink target \(entry.linkTarget) is not an earlier entry of this layer")
            }
            if kind == S_IFDIR {
                throw ImageError.unsafeEntry(entry: entry.path, reason: "hardlink target \(entry.linkTarget) is a directory")
            }
            if linkat(targetParent, targetName, parent, name, 0) != 0 { throw SafeTree.failure(entry.path, "linkat") }
        case .characterDevice, .blockDevice, .fifo:
            let type = entry.kind == .fifo ? S_IFIFO : entry.kind == .blockDevice ? S_IFBLK : S_IFCHR
            let device = Self.makeDevice(entry.deviceMajor, entry.deviceMinor)
            if mknodat(parent, name, type | mode_t(entry.mode & 0o777), device) != 0 {
                throw SafeTree.failure(entry.path, "mknodat")
            }
            try applyAt(parent, name, entry, isRoot: isRoot, chmod: true)
        }
    }

    /// Removes what an entry replaces (later entries win, as in docker).
    private func removeExisting(
        _ name: String, in parent: Int32, tree: borrowing SafeTree, components: [String], entry: String
    ) throws {
        guard let kind = SafeTree.kind(parent, name) else { return }
        if kind != S_IFDIR {
            if unlinkat(parent, name, 0) != 0 { throw SafeTree.failure(entry, "unlinkat", name) }
            return
        }
        if unlinkat(parent, name, AT_REMOVEDIR) == 0 { return }
        // A non-empty directory: its parents were just walked without following links, so the path is safe.
        do { try FS.removeTree(tree.rootPath + "/" + components.joined(separator: "/"), stage: "image") } catch let error as SysError {
            throw ImageError.unpackFailed(entry: entry, reason: "removing \(name): \(SafeTree.explain(error.errno))")
        }
    }

    // MARK: - Metadata

    /// Owner first, then mode: chown clears setuid/setgid bits.
    private func applyOwnerAndMode(_ entry: TarEntry, fd: Int32, isRoot: Bool) throws {
        if isRoot, fchown(fd, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid)) != 0 {
            throw SafeTree.failure(entry.path, "fchown")
        }
        if fchmod(fd, mode_t(entry.mode & 0o7777)) != 0 { throw SafeTree.failure(entry.path, "fchmod") }
        for (key, value) in entry.xattrs.sorted(by: { $0.key < $1.key }) where Xattr.set(fd: fd, name: key, value: value) != 0 {
            if errno == EOPNOTSUPP { continue }  // the filesystem has no such namespace (e.g. security.selinux)
            throw SafeTree.failure(entry.path, "fsetxattr", key)
        }
    }

    /// Metadata for entries that cannot be opened (symlinks, devices, whiteouts).
    private func applyAt(_ parent: Int32, _ name: String, _ entry: TarEntry, isRoot: Bool, chmod: Bool) throws {
        if isRoot, fchownat(parent, name, uid_t(truncatingIfNeeded: entry.uid), gid_t(truncatingIfNeeded: entry.gid),
                            AT_SYMLINK_NOFOLLOW) != 0 {
            throw SafeTree.failure(entry.path, "lchown")
        }
        if chmod, fchmodat(parent, name, mode_t(entry.mode & 0o7777), 0) != 0 { throw SafeTree.failure(entry.path, "fchmodat") }
        var times = [timespec(tv_sec: Int(entry.mtime), tv_nsec: 0), timespec(tv_sec: Int(entry.mtime), tv_nsec: 0)]
        if utimensat(parent, name, &times, AT_SYMLINK_NOFOLLOW) != 0 { throw SafeTree.failure(entry.path, "utimensat") }
    }

    /// glibc's makedev(), which Swift cannot import (it is a macro).
    static func makeDevice(_ major: UInt32, _ minor: UInt32) -> dev_t {
        let ma = UInt64(major), mi = UInt64(minor)
        return dev_t((ma & 0xFFFF_F000) << 32 | (ma & 0xFFF) << 8 | (mi & 0xFFFF_FF00) << 12 | (mi & 0xFF))
    }
}
