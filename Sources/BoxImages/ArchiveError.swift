/// What `save` and `load` report: each case names the archive entry (or the
/// image) at fault, so a student can see which part of a tarball is wrong.
public enum ArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The archive is malformed at `entry` (truncated, bad JSON, bad header).
    case invalid(entry: String, reason: String)
    /// An entry's name would escape the archive (absolute path or "..").
    case unsafeEntry(entry: String)
    /// A blob or file the archive's index or manifest names is not in it.
    case missing(entry: String, referencedBy: String)
    /// A blob's bytes do not hash to the digest its name or descriptor claims.
    case digestMismatch(entry: String, expected: String, actual: String)
    /// Neither an OCI archive (oci-layout + index.json) nor a docker archive (manifest.json).
    case unknownFormat
    /// Something valid that boxlab cannot store (a media type, a platform).
    case unsupported(entry: String, what: String)

    public var description: String {
        switch self {
        case let .invalid(entry, reason):
            return "invalid archive at entry \"\(entry)\": \(reason)"
        case let .unsafeEntry(entry):
            return "refused archive entry \"\(entry)\": its name leaves the archive (absolute path or \"..\")"
        case let .missing(entry, by):
            return "invalid archive: \"\(entry)\" (named by \(by)) is not in the archive"
        case let .digestMismatch(entry, expected, actual):
            return "invalid archive at entry \"\(entry)\": digest mismatch (expected \(expected), content is \(actual))"
        case .unknownFormat:
            return "invalid archive: neither an OCI archive (oci-layout, index.json) nor a docker archive (manifest.json)"
        case let .unsupported(entry, what):
            return "cannot load \"\(entry)\": \(what)"
        }
    }
}
