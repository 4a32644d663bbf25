#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

/// The gzip decoder (zlib) against the host's gzip, and gzip in archives.
@Suite("archives: gzip (RFC 1952/1951) inflate", .enabled(if: access("/bin/gzip", X_OK) == 0, "gzip is missing"))
struct ArchiveGzipTests {
    /// Bytes gzip'ed by the host's gzip with `flags`.
    static func gzip(_ bytes: [UInt8], _ flags: String = "-6") throws -> [UInt8] {
        try TempRoot.with { root in
            try FS.writeAtomically(root + "/data", bytes)
            #expect(system("gzip \(flags) -n -c \(root)/data > \(root)/data.gz") == 0)
            return try FS.read(root + "/data.gz")
        }
    }

    static func sample(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var text: [UInt8] = []
        let words = ["layer", "image", "container", "namespace", "cgroup", "/usr/bin/", "\n", " ", "busybox", "sha256:"]
        while text.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let pick = Int(state >> 33)
            if pick % 7 == 0 { text.append(UInt8(truncatingIfNeeded: pick >> 8)) } else {
                text += Array(words[pick % words.count].utf8)
            }
        }
        return Array(text.prefix(count))
    }

    @Test(arguments: ["-1", "-6", "-9"])
    func matchesHostGzip(level: String) throws {
        for data in [[], Array("a".utf8), Self.sample(300_000, seed: 7), [UInt8](repeating: 0x41, count: 3_000_000)] {
            #expect(try Gzip.decompress(Self.gzip(data, level)) == data)
        }
    }

    @Test func storedBlocksAndMultipleMembers() throws {
        var random: [UInt8] = []
        var state: UInt64 = 1
        for _ in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1
            random.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        let first = try Self.gzip(random)  // incompressible: stored blocks
        let second = try Self.gzip(Array("second member\n".utf8))
        #expect(try Gzip.decompress(first + second) == random + Array("second member\n".utf8))
    }

    @Test func refusesDamagedData() throws {
        let good = try Self.gzip(Self.sample(100_000, seed: 3))
        #expect(throws: Gzip.DecodeError.self) { try Gzip.decompress(Array(good.prefix(good.count / 2))) }
        var flipped = good
        flipped[good.count / 2] ^= 0x10
        #expect(throws: Gzip.DecodeError.self) { try Gzip.decompress(flipped) }
        #expect(throws: Gzip.DecodeError.self) { try Gzip.decompress(Array("plain".utf8)) }
    }

    /// Seeded damage: every mutated stream decodes or is refused with a DecodeError (no other error, no crash).
    @Test func damagedStreamsAreRefusedWithAReason() throws {
        let good = try Self.gzip(Self.sample(20_000, seed: 11))
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var refused = 0
        for _ in 0..<300 {
            var bytes = good
            for _ in 0..<(1 + next(4)) {
                switch next(3) {
                case 0: bytes[next(bytes.count)] ^= UInt8(1 << next(8))
                case 1: bytes = Array(bytes.prefix(next(bytes.count)))
                default: bytes.insert(UInt8(next(256)), at: next(bytes.count + 1))
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do { _ = try Gzip.decompress(bytes) } catch is Gzip.DecodeError { refused += 1 }
        }
        #expect(refused > 200)
    }

    @Test func loadsAGzippedArchiveAndGzipLayers() throws {
        try TempRoot.with { root in
            let source = ImageStore(root: root + "/a")
            let image = try ArchiveTests.makeImage(source, name: "demo:gz", files: ["hello": "compressed\n"])
            try source.save(["demo:gz"], to: root + "/demo.tar")
            // The whole archive gzip'ed (docker save | gzip).
            try FS.writeAtomically(root + "/demo.tar.gz", try Self.gzip(try FS.read(root + "/demo.tar")))
            let first = ImageStore(root: root + "/b")
            #expect(try first.load(archive: root + "/demo.tar.gz").map(\.manifestDigest) == [image.manifestDigest])
            #expect(try FS.readText(try first.resolve("demo:gz").layers[0].path + "/hello") == "compressed\n")

            // A gzip layer, as podman's OCI archives have: stored uncompressed, under a rewritten manifest.
            let layer = try FS.read(source.layout.blobPath(image.layers[0].digest))
            let compressed = try Self.gzip(layer)
            let gzDigest = ContentDigest.sha256(compressed)
            let config = try FS.read(source.layout.blobPath(image.id))
            let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(image.id)","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(gzDigest)","size":\#(compressed.count)}]}"#.utf8)
            let index = Array(#"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(ContentDigest.sha256(manifest))","size":\#(manifest.count),"annotations":{"org.opencontainers.image.ref.name":"localhost/demo:gz"}}]}"#.utf8)
            func blob(_ bytes: [UInt8]) -> (TarEntry, [UInt8]) {
                (TarEntry.file("blobs/sha256/" + ContentDigest.hex(ContentDigest.sha256(bytes)), size: bytes.count), bytes)
            }
            try ArchiveTests.write([
                (TarEntry.file("oci-layout", size: 0), Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)),
                (TarEntry.file("index.json", size: 0), index), blob(manifest), blob(config), blob(compressed),
            ], to: root + "/podman.tar")
            let second = ImageStore(root: root + "/c")
            let loaded = try second.load(archive: root + "/podman.tar")
            #expect(loaded.map(\.id) == [image.id])
            let resolved = try second.resolve("localhost/demo:gz")
            #expect(resolved.layers.map(\.digest) == image.layers.map(\.digest))
            #expect(try FS.readText(resolved.layers[0].path + "/hello") == "compressed\n")
        }
    }
}
