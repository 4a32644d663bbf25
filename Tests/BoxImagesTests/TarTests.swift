#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

@Suite("Tar writer and reader")
struct TarTests {
    static let longDirectory = String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 40)
    static let longName = longDirectory + "/" + String(repeating: "f", count: 120) + ".txt"
    static let longTarget = "/" + String(repeating: "t", count: 150)

    static var sample: [(TarEntry, [UInt8])] {
        let hello = Array("hello, layer\n".utf8)
        let big = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var setuid = TarEntry.file("bin/su", size: 0, mode: 0o4755, mtime: 1_700_000_000)
        setuid.uid = 3_000_000  // too big for the octal field: needs PAX
        setuid.gid = 42
        var capped = TarEntry.file("bin/ping", size: 0, mode: 0o755, mtime: 1_700_000_000)
        capped.xattrs = ["user.boxlab": Array("cap".utf8)]
        var device = TarEntry(path: "dev/null", kind: .characterDevice, mode: 0o666, mtime: 5, deviceMajor: 1, deviceMinor: 3)
        device.uid = 0
        return [
            (.directory("bin", mtime: 1_700_000_000), []),
            (.file("bin/hello", size: hello.count, mode: 0o755, mtime: 1_700_000_001), hello),
            (.file("bin/big", size: big.count, mtime: 1_700_000_002), big),
            (setuid, []),
            (capped, []),
            (.hardlink("bin/hello-again", to: "bin/hello", mode: 0o755, mtime: 1_700_000_001), []),
            (.symlink("bin/sh", to: "/bin/busybox", mtime: 3), []),
            (.symlink("bin/far", to: longTarget, mtime: 3), []),
            (.directory("dev", mtime: 4), []),
            (device, []),
            (TarEntry(path: "dev/fifo", kind: .fifo, mode: 0o600, mtime: 4), []),
            (.directory(String(repeating: "d", count: 90), mtime: 6), []),
            (.directory(longDirectory, mtime: 6), []),
            (.file(longName, size: hello.count, mtime: 7), hello),
            (.directory("tmp", mode: 0o1777, mtime: 8), []),
        ]
    }

    @Test func roundTripInMemory() throws {
        var writer = TarWriter()
        for (entry, contents) in Self.sample { try writer.add(entry, contents: contents) }
        let (digest, size) = try writer.finish()
        #expect(size == Int64(writer.archive.count))
        #expect(size % 512 == 0)
        #expect(digest == ContentDigest.sha256(writer.archive))

        var reader = TarReader(bytes: writer.archive)
        var read: [(TarEntry, [UInt8])] = []
        while let entry = try reader.next() { read.append((entry, try reader.readAllContents())) }
        #expect(read.count == Self.sample.count)
        for ((expected, contents), (actual, actualContents)) in zip(Self.sample, read) {
            #expect(actual == expected)
            #expect(actualContents == contents, "contents of \(expected.path)")
        }
    }

    @Test func roundTripThroughAFileSkippingContents() throws {
        try TempRoot.with { root in
            let path = root + "/layer.tar"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(fd >= 0)
            var writer = TarWriter(fd: fd)
            for (entry, contents) in Self.sample { try writer.add(entry, contents: contents) }
            let (digest, size) = try writer.finish()
            close(fd)
            let bytes = try FS.read(path)
            #expect(Int64(bytes.count) == size)
            #expect(ContentDigest.sha256(bytes) == digest)

            // Reading headers only must skip every file's contents and padding.
            let input = open(path, O_RDONLY)
            defer { close(input) }
            var reader = TarReader(fd: input)
            var paths: [String] = []
            while let entry = try reader.next() { paths.append(entry.path) }
            #expect(paths == Self.sample.map(\.0.path))
        }
    }

    @Test func longNamesUsePAXAndShortOnesDoNot() throws {
        var writer = TarWriter()
        try writer.add(.file("short", size: 0))
        #expect(writer.size == 512)  // one ustar header, nothing else
        try writer.add(.file(Self.longName, size: 0))
        #expect(writer.archive[512 + 156] == UInt8(ascii: "x"))  // a PAX header comes first
    }

    @Test func readsWhatGNUTarWrites() throws {
        guard FS.exists("/usr/bin/tar") || FS.exists("/bin/tar") else { return }
        let tar = FS.exists("/usr/bin/tar") ? "/usr/bin/tar" : "/bin/tar"
        try TempRoot.with { root in
            try FS.makeDirectories(root + "/src/" + Self.longDirectory)
            try FS.writeAtomically(root + "/src/" + Self.longName, "gnu\n")
            try FS.symlink(target: Self.longTarget, at: root + "/src/link")
            for format in ["gnu", "posix", "ustar"] {
                let archive = root + "/\(format).tar"
                let result = try HostCommand.run(tar, ["--format=\(format)", "-C", root + "/src", "-cf", archive, "."])
                if format == "ustar" { continue }  // ustar cannot hold these names; GNU tar refuses
                #expect(result.status == 0, "tar --format=\(format) failed")
                var reader = TarReader(bytes: try FS.read(archive))
                var found: [String: TarEntry] = [:]
                while let entry = try reader.next() {
                    found[entry.path] = entry
                    if entry.path.hasSuffix(".txt") { #expect(try reader.readAllContents() == Array("gnu\n".utf8)) }
                }
                #expect(found["./" + Self.longName]?.kind == .regular, "\(format): \(found.keys.sorted())")
                #expect(found["./link"]?.linkTarget == Self.longTarget)
                #expect(found["./" + Self.longDirectory]?.kind == .directory)
            }
        }
    }

    @Test func hostTarReadsWhatWeWrite() throws {
        let tar = FS.exists("/usr/bin/tar") ? "/usr/bin/tar" : "/bin/tar"
        guard FS.exists(tar) else { return }
        try TempRoot.with { root in
            var writer = TarWriter()
            for (entry, contents) in Self.sample { try writer.add(entry, contents: contents) }
            _ = try writer.finish()
            try FS.writeAtomically(root + "/ours.tar", writer.archive)
            let listing = try HostCommand.run(tar, ["-tf", root + "/ours.tar"])
            #expect(listing.status == 0)
            let names = listing.text.split(separator: "\n").map { String($0) }
            #expect(names.contains(Self.longName))
            #expect(names.contains("bin/"))
        }
    }

    @Test func corruptHeaderIsReported() throws {
        var writer = TarWriter()
        try writer.add(.file("a", size: 1), contents: [1])
        try writer.add(.file("b", size: 1), contents: [2])
        _ = try writer.finish()
        var bytes = writer.archive
        bytes[1024 + 100] ^= 0x01  // b's mode field
        var reader = TarReader(bytes: bytes)
        _ = try reader.next()
        #expect(throws: ImageError.invalidArchive(entry: "b", reason: "header checksum mismatch (the header after a)")) {
            try reader.next()
        }
    }

    @Test func truncatedContentsAreReported() throws {
        var writer = TarWriter()
        try writer.add(.file("a", size: 1000), contents: [UInt8](repeating: 7, count: 1000))
        let bytes = Array(writer.archive.prefix(700))
        var reader = TarReader(bytes: bytes)
        _ = try reader.next()
        #expect(throws: ImageError.self) { try reader.readAllContents() }
    }

    @Test func contentsMustMatchTheSize() {
        var writer = TarWriter()
        #expect(throws: ImageError.self) { try writer.add(.file("a", size: 3), contents: [1]) }
    }
}
