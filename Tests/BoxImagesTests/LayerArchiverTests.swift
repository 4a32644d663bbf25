#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

/// Whiteouts and opaque directories need root (mknod, trusted.* xattrs).
private let isRoot = geteuid() == 0

@Suite("Upper dir → OCI layer (whiteouts, opaque dirs) and the merged view")
struct LayerArchiverTests {
    /// An overlay-style upper dir: a new file, a deleted file, an opaque dir, a hard link, runtime mount points.
    func makeUpper(_ root: String) throws {
        try FS.makeDirectories(root + "/etc", stage: "test")
        try FS.write(root + "/etc/motd", Array("hi\n".utf8), flags: O_WRONLY | O_CREAT, stage: "test")
        #expect(mknod(root + "/etc/group", S_IFCHR, 0) == 0, "whiteout mknod")
        try FS.makeDirectories(root + "/var/cache", stage: "test")
        #expect(Xattr.setPath(root + "/var/cache", "trusted.overlay.opaque", "y") == 0, "opaque xattr")
        try FS.write(root + "/var/cache/new", [], flags: O_WRONLY | O_CREAT, stage: "test")
        #expect(link(root + "/etc/motd", root + "/etc/motd.link") == 0)
        try FS.write(root + "/etc/hostname", [], flags: O_WRONLY | O_CREAT, stage: "test")  // a mount point
        try FS.makeDirectory(root + "/proc", stage: "test")  // an empty mount point dir
        try FS.symlink(target: "motd", at: root + "/etc/motd.sym", stage: "test")
    }

    @Test(.enabled(if: isRoot, "needs root for mknod and trusted.* xattrs"))
    func convertsWhiteoutsAndOpaqueDirs() throws {
        try TempRoot.with { root in
            let upper = root + "/upper"
            try makeUpper(upper)
            let archive = try LayerArchiver().archive(directory: upper)
            var reader = TarReader(bytes: archive)
            var entries: [TarEntry] = []
            while let entry = try reader.next() { entries.append(entry) }
            let paths = entries.map(\.path)
            #expect(paths == [
                "etc", "etc/.wh.group", "etc/motd", "etc/motd.link", "etc/motd.sym",
                "var", "var/cache", "var/cache/.wh..wh..opq", "var/cache/new",
            ])
            #expect(entries.first { $0.path == "etc/motd.link" }?.kind == .hardlink)
            #expect(entries.first { $0.path == "etc/motd.link" }?.linkTarget == "etc/motd")
            #expect(entries.first { $0.path == "etc/.wh.group" }?.kind == .regular)
            #expect(entries.allSatisfy { $0.xattrs["trusted.overlay.opaque"] == nil })

            // Unpacked again, the layer is back in overlayfs form.
            let unpacked = root + "/unpacked"
            try FS.makeDirectory(unpacked, stage: "test")
            var again = TarReader(bytes: archive)
            try LayerUnpacker().unpack(&again, into: unpacked)
            let group = try FS.status(unpacked + "/etc/group")
            #expect(LayerStack.isWhiteout(group))
            #expect(Xattr.isOpaque(path: unpacked + "/var/cache"))
            #expect(!FS.exists(unpacked + "/etc/hostname"))
        }
    }

    @Test(.enabled(if: isRoot, "needs root for mknod and trusted.* xattrs"))
    func theMergedViewHonoursWhiteoutsAndOpaqueDirs() throws {
        try TempRoot.with { root in
            let base = root + "/base", top = root + "/top"
            for dir in ["/etc", "/var/cache/old", "/usr/bin"] { try FS.makeDirectories(base + dir, stage: "test") }
            try FS.write(base + "/etc/group", [], flags: O_WRONLY | O_CREAT, stage: "test")
            try FS.write(base + "/etc/passwd", [], flags: O_WRONLY | O_CREAT, stage: "test")
            try FS.symlink(target: "/usr/bin", at: base + "/bin", stage: "test")
            try makeUpper(top)
            let stack = LayerStack(topFirst: [top, base])
            #expect(stack.contains(["etc", "passwd"]))
            #expect(!stack.contains(["etc", "group"]), "whited out")
            #expect(stack.contains(["etc", "motd"]))
            #expect(!stack.contains(["var", "cache", "old"]), "hidden by the opaque dir")
            #expect(stack.contains(["var", "cache", "new"]))
            #expect(stack.resolve("/bin/tool") == ["usr", "bin", "tool"])
            #expect(stack.resolve("/../../etc/../bin") == ["usr", "bin"])

            let changes = try ContainerChanges.changes(upper: top, lowerBaseFirst: [base])
            #expect(changes.map(\.description) == [
                "C /etc", "D /etc/group", "A /etc/motd", "A /etc/motd.link", "A /etc/motd.sym",
                "C /var", "C /var/cache", "A /var/cache/new",
            ])
        }
    }
}

extension Xattr {
    /// setxattr by path, for tests (lsetxattr through dlsym like the rest).
    static func setPath(_ path: String, _ name: String, _ value: String) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        return set(fd: fd, name: name, value: Array(value.utf8))
    }
}
