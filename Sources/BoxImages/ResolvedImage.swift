/// An image found in the store, with everything `run` needs: the config's
/// defaults and the layer dirs, base first (overlayfs wants them top first:
/// reverse them for lowerdir=).
public struct ResolvedImage: Equatable, Sendable {
    /// The name it was found by, or for an id the name index.json gives it.
    public var reference: ImageReference?
    /// "sha256:<config hex>": docker's image id.
    public var id: String
    public var manifestDigest: String
    public var config: ImageConfig
    public var layers: [ResolvedLayer]

    public init(reference: ImageReference?, id: String, manifestDigest: String, config: ImageConfig, layers: [ResolvedLayer]) {
        self.reference = reference
        self.id = id
        self.manifestDigest = manifestDigest
        self.config = config
        self.layers = layers
    }

    /// The first 12 hex digits of the id, as `docker images` shows it.
    public var shortID: String { String(ContentDigest.hex(id).prefix(12)) }
}
