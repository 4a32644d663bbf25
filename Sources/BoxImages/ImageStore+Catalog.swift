#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Names and images: listing, adding a built or committed image, tagging,
/// and the cache lookups of `build`. Every change of index.json happens
/// under the store lock, as read-modify-write of the whole file.
extension ImageStore {
    /// Every image in index.json, one per manifest, newest first.
    public func images() throws -> [StoredImage] {
        try images(in: layout.readIndex())
    }

    func images(in index: [OCIDescriptor]) throws -> [StoredImage] {
        var byManifest: [String: StoredImage] = [:]
        var order: [String] = []
        for entry in index where entry.mediaType == MediaType.manifest {
            if var known = byManifest[entry.digest] {
                if let name = entry.refName.flatMap({ try? ImageReference.parse($0) }) { known.names.append(name) }
                known.parent = known.parent ?? entry.annotations[BoxlabAnnotation.parent]
                known.cacheKey = known.cacheKey ?? entry.annotations[BoxlabAnnotation.cacheKey]
                byManifest[entry.digest] = known
                continue
            }
            let manifest = try OCIManifest(bytes: layout.readBlob(entry.digest), source: layout.blobPath(entry.digest))
            let config = try ImageConfig(
                bytes: layout.readBlob(manifest.config.digest), source: layout.blobPath(manifest.config.digest))
            byManifest[entry.digest] = StoredImage(
                id: manifest.config.digest, manifestDigest: entry.digest, manifest: manifest, config: config,
                names: entry.refName.flatMap { try? ImageReference.parse($0) }.map { [$0] } ?? [],
                parent: entry.annotations[BoxlabAnnotation.parent], cacheKey: entry.annotations[BoxlabAnnotation.cacheKey])
            order.append(entry.digest)
        }
        return order.compactMap { byManifest[$0] }.sorted { $0.createdNanos > $1.createdNanos }
    }

    /// Finds an image among `images` as `resolve` does (a name first, then
    /// an id or unique id prefix); also says whether a name matched.
    static func find(_ text: String, in images: [StoredImage]) throws -> (image: StoredImage, name: ImageReference?) {
        var hex: Substring?
        if text.hasPrefix(ContentDigest.prefix) {
            hex = text.dropFirst(ContentDigest.prefix.count)
        } else if let reference = try? ImageReference.parse(text) {
            if let image = images.first(where: { $0.names.contains(reference) }) { return (image, reference) }
            if reference.digest != nil, let image = images.first(where: {
                $0.manifestDigest == reference.digest && $0.names.contains { $0.repository == reference.repository }
            }) {
                return (image, nil)
            }
            if text.utf8.count >= 4 { hex = Substring(text) }
        } else if text.utf8.count == 64 {
            hex = Substring(text)
        }
        guard let hex, hex.count >= 4, ContentDigest.isHex(hex) else {
            throw ImageError("image.noSuchImage", ["reference": Self.displayName(text)])
        }
        let matches = images.filter { ContentDigest.hex($0.id).hasPrefix(hex) }
        guard let first = matches.first else { throw ImageError("image.noSuchImage", ["reference": text]) }
        if matches.count > 1 { throw ImageError.ambiguousID(text).keyed }
        return (first, nil)
    }

    /// "busybox" → "busybox:latest": how docker names what was not found.
    static func displayName(_ text: String) -> String {
        (try? ImageReference.parse(text))?.familiar ?? text
    }

    /// Looks an image up by name or id (what `history`, `tag`, `build`'s FROM take).
    public func storedImage(_ text: String) throws -> StoredImage {
        try Self.find(text, in: images()).image
    }

    /// The size of a layer's files as unpacked (what `docker history` and
    /// `docker images` count), memoised in `cache`.
    public func layerContentSize(_ diffID: String, cache: inout [String: Int64]) -> Int64 {
        if let known = cache[diffID] { return known }
        let size = Int64(FS.diskUsage(layerPath(diffID)))
        cache[diffID] = size
        return size
    }

    // MARK: - Adding images

    /// A layer archive written to a temporary file in the blobs directory
    /// (`layout.temporaryBlobPath`), with its digest and size.
    public struct NewLayer: Sendable {
        public var archive: String
        public var digest: String
        public var size: Int64

        public init(archive: String, digest: String, size: Int64) {
            self.archive = archive
            self.digest = digest
            self.size = size
        }
    }

