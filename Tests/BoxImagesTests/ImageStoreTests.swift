#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS
@testable import BoxImages
import Testing

@Suite("Image store and the built-in busybox image",
       .enabled(if: HostBusyboxAvailability.shouldRun,
                "/bin/busybox is missing: install it with `apt-get install busybox-static` (set CI=true to fail instead)"))
struct ImageStoreTests {
    @Test func buildsOnceAndTheSecondCallDoesNoWork() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            let start = Clock.monotonicNanos()
            let first = try store.ensureDefaultImage()
            let built = Clock.monotonicNanos()
            defer {
                print("ensureDefaultImage: first call \((built - start) / 1_000_000) ms, "
                    + "second \((Clock.monotonicNanos() - built) / 1000) µs")
            }
            let blob = store.layout.blobPath(first.layers[0].digest)
            let before = try FS.status(blob)
            let indexBefore = try FS.status(store.layout.indexPath)
            let second = try store.ensureDefaultImage()
            #expect(second == first)
            #expect(try FS.status(blob) == before)
            #expect(try FS.status(store.layout.indexPath).inode == indexBefore.inode)  // index.json not rewritten
            #expect(try FS.list(store.layout.blobsDirectory).count == 3)  // layer, config, manifest; no temporaries
            #expect(try FS.list(store.layersDirectory) == [ContentDigest.hex(first.layers[0].diffID)])
        }
    }

    @Test func concurrentFirstCallsBuildOneImage() async throws {
        guard HostBusyboxAvailability.require() else { return }
        let root = try TempRoot()
        defer { root.remove() }
        let store = ImageStore(root: root.path)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { try store.ensureDefaultImage().id } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try store.layout.readIndex().count == 1)
        #expect(try FS.list(store.layout.blobsDirectory).count == 3)
        #expect(try FS.list(store.layersDirectory).count == 1)
    }

    @Test func theSameBinaryGivesTheSameImageID() throws {
        guard HostBusyboxAvailability.require() else { return }
        let a = try TempRoot.with { try ImageStore(root: $0).ensureDefaultImage() }
        let b = try TempRoot.with { try ImageStore(root: $0).ensureDefaultImage() }
        #expect(a.id == b.id)
        #expect(a.layers == b.layers.map { var layer = $0; layer.path = a.layers[0].path; return layer })
    }

    @Test func writesAValidOCILayout() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let image = try ImageStore(root: root).ensureDefaultImage()
            let oci = root + "/oci"
            #expect(try JSON.parse(FS.read(oci + "/oci-layout")) == .object([("imageLayoutVersion", .string("1.0.0"))]))

            let index = try JSON.parse(FS.read(oci + "/index.json"))
            #expect(index["schemaVersion"]?.intValue == 2)
            #expect(index["mediaType"]?.stringValue == MediaType.index)
            let entries = try #require(index["manifests"]?.arrayValue)
            #expect(entries.count == 1)
            let entry = entries[0]
            #expect(entry["mediaType"]?.stringValue == MediaType.manifest)
            #expect(entry["annotations"]?["org.opencontainers.image.ref.name"]?.stringValue == "docker.io/library/busybox:latest")

            // Every descriptor's digest and size match the blob it points to.
            func blob(_ descriptor: JSON) throws -> [UInt8] {
                let digest = try #require(descriptor["digest"]?.stringValue)
                let bytes = try FS.read(oci + "/blobs/sha256/" + ContentDigest.hex(digest))
                #expect(ContentDigest.sha256(bytes) == digest)
                #expect(descriptor["size"]?.intValue == bytes.count)
                return bytes
            }
            let manifest = try JSON.parse(blob(entry))
            #expect(manifest["schemaVersion"]?.intValue == 2)
            #expect(manifest["mediaType"]?.stringValue == MediaType.manifest)
            let configDescriptor = try #require(manifest["config"])
            #expect(configDescriptor["mediaType"]?.stringValue == MediaType.config)
            let config = try JSON.parse(blob(configDescriptor))
            let layers = try #require(manifest["layers"]?.arrayValue)
            #expect(layers.count == 1)
            #expect(layers[0]["mediaType"]?.stringValue == MediaType.layerTar)
            let layerBytes = try blob(layers[0])
            #expect(config["rootfs"]?["type"]?.stringValue == "layers")
            #expect(config["rootfs"]?["diff_ids"]?.stringArray == [ContentDigest.sha256(layerBytes)])
            #expect(image.id == configDescriptor["digest"]?.stringValue)
            #expect(image.manifestDigest == entry["digest"]?.stringValue)

            #expect(config["os"]?.stringValue == "linux")
            #expect(config["architecture"]?.stringValue == Platform.architecture())
            #expect(config["config"]?["Cmd"]?.stringArray == ["sh"])
            #expect(config["config"]?["Env"]?.stringArray == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
            #expect(config["config"]?["Labels"]?["org.opencontainers.image.title"]?.stringValue == "busybox")
            let history = try #require(config["history"]?.arrayValue)
            #expect(history.count == 1)
            #expect(history[0]["created_by"]?.stringValue?.hasPrefix("boxlab: busybox-static v") == true)
            #expect(history[0]["created_by"]?.stringValue?.hasSuffix(" from /bin/busybox") == true)
            #expect(history[0]["created"] == config["created"])
        }
    }

    @Test func layerDirectoryIsARootfs() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let image = try ImageStore(root: root).ensureDefaultImage()
            let layer = image.layers[0].path
            #expect(layer == root + "/layers/" + ContentDigest.hex(image.layers[0].diffID))
            #expect(try FS.readLink(layer + "/bin/sh") == "/bin/busybox")
            #expect(try FS.readLink(layer + "/usr/bin/[") == "/bin/busybox")
            let busybox = try FS.status(layer + "/bin/busybox")
            let host = try FS.status("/bin/busybox")
            #expect(busybox.isRegular && busybox.permissions == 0o755 && busybox.size == host.size)
            #expect(busybox.mtime == host.mtime)
            #expect(try FS.status(layer + "/tmp").permissions == 0o1777)
            #expect(try FS.status(layer + "/var/tmp").permissions == 0o1777)
            #expect(try FS.status(layer + "/root").permissions == 0o700)
            #expect(try FS.readText(layer + "/etc/passwd").hasPrefix("root:x:0:0:root:/root:/bin/sh\n"))
            #expect(try FS.readText(layer + "/etc/hostname") == "busybox\n")
            #expect(try FS.readText(layer + "/etc/resolv.conf").hasPrefix("#"))
            for dir in ["dev", "proc", "sys", "home", "sbin", "usr/sbin"] { #expect(FS.isDirectory(layer + "/" + dir)) }
            if geteuid() == 0 { #expect(try FS.status(layer + "/bin/sh").uid == 0) }
        }
    }

    @Test func resolvesByNameIDAndPrefix() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            let image = try store.ensureDefaultImage()
            let hex = ContentDigest.hex(image.id)
            for text in ["busybox", "busybox:latest", "library/busybox", "docker.io/library/busybox:latest",
                         "busybox@" + image.manifestDigest, image.id, hex, String(hex.prefix(4)), "sha256:" + hex.prefix(12)] {
                let found = try store.resolve(text)
                #expect(found.id == image.id, "\(text)")
                #expect(found.layers == image.layers)
                #expect(found.reference?.normalized.hasPrefix("docker.io/library/busybox") == true, "\(text)")
            }
            #expect(throws: ImageError.invalidReference("sha256:abc", "an image id is sha256: followed by 4 to 64 lowercase hex digits")) {
                try store.resolve("sha256:abc")
            }
        }
    }

    @Test func unknownImagesAreNotFoundWithDockersMessage() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            // An empty store (no index.json yet) still has the embedded default image:
            // resolving it makes it.
            let made = try store.resolve("busybox")
            #expect(made.id == (try store.ensureDefaultImage()).id)
            #expect(throws: ImageError.notFound("alpine:latest")) { try store.resolve("alpine") }
            #expect(throws: ImageError.notFound("busybox:1.36")) { try store.resolve("busybox:1.36") }
            #expect(throws: ImageError.notFound("localhost:5000/busybox:latest")) { try store.resolve("localhost:5000/busybox") }
            let other = String(repeating: "0", count: 64)
            #expect(throws: ImageError.notFound(other)) { try store.resolve(other) }
            #expect(ImageError.notFound("busybox:latest").description == "Unable to find image 'busybox:latest' locally")
            #expect(ImageError.notFound("busybox:latest").hint?.contains("no registry") == true)
            #expect(throws: ImageError.self) { try store.resolve("Not A Name") }
        }
    }

    @Test func severalImagesAndTagsInOneIndex() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            let busybox = try store.ensureDefaultImage()
            // A second image sharing the layer, and a second tag for busybox.
            var config = busybox.config
            config.cmd = ["echo", "tool"]
            let configDescriptor = try store.layout.writeBlob(config.bytes, mediaType: MediaType.config)
            let layer = OCIDescriptor(mediaType: MediaType.layerTar, digest: busybox.layers[0].digest, size: busybox.layers[0].size)
            var tool = try store.layout.writeBlob(
                OCIManifest(config: configDescriptor, layers: [layer]).bytes, mediaType: MediaType.manifest)
            tool.annotations = [MediaType.refNameAnnotation: "localhost:5000/tool:1"]
            var index = try store.layout.readIndex()
            var alias = index[0]
            alias.annotations = [MediaType.refNameAnnotation: "docker.io/library/busybox:stable"]
            index += [tool, alias]
            try store.layout.lock().withLock(stage: "image") { try store.layout.writeIndex(index) }

            let found = try store.resolve("localhost:5000/tool:1")
            #expect(found.id == configDescriptor.digest && found.id != busybox.id)
            #expect(found.config.cmd == ["echo", "tool"])
            #expect(found.layers == busybox.layers)
            #expect(try store.resolve(String(ContentDigest.hex(found.id).prefix(8))).id == found.id)
            #expect(try store.resolve("busybox:stable").id == busybox.id)
            // Two names for one id are one image, not an ambiguous prefix.
            #expect(try store.resolve(String(busybox.shortID)).id == busybox.id)
        }
    }

    @Test func aDeletedLayerDirectoryIsUnpackedAgain() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            let image = try store.ensureDefaultImage()
            try FS.removeTree(image.layers[0].path)
            let again = try store.resolve("busybox")
            #expect(again == image)
            #expect(try FS.readLink(image.layers[0].path + "/bin/sh") == "/bin/busybox")
            #expect(try FS.list(store.layersDirectory).count == 1)  // no temporaries left
        }
    }

    @Test func resolveIsFast() throws {
        guard HostBusyboxAvailability.require() else { return }
        try TempRoot.with { root in
            let store = ImageStore(root: root)
            _ = try store.ensureDefaultImage()
            let rounds = 500
            let start = Clock.monotonicNanos()
            for _ in 0..<rounds { _ = try store.resolve("busybox") }
            let perCall = (Clock.monotonicNanos() - start) / Int64(rounds)
            print("resolve(\"busybox\"): \(perCall / 1000) µs per call over \(rounds) calls")
            #expect(perCall < 5_000_000, "resolve took \(perCall / 1000) µs")
        }
    }
}

