/// A `-v` mount: a host directory bound in, or a named volume that outlives
/// the container (its data lives under the boxlab root, not in the RW layer).
public struct MountSpec: Equatable, Sendable {
    public enum Kind: String, Sendable { case bind, volume }
    public var kind: Kind
    public var source: String       // host path (bind) or volume name
    public var destination: String  // absolute path inside the container
    public var readOnly: Bool

    public init(kind: Kind, source: String, destination: String, readOnly: Bool) {
        self.kind = kind
        self.source = source
        self.destination = destination
        self.readOnly = readOnly
    }

    /// Parses docker's `-v SRC:DST[:ro|rw]`. A SRC starting with "/" or "."
    /// is a host path; otherwise it names a volume.
    public static func parse(_ text: String) throws(RuntimeError) -> MountSpec {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalidArgument(flag: "-v", value: text, reason: "expected SRC:DST[:ro]")
        }
        var readOnly = false
        if parts.count == 3 {
            switch parts[2] {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default: throw .invalidArgument(flag: "-v", value: text, reason: "mode must be ro or rw, not '\(parts[2])'")
            }
        }
        guard parts[1].hasPrefix("/") else {
            throw .invalidArgument(flag: "-v", value: text, reason: "destination '\(parts[1])' must be an absolute path")
        }
        if parts[0].hasPrefix("/") || parts[0].hasPrefix(".") {
            return MountSpec(kind: .bind, source: parts[0], destination: parts[1], readOnly: readOnly)
        }
        guard VolumeStore.isValidName(parts[0]) else {
            throw .invalidArgument(flag: "-v", value: text,
                                   reason: "'\(parts[0])' is not a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)")
        }
        return MountSpec(kind: .volume, source: parts[0], destination: parts[1], readOnly: readOnly)
    }
}
