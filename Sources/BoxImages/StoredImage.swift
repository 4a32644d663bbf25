/// An image as the store holds it: one manifest in index.json, under any
/// number of names. An image with no name keeps one unnamed index entry
/// (intermediate build steps, and images that lost their tag: `<none>`).
public struct StoredImage: Equatable, Sendable {
    /// The config digest: docker's image id.
    public var id: String
    public var manifestDigest: String
    public var manifest: OCIManifest
    public var config: ImageConfig
    /// Its names, in index order (none for `<none>` images).
    public var names: [ImageReference]
    /// The image this one was built or committed from (docker's "parent").
    public var parent: String?
    /// The build cache key of the step that made it.
    public var cacheKey: String?

    public var shortID: String { String(ContentDigest.hex(id).prefix(12)) }

    /// When it was made, from the config (0 when unknown).
    public var createdNanos: Int64 { config.created.flatMap(ImageTime.nanos(rfc3339:)) ?? 0 }
}

/// Keys of boxlab's own annotations on index.json entries. Other OCI tools
/// ignore unknown annotations, so the layout stays readable by skopeo.
public enum BoxlabAnnotation {
    /// The parent image id (a build step's previous step, a commit's image).
    public static let parent = "io.boxlab.image.parent"
    /// The build cache key of the step that made the image.
    public static let cacheKey = "io.boxlab.build.cache-key"
}

/// What `rmi` and the garbage collector must know of a container using an image.
public struct ImageUser: Equatable, Sendable {
    public var containerID: String
    public var imageID: String
    public var running: Bool
    /// The layer directories it was created with (kept while it exists).
    public var layerPaths: [String]

    public init(containerID: String, imageID: String, running: Bool, layerPaths: [String]) {
        self.containerID = containerID
        self.imageID = imageID
        self.running = running
        self.layerPaths = layerPaths
    }

    var shortID: String { String(containerID.prefix(12)) }
}