@Suite("Missing host busybox")
struct MissingBusyboxTests {
    @Test func theErrorNamesThePackage() throws {
        try TempRoot.with { root in
            let store = ImageStore(root: root, busyboxPath: root + "/no-busybox")
            do {
                _ = try store.ensureDefaultImage()
                Issue.record("built an image without busybox")
            } catch let error as ImageError {
                #expect(error == .busyboxMissing(root + "/no-busybox"))
                #expect(error.description.contains("apt-get install busybox-static"))
            }
            #expect(!FS.exists(root + "/oci/index.json"))
        }
    }

    @Test func aDynamicBusyboxIsRefused() throws {
        // /bin/sh on Debian is a dynamically linked dash: it stands in for a non-static busybox.
        guard let shell = ["/bin/dash", "/bin/bash"].first(where: { FS.exists($0) }) else { return }
        #expect(!HostBusybox.isStaticELF(try FS.read(shell)))
        try TempRoot.with { root in
            #expect(throws: ImageError.busyboxNotStatic(shell)) {
                try ImageStore(root: root, busyboxPath: shell).ensureDefaultImage()
            }
        }
        if HostBusyboxAvailability.isInstalled { #expect(HostBusybox.isStaticELF(try FS.read("/bin/busybox"))) }
    }

    @Test func configRoundTrips() throws {
        let config = ImageConfig(
            env: ["A=1"], cmd: ["sh", "-c", "echo hi"], entrypoint: [], workingDir: "/srv", user: "nobody",
            labels: ["b": "2", "a": "1"], exposedPorts: ["80/tcp", "53/udp"], architecture: "arm64",
            created: "2026-01-01T00:00:00Z", diffIDs: [ContentDigest.sha256([1])],
            history: [ImageHistoryEntry(created: "2026-01-01T00:00:00Z", createdBy: "x", emptyLayer: true)])
        var parsed = try ImageConfig(bytes: config.bytes, source: "test")
        parsed.exposedPorts.sort()
        var expected = config
        expected.exposedPorts.sort()
        #expect(parsed == expected)
        #expect(parsed.bytes == config.bytes)
        #expect(String(decoding: config.bytes, as: UTF8.self).contains(#""ExposedPorts":{"53/udp":{},"80/tcp":{}}"#))
        #expect(throws: ImageError.self) { try ImageConfig(bytes: Array("{}".utf8), source: "test") }
    }
}
