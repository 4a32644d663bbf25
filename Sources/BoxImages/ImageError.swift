/// Everything that can go wrong with images, worded for the student: each case
/// names what was asked for and why it failed. Syscall failures that are not
/// about a particular image or archive entry pass through as BoxOS `SysError`.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `text` is not a reference docker would accept; `reason` says which rule it breaks.
    case invalidReference(String, String)
    /// Nothing in the store matches; the payload is what docker would print
    /// ("busybox:latest" for `busybox`, the id text for an id).
    case notFound(String)
    /// An id prefix matches more than one image.
    case ambiguousID(String)
    /// The host has no static busybox to build the default image from (path looked at).
    case busyboxMissing(String)
    /// The host's busybox needs a dynamic loader and libc, which the image lacks.
    case busyboxNotStatic(String)
    /// The archive is malformed at `entry`.
    case invalidArchive(entry: String, reason: String)
    /// The entry would write outside the layer or through a link: refused.
    case unsafeEntry(entry: String, reason: String)
    /// The entry is well formed but creating it on disk failed.
    case unpackFailed(entry: String, reason: String)
    /// A file of the store does not say what it must (index.json, a manifest, a config).
    case corruptStore(path: String, reason: String)
    /// The image uses something this version of boxlab does not handle yet.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .invalidReference(text, reason):
            return "invalid reference format: \(reason) (in \"\(text)\")"
        case let .notFound(name):
            return "Unable to find image '\(name)' locally"
        case let .ambiguousID(prefix):
            return "multiple images found with provided prefix: \(prefix)"
        case let .busyboxMissing(path):
            return "cannot build the default busybox image: \(path) is missing; "
                + "install a static busybox with `apt-get install busybox-static`"
        case let .busyboxNotStatic(path):
            return "cannot build the default busybox image: \(path) is dynamically linked and would not run "
                + "in a container; install a static busybox with `apt-get install busybox-static`"
        case let .invalidArchive(entry, reason):
            return "invalid layer archive at entry \"\(entry)\": \(reason)"
        case let .unsafeEntry(entry, reason):
            return "refused layer entry \"\(entry)\": \(reason)"
        case let .unpackFailed(entry, reason):
            return "cannot unpack layer entry \"\(entry)\": \(reason)"
        case let .corruptStore(path, reason):
            return "image store file \(path) is damaged: \(reason)"
        case let .unsupported(what):
            return "not supported yet: \(what)"
        }
    }

    /// A second line the CLI may print under the description, saying what the
    /// student can do next (docker would pull here; boxlab has no registry).
    public var hint: String? {
        switch self {
        case .notFound:
            return "boxlab has no registry configured, so it cannot pull; "
                + "only images already in the local store can be used (busybox is built in)"
        case .ambiguousID:
            return "type more characters of the image id"
        default:
            return nil
        }
    }
}
