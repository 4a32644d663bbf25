#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS

/// `save -o FILE IMAGE…`: a tar of an OCI image layout (oci-layout,
/// index.json, blobs/sha256/…) holding the named images, what skopeo and
/// podman read as `oci-archive:FILE`. Each index entry carries the image's
/// full name in org.opencontainers.image.ref.name (podman's convention).
extension ImageStore {
    /// Writes the archive to `path` (through a temporary file renamed into
    /// place, so a failed save leaves no half archive). Returns the number of
    /// images written.
    @discardableResult
    public func save(_ texts: [String], to path: String) throws -> Int {
        var entries: [OCIDescriptor] = []
        var blobs: [String] = []
        func addBlob(_ digest: String) { if !blobs.contains(digest) { blobs.append(digest) } }
        for text in texts {
            _ = try resolve(text)  // makes the embedded default image if named; checks layers exist
            let found = try Self.find(text, in: images())
            let image = found.image
            let size = Int64((try? FS.status(layout.blobPath(image.manifestDigest)).size).map(Int.init) ?? 0)
            var entry = OCIDescriptor(mediaType: MediaType.manifest, digest: image.manifestDigest, size: size)
            if let name = found.name ?? (found.image.names.count == 1 ? found.image.names.first : nil), name.digest == nil {
                entry.annotations[MediaType.refNameAnnotation] = name.normalized
            }
            if !entries.contains(entry) { entries.append(entry) }
            addBlob(image.manifestDigest)
            addBlob(image.manifest.config.digest)
            for layer in image.manifest.layers { addBlob(layer.digest) }
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SysError.current("image", "open", temporary) }
        do {
            var tar = TarWriter(fd: fd)
            let layoutMarker = Array(JSON.object([("imageLayoutVersion", .string("1.0.0"))]).serialized().utf8)
            try tar.add(.file("oci-layout", size: layoutMarker.count), contents: layoutMarker)
            let index = Array(JSON.object([
                ("schemaVersion", .int(2)),
                ("mediaType", .string(MediaType.index)),
                ("manifests", .array(entries.map(\.json))),
            ]).serialized().utf8)
            try tar.add(.file("index.json", size: index.count), contents: index)
            try tar.add(.directory("blobs"))
            try tar.add(.directory("blobs/sha256"))
            for digest in blobs {
                let source = layout.blobPath(digest)
                let blobFD = open(source, O_RDONLY | O_CLOEXEC)
                if blobFD < 0 { throw SysError.current("image", "open", source) }
                defer { close(blobFD) }
                let size = try FS.status(source).size
                try tar.add(.file("blobs/sha256/" + ContentDigest.hex(digest), size: Int(size)), reading: blobFD)
            }
            _ = try tar.finish()
            if fsync(fd) != 0 { throw SysError.current("image", "fsync", temporary) }
            close(fd)
            try FS.rename(temporary, path, stage: "image")
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        return entries.count
    }
}
