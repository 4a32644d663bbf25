#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

@Suite("Layer unpacker")
struct LayerUnpackerTests {
    @Test func unpacksFilesWithMetadata() throws {
        try TempRoot.with { root in
            let layer = root + "/layer"
            try FS.makeDirectory(layer)
            try unpack(TarTests.sample, into: layer)

            let hello = try #require(lstatus(layer + "/bin/hello"))
            #expect(hello.isRegular && hello.permissions == 0o755 && hello.mtime == 1_700_000_001)
            #expect(try FS.readText(layer + "/bin/hello") == "hello, layer\n")
            #expect(try FS.read(layer + "/bin/big") == TarTests.sample[2].1)
            let again = try #require(lstatus(layer + "/bin/hello-again"))
            #expect(again.inode == hello.inode && again.links == 2)
            #expect(try FS.readLink(layer + "/bin/sh") == "/bin/busybox")
            #expect(lstatus(layer + "/bin/sh")?.mtime == 3)
            #expect(try FS.readLink(layer + "/bin/far") == TarTests.longTarget)
            let su = try #require(lstatus(layer + "/bin/su"))
            #expect(su.permissions == 0o4755)  // setuid survives: mode is applied after chown
            if geteuid() == 0 { #expect(su.uid == 3_000_000 && su.gid == 42) }
            let null = try #require(lstatus(layer + "/dev/null"))
            #expect(null.type == UInt32(S_IFCHR) && null.rdev == UInt64(LayerUnpacker.makeDevice(1, 3)))
            #expect(null.permissions == 0o666)
            #expect(lstatus(layer + "/dev/fifo")?.type == UInt32(S_IFIFO))
            let tmp = try #require(lstatus(layer + "/tmp"))
            #expect(tmp.permissions == 0o1777 && tmp.mtime == 8)
            // Directory times are applied last, so adding children did not change them.
            #expect(lstatus(layer + "/bin")?.mtime == 1_700_000_000)
            #expect(try FS.readText(layer + "/" + TarTests.longName) == "hello, layer\n")
            let fd = open(layer + "/bin/ping", O_RDONLY)
            defer { close(fd) }
            #expect(Xattr.get(fd: fd, name: "user.boxlab") == Array("cap".utf8))
        }
    }

    @Test func laterEntriesReplaceEarlierOnes() throws {
        try TempRoot.with { root in
            try unpack([
                (.directory("x"), []),
                (.file("x/inner", size: 1), [1]),
                (.file("x", size: 2), [2, 2]),  // a file replaces a non-empty dir
                (.file("y", size: 1), [3]),
                (.symlink("y", to: "x"), []),
            ], into: root)
            #expect(try FS.read(root + "/x") == [2, 2])
            #expect(try FS.readLink(root + "/y") == "x")
        }
    }

    @Test func missingParentsAreCreated() throws {
        try TempRoot.with { root in
            try unpack([(.file("a/b/c", size: 1), [9])], into: root)
            #expect(lstatus(root + "/a/b")?.isDirectory == true)
            #expect(try FS.read(root + "/a/b/c") == [9])
        }
    }

    static let unsafe: [(String, [(TarEntry, [UInt8])], String)] = [
        ("dot-dot", [(.file("../x", size: 1), [1])], "'..'"),
        ("nested dot-dot", [(.file("a/../../x", size: 1), [1])], "'..'"),
        ("absolute", [(.file("/etc/x", size: 1), [1])], "absolute"),
        ("through a symlink to /", [(.symlink("a", to: "/"), []), (.file("a/x", size: 1), [1])], "a is a symlink"),
        ("through a relative symlink", [(.symlink("up", to: ".."), []), (.file("up/x", size: 1), [1])], "up is a symlink"),
        ("hardlink outside", [(.hardlink("h", to: "../outside/secret"), [])], "'..'"),
        ("hardlink absolute", [(.hardlink("h", to: "/etc/passwd"), [])], "absolute"),
        ("hardlink through a symlink", [(.symlink("a", to: "/etc"), []), (.hardlink("h", to: "a/passwd"), [])], "a is a symlink"),
        ("whiteout of ..", [(.file(".wh..", size: 0), [])], "names no file"),
        ("hardlink to nothing", [(.hardlink("h", to: "missing"), [])], "not an earlier entry"),
    ]

    @Test("refuses entries that would escape the layer", arguments: unsafe)
    func refuses(_ name: String, _ entries: [(TarEntry, [UInt8])], _ reason: String) throws {
        try TempRoot.with { root in
            let layer = root + "/layer", outside = root + "/outside"
            try FS.makeDirectory(layer)
            try FS.makeDirectory(outside)
            try FS.writeAtomically(outside + "/secret", "keep")
            do {
                try unpack(entries, into: layer)
                Issue.record("\(name): unpacked without complaint")
            } catch let ImageError.unsafeEntry(entry, why) {
                #expect(entry == entries.last!.0.path)
                #expect(why.contains(reason), "\(name): \(why)")
            }
            #expect(try FS.list(root) == ["layer", "outside"])
            #expect(try FS.list(outside) == ["secret"])
            #expect(lstatus(outside + "/secret")?.links == 1)
        }
    }

    @Test func symlinkToRootNeverWritesToTheHost() throws {
        try TempRoot.with { root in
            let marker = "boxlab-escape-\(Hex.encode(Random.bytes(6)))"
            #expect(throws: ImageError.self) {
                try unpack([(.symlink("a", to: "/tmp"), []), (.file("a/" + marker, size: 1), [1])], into: root)
            }
            #expect(!FS.exists("/tmp/" + marker))
        }
    }

    @Test func whiteoutsBecomeOverlayWhiteouts() throws {
        guard geteuid() == 0 else { return }  // mknod of a 0/0 device and trusted.* xattrs need root
        try TempRoot.with { root in
            try unpack([
                (.directory("etc"), []),
                (.file("etc/.wh.motd", size: 0), []),
                (.directory("var/cache"), []),
                (.file("var/cache/.wh..wh..opq", size: 0), []),
                (.file("var/cache/new", size: 1), [1]),
                (.file(".wh..wh.plnk", size: 0), []),
            ], into: root)
            let whiteout = try #require(lstatus(root + "/etc/motd"))
            #expect(whiteout.type == UInt32(S_IFCHR) && whiteout.rdev == 0)
            #expect(!FS.exists(root + "/etc/.wh.motd"))
            let fd = open(root + "/var/cache", O_RDONLY | O_DIRECTORY)
            defer { close(fd) }
            #expect(Xattr.get(fd: fd, name: "trusted.overlay.opaque") == Array("y".utf8))
            #expect(!FS.exists(root + "/var/cache/.wh..wh..opq"))
            #expect(FS.exists(root + "/var/cache/new"))
            #expect(!FS.exists(root + "/.wh..wh.plnk"))
        }
    }

    @Test func errorsNameTheEntry() throws {
        try TempRoot.with { root in
            try FS.writeAtomically(root + "/file", "x")
            do {
                try unpack([(.file("file/child", size: 0), [])], into: root)
                Issue.record("unpacked under a file")
            } catch let ImageError.unpackFailed(entry, reason) {
                #expect(entry == "file/child")
                #expect(reason.contains("not a directory"))
            }
        }
    }
}
