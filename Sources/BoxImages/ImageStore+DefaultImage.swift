#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// The built-in busybox image: made on first use from the host's static
/// busybox, so boxlab works with no registry and no network.
extension ImageStore {
    /// Returns docker.io/library/busybox:latest, building it first if the
    /// index does not have it. Once built, this is one `resolve`.
    public func ensureDefaultImage() throws -> ResolvedImage {
        let reference = try ImageReference.parse(BusyboxImageBuilder.reference)
        if Self.entry(for: reference, in: try layout.readIndex()) != nil {
            return try resolve(BusyboxImageBuilder.reference)
        }
        try FS.makeDirectories(layout.blobsDirectory, stage: "image")  // the lock file lives in R/oci
        try layout.lock().withLock(stage: "image") {
            // Another boxlab may have built it while we waited for the lock.
            if Self.entry(for: reference, in: try layout.readIndex()) != nil { return }
            try layout.initialize()
            try buildDefaultImageLocked(reference)
        }
        return try resolve(BusyboxImageBuilder.reference)
    }

    /// Layer blob → unpacked layer dir (through the same unpacker as any
    /// layer) → config and manifest blobs → index.json last, so a reader that
    /// finds the name in the index finds everything it points to.
    private func buildDefaultImageLocked(_ reference: ImageReference) throws {
        let builder = BusyboxImageBuilder(host: try HostBusybox.probe(busyboxPath))

        let temporary = layout.temporaryBlobPath("layer")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw SysError.current("image", "open", temporary) }
        let written = Result { try builder.writeLayer(to: fd) }
        close(fd)
        let layer: (digest: String, size: Int64)
        do {
            layer = try written.get()
            try FS.rename(temporary, layout.blobPath(layer.digest), stage: "image")
        } catch {
            try? FS.removeFile(temporary)
            throw error
        }
        try unpackLayerLocked(diffID: layer.digest, blob: layout.blobPath(layer.digest))

        let config = try layout.writeBlob(builder.config(diffID: layer.digest).bytes, mediaType: MediaType.config)
        let layerDescriptor = OCIDescriptor(mediaType: MediaType.layerTar, digest: layer.digest, size: layer.size)
        var manifest = try layout.writeBlob(
            OCIManifest(config: config, layers: [layerDescriptor]).bytes, mediaType: MediaType.manifest)
        manifest.annotations = [MediaType.refNameAnnotation: reference.normalized]

        var index = try layout.readIndex().filter { $0.refName != reference.normalized }
        index.append(manifest)
        try layout.writeIndex(index)
    }
}
