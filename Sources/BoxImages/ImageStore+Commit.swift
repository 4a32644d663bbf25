#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// docker commit: a container's read-write layer becomes one more layer on
/// top of its image, and its settings (Env, Cmd, Entrypoint, WorkingDir)
/// the new image's defaults.
extension ImageStore {
    /// What the container ran with, to become the image's config.
    public struct CommitSettings: Sendable {
        public var env: [String]
        public var cmd: [String]
        public var entrypoint: [String]
        public var workingDir: String

        public init(env: [String], cmd: [String], entrypoint: [String], workingDir: String) {
            self.env = env
            self.cmd = cmd
            self.entrypoint = entrypoint
            self.workingDir = workingDir
        }
    }

    /// Makes an image of `base` (nil when it is gone) plus the layer made
    /// from `upper`; names it `name` if given. History: "boxlab commit",
    /// with `comment` (commit -m) as its comment.
    @discardableResult
    public func commit(upper: String, base: ResolvedImage?, settings: CommitSettings, name: ImageReference?,
                       comment: String?, now: Int64 = Clock.nowNanos()) throws -> ResolvedImage {
        if let name, name.digest != nil { throw ImageError("image.tagByDigest", ["reference": name.familiar]) }
        let layer = try writeLayerArchive { fd in try LayerArchiver().write(directory: upper, to: fd) }
        let created = Clock.rfc3339(now)
        var config = base?.config ?? ImageConfig(architecture: Platform.architecture(), os: "linux")
        config.created = created
        config.env = settings.env
        config.cmd = settings.cmd.isEmpty ? nil : settings.cmd
        config.entrypoint = settings.entrypoint.isEmpty ? nil : settings.entrypoint
        config.workingDir = settings.workingDir == "/" ? "" : settings.workingDir
        config.diffIDs.append(layer.digest)
        config.history.append(ImageHistoryEntry(
            created: created, createdBy: "boxlab commit", comment: comment.flatMap { $0.isEmpty ? nil : $0 }))
        let image = try addImage(config: config, baseLayers: base?.layerDescriptors ?? [], newLayer: layer,
                                 parent: base?.id, cacheKey: nil)
        if let name { try tag(image.id, as: name) }
        return image
    }

    /// Writes a layer archive to a temporary file in the blobs directory
    /// (renamed into place by `addImage`); removes it on failure.
    public func writeLayerArchive(_ body: (Int32) throws -> (digest: String, size: Int64)) throws -> NewLayer {
        try FS.makeDirectories(layout.blobsDirectory, stage: "image")
        let temporary = layout.temporaryBlobPath("layer")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw SysError.current("image", "open", temporary) }
        let written = Result { try body(fd) }
        close(fd)
        do {
            let (digest, size) = try written.get()
            return NewLayer(archive: temporary, digest: digest, size: size)
        } catch {
            try? FS.removeFile(temporary)
            throw error
        }
    }
}

extension ResolvedImage {
    /// The manifest's layer descriptors (layers are stored uncompressed).
    public var layerDescriptors: [OCIDescriptor] {
        layers.map { OCIDescriptor(mediaType: MediaType.layerTar, digest: $0.digest, size: $0.size) }
    }
}
