/// The OCI media types boxlab writes and reads. Layers are stored uncompressed
/// so that a layer's digest is also its diff_id and unpacking needs no zlib.
public enum MediaType {
    public static let index = "application/vnd.oci.image.index.v1+json"
    public static let manifest = "application/vnd.oci.image.manifest.v1+json"
    public static let config = "application/vnd.oci.image.config.v1+json"
    public static let layerTar = "application/vnd.oci.image.layer.v1.tar"
    /// The annotation an index entry carries to name its image.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
}
