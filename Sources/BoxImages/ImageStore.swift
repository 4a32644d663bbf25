#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// boxlab's image store under its state root R: an OCI layout in R/oci and
/// each layer unpacked once in R/layers/<diff_id hex>. `resolve` runs on
/// every `boxlab run`, so it only reads index.json, one manifest and one
/// config (a few kB): no hashing, no directory walks.
public struct ImageStore: Sendable {
    public let root: String
    /// Where the built-in image's binary comes from (a parameter for tests).
    public let busyboxPath: String

    public init(root: String, busyboxPath: String = "/bin/busybox") {
        self.root = root
        self.busyboxPath = busyboxPath
    }

    public var layout: OCILayout { OCILayout(directory: root + "/oci") }
    public var layersDirectory: String { root + "/layers" }

    /// The unpacked directory of the layer with `diffID`.
    public func layerPath(_ diffID: String) -> String {
        layersDirectory + "/" + ContentDigest.hex(diffID)
    }

    // MARK: - Resolving

    /// Finds an image by reference (`busybox`, `docker.io/library/busybox:latest`,
    /// `busybox@sha256:…`), by full id (`sha256:<64 hex>` or the 64 hex) or by an
    /// unambiguous id prefix of at least 4 hex digits, like docker. A name is
    /// tried before an id prefix (`cafe` may be either). Layer dirs that were
    /// deleted are unpacked again from their blobs.
    public func resolve(_ text: String) throws -> ResolvedImage {
        let index = try layout.readIndex()
        if text.hasPrefix(ContentDigest.prefix) {
            let hex = text.dropFirst(ContentDigest.prefix.count)
            guard ContentDigest.isHex(hex), hex.count >= 4, hex.count <= 64 else {
                throw ImageError.invalidReference(text, "an image id is sha256: followed by 4 to 64 lowercase hex digits")
            }
            return try resolveID(String(hex), text: text, index: index)
        }
        if text.utf8.count == 64 && ContentDigest.isHex(Substring(text)) {
            return try resolveID(text, text: text, index: index)
        }
        let reference = try ImageReference.parse(text)
        if let entry = Self.entry(for: reference, in: index) {
            return try load(entry, reference: reference)
        }
        if text.utf8.count >= 4 && ContentDigest.isHex(Substring(text)) {
            do { return try resolveID(text, text: text, index: index) } catch ImageError.notFound {
                // Neither a name nor an id prefix: report the name, as docker does.
            }
        }
        // The embedded default image exists in every store: made on first use.
        if reference.normalized == Self.defaultReference { return try ensureDefaultImage() }
        throw ImageError.notFound(reference.familiar)
    }

    /// The image every store has without a registry: busybox, made locally.
    public static let defaultReference = "docker.io/library/busybox:latest"

    /// The index entry named `reference`: by its tag, or for a digest
    /// reference, the manifest with that digest in the same repository.
    static func entry(for reference: ImageReference, in index: [OCIDescriptor]) -> OCIDescriptor? {
        if let digest = reference.digest {
            return index.first { entry in
                entry.digest == digest
                    && (entry.refName.flatMap { try? ImageReference.parse($0) }?.repository == reference.repository)
            }
        }
        return index.first { $0.refName == reference.normalized }
    }

    /// Finds the image whose config digest (id) starts with `hex`.
    private func resolveID(_ hex: String, text: String, index: [OCIDescriptor]) throws -> ResolvedImage {
        var matches: [(entry: OCIDescriptor, manifest: OCIManifest)] = []
        for entry in index where entry.mediaType == MediaType.manifest {
            let manifest = try readManifest(entry)
            if ContentDigest.hex(manifest.config.digest).hasPrefix(hex) { matches.append((entry, manifest)) }
        }
        guard let first = matches.first else { throw ImageError.notFound(text) }
        if matches.contains(where: { $0.manifest.config.digest != first.manifest.config.digest }) {
            throw ImageError.ambiguousID(text)
        }
        let reference = first.entry.refName.flatMap { try? ImageReference.parse($0) }
        return try load(first.entry, manifest: first.manifest, reference: reference)
    }

    private func readManifest(_ entry: OCIDescriptor) throws -> OCIManifest {
        if entry.mediaType != MediaType.manifest {
            throw ImageError.unsupported("index entry of type \(entry.mediaType) (multi-platform indexes)")
        }
        return try OCIManifest(bytes: layout.readBlob(entry.digest), source: layout.blobPath(entry.digest))
    }

    private func load(_ entry: OCIDescriptor, manifest: OCIManifest? = nil, reference: ImageReference?) throws -> ResolvedImage {
        let manifest = try manifest ?? readManifest(entry)
        let configPath = layout.blobPath(manifest.config.digest)
        let config = try ImageConfig(bytes: layout.readBlob(manifest.config.digest), source: configPath)
        guard config.diffIDs.count == manifest.layers.count else {
            throw ImageError.corruptStore(
                path: configPath, reason: "\(config.diffIDs.count) diff_ids for \(manifest.layers.count) layers in the manifest")
        }
        var layers: [ResolvedLayer] = []
        for (diffID, blob) in zip(config.diffIDs, manifest.layers) {
            guard blob.mediaType == MediaType.layerTar else {
                throw ImageError.unsupported("layer media type \(blob.mediaType) (only uncompressed tar layers)")
            }
            let layer = ResolvedLayer(diffID: diffID, digest: blob.digest, size: blob.size, path: layerPath(diffID))
            if access(layer.path, F_OK) != 0 { try restoreLayer(layer) }
            layers.append(layer)
        }
        return ResolvedImage(
            reference: reference, id: manifest.config.digest, manifestDigest: entry.digest, config: config, layers: layers)
    }
}
