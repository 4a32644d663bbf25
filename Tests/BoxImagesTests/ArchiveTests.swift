#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS
@testable import BoxImages
import Testing

/// save and load at the store level: OCI archives and docker archives,
/// round trips, and bad archives refused with the store left unchanged.
@Suite("archives: save (OCI archive) and load (OCI and docker archives)")
struct ArchiveTests {
    // MARK: - Helpers

    /// An image of one layer holding `files`, named `name`.
    @discardableResult
    static func makeImage(_ store: ImageStore, name: String, files: [String: String]) throws -> ResolvedImage {
        var tar = TarWriter()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try tar.add(.file(path, size: text.utf8.count), contents: Array(text.utf8))
        }
        let (digest, size) = try tar.finish()
        try FS.makeDirectories(store.layout.blobsDirectory)
        let temporary = store.layout.temporaryBlobPath("test")
        try FS.writeAtomically(temporary, tar.archive)
        let config = ImageConfig(cmd: ["/hello"], architecture: Platform.architecture(), diffIDs: [digest])
        let image = try store.addImage(
            config: config, baseLayers: [], newLayer: .init(archive: temporary, digest: digest, size: size),
            parent: nil, cacheKey: nil)
        try store.tag(image.id, as: ImageReference.parse(name))
        return image
    }

    static func entries(_ path: String) throws -> [(TarEntry, [UInt8])] {
        var reader = TarReader(bytes: try FS.read(path))
        var all: [(TarEntry, [UInt8])] = []
        while let entry = try reader.next() { all.append((entry, try reader.readAllContents())) }
        return all
    }

    static func write(_ entries: [(TarEntry, [UInt8])], to path: String) throws {
        var tar = TarWriter()
        for (entry, contents) in entries {
            var entry = entry
            entry.size = entry.kind == .regular ? Int64(contents.count) : 0
            try tar.add(entry, contents: contents)
        }
        _ = try tar.finish()
        try FS.writeAtomically(path, tar.archive)
    }

    /// What must not change when a load is refused.
    static func snapshot(_ store: ImageStore) -> [String] {
        let index = FS.readTextIfPresent(store.layout.indexPath) ?? "(none)"
        let blobs = ((try? FS.list(store.layout.blobsDirectory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let layers = ((try? FS.list(store.layersDirectory)) ?? []).sorted()
        return [index] + blobs + ["--"] + layers
    }

    /// A store with an image saved to an archive; `body` gets the archive path and a second, empty store.
    static func withSaved(_ body: (_ archive: String, _ source: ImageStore, _ image: ResolvedImage, _ target: ImageStore) throws -> Void) throws {
        try TempRoot.with { root in
            let source = ImageStore(root: root + "/a")
            let image = try makeImage(source, name: "example.com/demo:1", files: ["hello": "hi from the archive\n"])
            try source.save(["example.com/demo:1"], to: root + "/demo.tar")
            try body(root + "/demo.tar", source, image, ImageStore(root: root + "/b"))
        }
    }

    /// Rewrites the archive through `change`, then expects load to fail with
    /// `expected` and the target store to be unchanged.
    static func expectRefused(
        _ change: (inout [(TarEntry, [UInt8])]) -> Void, _ check: (ArchiveError) -> Bool,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        try withSaved { archive, _, _, target in
            var all = try entries(archive)
            change(&all)
            try write(all, to: archive)
            try makeImage(target, name: "other:1", files: ["x": "y"])
            let before = snapshot(target)
            do {
                _ = try target.load(archive: archive)
                Issue.record("load accepted a bad archive", sourceLocation: sourceLocation)
            } catch let error as ArchiveError {
                #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            }
            #expect(snapshot(target) == before, sourceLocation: sourceLocation)
            let leftovers = try FS.list(target.layout.blobsDirectory).filter { $0.hasPrefix(".tmp") }
            #expect(leftovers.isEmpty, "staging left behind: \(leftovers)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Save

    @Test func saveWritesAnOCILayoutWithRefNames() throws {
        try Self.withSaved { archive, source, image, _ in
            let all = try Self.entries(archive)
            let names = all.map(\.0.path)
            #expect(names.prefix(4) == ["oci-layout", "index.json", "blobs", "blobs/sha256"])
            #expect(Set(names.dropFirst(4)) == Set([image.manifestDigest, image.id, image.layers[0].digest].map {
                "blobs/sha256/" + ContentDigest.hex($0)
            }))
            let index = try JSON.parse(all[1].1)
            let entry = index["manifests"]?.arrayValue?.first
            #expect(entry?["digest"]?.stringValue == image.manifestDigest)
            #expect(entry?["annotations"]?[MediaType.refNameAnnotation]?.stringValue == "example.com/demo:1")
            for (entry, contents) in all where entry.path.hasPrefix("blobs/sha256/") {
                #expect(ContentDigest.sha256(contents) == "sha256:" + entry.path.dropFirst("blobs/sha256/".count))
            }
            _ = source
        }
    }

    @Test func saveOfAnUnknownImageFailsAndWritesNothing() throws {
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            try Self.makeImage(store, name: "demo:1", files: ["a": "b"])
            #expect(throws: (any Error).self) { try store.save(["demo:1", "nope:2"], to: root + "/out.tar") }
            #expect(!FS.exists(root + "/out.tar"))
            #expect(try FS.list(root).filter { $0.hasPrefix("out.tar") }.isEmpty)
        }
    }

    // MARK: - Load

    @Test func roundTripKeepsDigestsAndNames() throws {
        try Self.withSaved { archive, _, image, target in
            let loaded = try target.load(archive: archive)
            #expect(loaded == [LoadedImage(id: image.id, manifestDigest: image.manifestDigest,
                                           names: [try ImageReference.parse("example.com/demo:1")])])
            let resolved = try target.resolve("example.com/demo:1")
            #expect(resolved.id == image.id)
            #expect(resolved.manifestDigest == image.manifestDigest)
            #expect(try FS.readText(resolved.layers[0].path + "/hello") == "hi from the archive\n")
            // Loading again changes nothing.
            let before = Self.snapshot(target)
            _ = try target.load(archive: archive)
            #expect(Self.snapshot(target) == before)
            #expect(try FS.list(target.layout.blobsDirectory).filter { $0.hasPrefix(".") }.isEmpty)
        }
    }

    @Test func loadsADockerArchive() throws {
        try TempRoot.with { root in
            var layer = TarWriter()
            try layer.add(.directory("etc"))
            try layer.add(.file("etc/motd", size: 6), contents: Array("hello\n".utf8))
            let (diffID, _) = try layer.finish()
            let config = ImageConfig(cmd: ["cat", "/etc/motd"], architecture: Platform.architecture(), diffIDs: [diffID]).bytes
            let configName = ContentDigest.hex(ContentDigest.sha256(config)) + ".json"
            let manifest = Array(#"[{"Config":"\#(configName)","RepoTags":["demo:latest","localhost:5000/x/demo:v2"],"Layers":["abc/layer.tar"]}]"#.utf8)
            // docker 25+ writes a layer once and links to it: follow the symlink.
            try Self.write([
                (.file("manifest.json", size: 0), manifest),
                (.file(configName, size: 0), config),
                (.directory("blobs"), []),
                (.file("blobs/layer", size: 0), layer.archive),
                (.directory("abc"), []),
                (.symlink("abc/layer.tar", to: "../blobs/layer"), []),
            ], to: root + "/docker.tar")
            let store = ImageStore(root: root + "/store")
            let loaded = try store.load(archive: root + "/docker.tar")
            #expect(loaded.count == 1)
            #expect(loaded[0].names.map(\.familiar) == ["demo:latest", "localhost:5000/x/demo:v2"])
            let image = try store.resolve("demo")
            #expect(image.id == ContentDigest.sha256(config))
            #expect(try store.resolve("localhost:5000/x/demo:v2").id == image.id)
            #expect(try FS.readText(image.layers[0].path + "/etc/motd") == "hello\n")
        }
    }

    @Test func refusesAMissingBlob() throws {
        try Self.expectRefused({ all in
            all.removeAll { $0.0.path.hasPrefix("blobs/sha256/") && $0.1.count > 1000 }  // the layer
        }) { if case .missing = $0 { return true } else { return false } }
    }

    @Test func refusesADigestMismatch() throws {
        try Self.expectRefused({ all in
            let i = all.firstIndex { $0.1.count > 1000 }!
            all[i].1[600] ^= 1
        }) { if case let .digestMismatch(entry, _, _) = $0 { return entry.hasPrefix("blobs/sha256/") } else { return false } }
    }

    @Test func refusesPathTraversal() throws {
        try Self.expectRefused({ all in all.append((TarEntry.file("../escape", size: 0), Array("x".utf8))) }) {
            $0 == ArchiveError.unsafeEntry(entry: "../escape")
        }
        try Self.expectRefused({ all in all.insert((TarEntry.file("/etc/evil", size: 0), Array("x".utf8)), at: 0) }) {
            $0 == ArchiveError.unsafeEntry(entry: "/etc/evil")
        }
        try Self.expectRefused({ all in all.append((TarEntry.symlink("blobs/link", to: "../../outside"), [])) }) {
            $0 == ArchiveError.unsafeEntry(entry: "blobs/link")
        }
    }

    @Test func refusesATruncatedArchive() throws {
        try Self.withSaved { archive, _, _, target in
            let bytes = try FS.read(archive)
            try FS.writeAtomically(archive, Array(bytes.prefix(bytes.count / 2 + 100)))
            let before = Self.snapshot(target)
            #expect { _ = try target.load(archive: archive) } throws: { error in
                guard case let .invalid(entry, reason) = error as? ArchiveError else { return false }
                return entry.hasPrefix("blobs/") && reason.contains("ends")
            }
            #expect(Self.snapshot(target) == before)
        }
    }

    @Test func refusesTruncatedGzipWithAClearMessage() throws {
        try TempRoot.with { root in
            try FS.writeAtomically(root + "/x.tar.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0])
            let store = ImageStore(root: root + "/s")
            #expect(throws: ArchiveError.invalid(entry: root + "/x.tar.gz", reason: "gzip: unexpected end of data (truncated)")) {
                try store.load(archive: root + "/x.tar.gz")
            }
            #expect(try FS.list(store.layout.blobsDirectory).isEmpty)
            #expect(!FS.exists(store.layout.indexPath))
        }
    }

    @Test func refusesAnUnsafeLayerAndKeepsNothingOfIt() throws {
        try TempRoot.with { root in
            var layer = TarWriter()
            try layer.add(.file("ok", size: 1), contents: [0x41])
            try layer.add(.file("../../outside", size: 1), contents: [0x41])
            let (diffID, _) = try layer.finish()
            var good = TarWriter()
            try good.add(.file("fine", size: 1), contents: [0x42])
            let (goodID, _) = try good.finish()
            let config = ImageConfig(architecture: Platform.architecture(), diffIDs: [goodID, diffID]).bytes
            let manifest = Array(#"[{"Config":"c.json","RepoTags":["bad:1"],"Layers":["good.tar","bad.tar"]}]"#.utf8)
            try Self.write([
                (.file("manifest.json", size: 0), manifest), (.file("c.json", size: 0), config),
                (.file("good.tar", size: 0), good.archive), (.file("bad.tar", size: 0), layer.archive),
            ], to: root + "/bad.tar")
            let store = ImageStore(root: root + "/store")
            try Self.makeImage(store, name: "other:1", files: ["x": "y"])
            let before = Self.snapshot(store)
            #expect { _ = try store.load(archive: root + "/bad.tar") } throws: { error in
                guard case let .invalid(entry, reason) = error as? ArchiveError else { return false }
                return entry == "bad.tar" && reason.contains("../../outside")
            }
            #expect(Self.snapshot(store) == before)
            #expect(!FS.exists(root + "/outside") && !FS.exists(root + "/store/outside"))
        }
    }

    @Test func refusesSomethingThatIsNotAnImageArchive() throws {
        try TempRoot.with { root in
            try Self.write([(.file("README", size: 0), Array("hi".utf8))], to: root + "/x.tar")
            #expect(throws: ArchiveError.unknownFormat) { try ImageStore(root: root + "/s").load(archive: root + "/x.tar") }
        }
    }
}
