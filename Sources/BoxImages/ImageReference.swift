/// A docker image reference, normalised the way docker normalises it, so that
/// `busybox`, `library/busybox:latest` and `docker.io/library/busybox:latest`
/// all name one image in the store:
///
/// - the registry host is the first path component when it contains '.' or
///   ':', is "localhost", or has uppercase letters (docker's rule, since a
///   repository can never be uppercase); otherwise it is docker.io
/// - single-name Docker Hub repositories get "library/"
/// - no tag and no digest means the tag "latest"
/// - `name@sha256:<64 hex>` pins a manifest digest
public struct ImageReference: Equatable, Hashable, Sendable, CustomStringConvertible {
    public static let defaultDomain = "docker.io"
    static let legacyDefaultDomain = "index.docker.io"
    static let officialPrefix = "library/"
    public static let defaultTag = "latest"
    static let maxNameLength = 255
    static let maxTagLength = 128

    /// Registry host, with port if any ("docker.io", "localhost:5000").
    public var domain: String
    /// Repository path inside the registry ("library/busybox").
    public var path: String
    /// The tag; "latest" when neither a tag nor a digest was given.
    public var tag: String?
    /// "sha256:<64 hex>" when the reference pins a manifest.
    public var digest: String?

    public init(domain: String, path: String, tag: String?, digest: String?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// "docker.io/library/busybox": the full repository name.
    public var repository: String { domain + "/" + path }

    /// "busybox", "someone/tool", "localhost:5000/foo": the repository as docker shows it.
    public var familiarRepository: String {
        guard domain == Self.defaultDomain else { return repository }
        return path.hasPrefix(Self.officialPrefix) && !path.dropFirst(Self.officialPrefix.count).contains("/")
            ? String(path.dropFirst(Self.officialPrefix.count)) : path
    }

    /// "docker.io/library/busybox:latest": the key of the image in index.json.
    public var normalized: String { Self.render(repository, tag, digest) }

    /// "busybox:latest": what `docker images` and docker's messages show.
    public var familiar: String { Self.render(familiarRepository, tag, digest) }

    public var description: String { familiar }

    private static func render(_ name: String, _ tag: String?, _ digest: String?) -> String {
        var text = name
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest }
        return text
    }
}
