/// One read-only layer of an image, ready to be an overlayfs lower dir.
public struct ResolvedLayer: Equatable, Sendable {
    /// sha256 of the uncompressed tar (rootfs.diff_ids); names the unpacked dir.
    public var diffID: String
    /// The blob's digest in the manifest (equal to `diffID`: layers are stored uncompressed).
    public var digest: String
    /// Blob size in bytes.
    public var size: Int64
    /// R/layers/<diffID hex>: the layer unpacked once, shared by every container.
    public var path: String

    public init(diffID: String, digest: String, size: Int64, path: String) {
        self.diffID = diffID
        self.digest = digest
        self.size = size
        self.path = path
    }
}