    /// Stores an image: moves `newLayer` into place and unpacks it (once:
    /// a layer already in the store is reused), writes config and manifest,
    /// and gives it an unnamed index entry carrying `parent` and `cacheKey`
    /// unless the manifest is already listed. Returns the resolved image.
    /// `config.diffIDs` must already include the new layer.
    @discardableResult
    public func addImage(
        config: ImageConfig, baseLayers: [OCIDescriptor], newLayer: NewLayer?, parent: String?, cacheKey: String?
    ) throws -> ResolvedImage {
        try FS.makeDirectories(layout.blobsDirectory, stage: "image")
        let manifestDigest: String = try layout.lock().withLock(stage: "image") {
            try layout.initialize()
            var layers = baseLayers
            if let newLayer {
                let blob = layout.blobPath(newLayer.digest)
                if FS.exists(blob) { try FS.removeFile(newLayer.archive, stage: "image") } else {
                    try FS.rename(newLayer.archive, blob, stage: "image")
                }
                try unpackLayerLocked(diffID: newLayer.digest, blob: blob)
                layers.append(OCIDescriptor(mediaType: MediaType.layerTar, digest: newLayer.digest, size: newLayer.size))
            }
            let configDescriptor = try layout.writeBlob(config.bytes, mediaType: MediaType.config)
            let manifest = try layout.writeBlob(
                OCIManifest(config: configDescriptor, layers: layers).bytes, mediaType: MediaType.manifest)
            var index = try layout.readIndex()
            if !index.contains(where: { $0.digest == manifest.digest }) {
                var entry = manifest
                if let parent { entry.annotations[BoxlabAnnotation.parent] = parent }
                if let cacheKey { entry.annotations[BoxlabAnnotation.cacheKey] = cacheKey }
                index.append(entry)
                try layout.writeIndex(index)
            }
            return manifest.digest
        }
        return try resolve(ContentDigest.prefix + ContentDigest.hex(try manifestConfigDigest(manifestDigest)))
    }

    private func manifestConfigDigest(_ manifestDigest: String) throws -> String {
        try OCIManifest(bytes: layout.readBlob(manifestDigest), source: layout.blobPath(manifestDigest)).config.digest
    }

    /// The image a build step with `key` made before, if it is still in the store.
    public func cachedImage(key: String) throws -> ResolvedImage? {
        guard let entry = try layout.readIndex().first(where: { $0.annotations[BoxlabAnnotation.cacheKey] == key }),
              FS.exists(layout.blobPath(entry.digest)) else { return nil }
        let id = try manifestConfigDigest(entry.digest)
        return try? resolve(id)
    }

    // MARK: - Names

    /// docker tag SOURCE TARGET: `target` now names the image `source`
    /// names. An image that loses its only name becomes `<none>`.
    public func tag(_ source: String, as target: ImageReference) throws {
        if target.digest != nil { throw ImageError("image.tagByDigest", ["reference": target.familiar]) }
        _ = try? resolve(source)  // makes the embedded default image if that is what is named
        try layout.lock().withLock(stage: "image") {
            var index = try layout.readIndex()
            let image = try Self.find(source, in: images(in: index)).image
            try Self.setName(target, to: image, in: &index)
            try layout.writeIndex(index)
        }
    }

    /// Points `name` at `image` in `index` (the lock held by the caller).
    static func setName(_ name: ImageReference, to image: StoredImage, in index: inout [OCIDescriptor]) throws {
        untag(name.normalized, in: &index)
        var template = index.first { $0.digest == image.manifestDigest }
            ?? OCIDescriptor(mediaType: MediaType.manifest, digest: image.manifestDigest, size: 0)
        if let unnamed = index.firstIndex(where: { $0.digest == image.manifestDigest && $0.refName == nil }) {
            template = index.remove(at: unnamed)
        }
        if template.size == 0, let size = index.first(where: { $0.digest == image.manifestDigest })?.size {
            template.size = size
        }
        template.annotations[MediaType.refNameAnnotation] = name.normalized
        if let parent = image.parent { template.annotations[BoxlabAnnotation.parent] = parent }
        if let key = image.cacheKey { template.annotations[BoxlabAnnotation.cacheKey] = key }
        index.append(template)
    }

    /// Removes the name `normalized` from `index`; the image it named keeps
    /// an unnamed entry if that was its last name.
    static func untag(_ normalized: String, in index: inout [OCIDescriptor]) {
        guard let position = index.firstIndex(where: { $0.refName == normalized }) else { return }
        let digest = index[position].digest
        if index.indices.contains(where: { $0 != position && index[$0].digest == digest }) {
            index.remove(at: position)
        } else {
            index[position].annotations[MediaType.refNameAnnotation] = nil
        }
    }
}
