#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS

/// The OCI image layout under R/oci: `oci-layout`, `index.json` and
/// content-addressed blobs in blobs/sha256/<hex>, readable by skopeo and
/// podman (`oci:R/oci:docker.io/library/busybox:latest`). Every file appears
/// by rename, so a reader never sees a half-written blob or index; writers
/// hold `lock` (R/oci/.lock) around read-modify-write of the index.
public struct OCILayout: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var indexPath: String { directory + "/index.json" }
    public var blobsDirectory: String { directory + "/blobs/sha256" }
    /// The store lock (BoxOS.FileLock: the kernel drops it if the holder dies).
    public func lock() throws -> FileLock {
        try FS.makeDirectories(directory, stage: "image")  // a fresh root has no store yet
        return try FileLock(path: directory + "/.lock", stage: "image")
    }

    public func blobPath(_ digest: String) -> String {
        blobsDirectory + "/" + ContentDigest.hex(digest)
    }

    /// Creates the directories and `oci-layout` if they are missing. Call
    /// with `lock` held (the lock file needs `directory` to exist first).
    public func initialize() throws {
        try FS.makeDirectories(blobsDirectory, stage: "image")
        let marker = directory + "/oci-layout"
        if !FS.exists(marker) {
            try FS.writeAtomically(marker, JSON.object([("imageLayoutVersion", .string("1.0.0"))]).serialized(), stage: "image")
        }
    }

    /// The manifests index.json lists; empty when the store has none yet.
    public func readIndex() throws -> [OCIDescriptor] {
        let bytes: [UInt8]
        do { bytes = try FS.read(indexPath, stage: "image") } catch let error as SysError where error.errno == ENOENT {
            return []
        }
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw ImageError.corruptStore(path: indexPath, reason: "not JSON: \(error)")
        }
        guard json["schemaVersion"]?.intValue == 2, let manifests = json["manifests"]?.arrayValue else {
            throw ImageError.corruptStore(path: indexPath, reason: "not an OCI index (schemaVersion 2 with manifests)")
        }
        return try manifests.map { try OCIDescriptor(json: $0, source: indexPath) }
    }

    /// Replaces index.json atomically. Call with `lock` held.
    public func writeIndex(_ manifests: [OCIDescriptor]) throws {
        let json = JSON.object([
            ("schemaVersion", .int(2)),
            ("mediaType", .string(MediaType.index)),
            ("manifests", .array(manifests.map(\.json))),
        ])
        try FS.writeAtomically(indexPath, json.serialized(), stage: "image")
    }

    public func readBlob(_ digest: String) throws -> [UInt8] {
        try FS.read(blobPath(digest), stage: "image")
    }

    /// Stores `bytes` under their digest (a no-op when already present).
    @discardableResult
    public func writeBlob(_ bytes: [UInt8], mediaType: String) throws -> OCIDescriptor {
        let digest = ContentDigest.sha256(bytes)
        let path = blobPath(digest)
        if !FS.exists(path) { try FS.writeAtomically(path, bytes, stage: "image") }
        return OCIDescriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// A fresh temporary path in the blobs directory (same filesystem, so
    /// rename into place is atomic). Temporary names start with ".tmp-".
    public func temporaryBlobPath(_ purpose: String) -> String {
        blobsDirectory + "/.tmp-\(purpose)-\(getpid())-\(Hex.encode(Random.bytes(4)))"
    }
}
