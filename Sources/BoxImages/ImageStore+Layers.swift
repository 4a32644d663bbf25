#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Layer directories: each layer is unpacked once, into a temporary dir that
/// is renamed into place, so R/layers/<hex> either is complete or absent.
extension ImageStore {
    /// Unpacks a layer whose dir is missing (deleted by hand, or never made)
    /// from its blob, under the store lock.
    func restoreLayer(_ layer: ResolvedLayer) throws {
        try layout.lock().withLock(stage: "image") { try unpackLayerLocked(diffID: layer.diffID, blob: layout.blobPath(layer.digest)) }
    }

    /// Unpacks the tar at `blob` to R/layers/<diffID hex> unless already
    /// there. Call with the store lock held.
    func unpackLayerLocked(diffID: String, blob: String) throws {
        let final = layerPath(diffID)
        if access(final, F_OK) == 0 { return }
        guard FS.exists(blob) else {
            throw ImageError.corruptStore(path: blob, reason: "the blob of layer \(diffID) is missing")
        }
        try FS.makeDirectories(layersDirectory, stage: "image")
        let temporary = layersDirectory + "/.tmp-\(ContentDigest.hex(diffID).prefix(12))-\(getpid())-\(Hex.encode(Random.bytes(4)))"
        try FS.makeDirectory(temporary, mode: 0o755, stage: "image")
        do {
            // The layer root becomes the container's "/": 0755 whatever the umask (a "./" entry may change it).
            if chmod(temporary, 0o755) != 0 { throw SysError.current("image", "chmod", temporary) }
            try LayerUnpacker().unpack(archive: blob, into: temporary)
            try FS.rename(temporary, final, stage: "image")
        } catch {
            try? FS.removeTree(temporary, stage: "image")
            throw error
        }
    }
}
