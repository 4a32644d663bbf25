import BoxOS

/// What `save` and `load` report: each case names the archive entry (or the
/// image) at fault, so a student can see which part of a tarball is wrong.
public enum ArchiveError: LocalizedFailure, Equatable, Sendable {
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

    public var key: String {
        switch self {
        case .invalid: return "archive.invalid"
        case .unsafeEntry: return "archive.unsafeEntry"
        case .missing: return "archive.missing"
        case .digestMismatch: return "archive.digestMismatch"
        case .unknownFormat: return "archive.unknownFormat"
        case .unsupported: return "archive.unsupported"
        }
    }

    public var values: [String: String] {
        switch self {
        case let .invalid(entry, reason): return ["entry": entry, "reason": reason]
        case let .unsafeEntry(entry): return ["entry": entry]
        case let .missing(entry, by): return ["entry": entry, "by": by]
        case let .digestMismatch(entry, expected, actual): return ["entry": entry, "expected": expected, "actual": actual]
        case .unknownFormat: return [:]
        case let .unsupported(entry, what): return ["entry": entry, "what": what]
        }
    }

    public static let englishTemplates: [String: String] = [
        "archive.invalid": "invalid archive at entry \"{entry}\": {reason}",
        "archive.unsafeEntry": "refused archive entry \"{entry}\": its name leaves the archive (absolute path or \"..\")",
        "archive.missing": "invalid archive: \"{entry}\" (named by {by}) is not in the archive",
        "archive.digestMismatch": "invalid archive at entry \"{entry}\": digest mismatch (expected {expected}, content is {actual})",
        "archive.unknownFormat": "invalid archive: neither an OCI archive (oci-layout, index.json) nor a docker archive (manifest.json)",
        "archive.unsupported": "cannot load \"{entry}\": {what}",
    ]
}
