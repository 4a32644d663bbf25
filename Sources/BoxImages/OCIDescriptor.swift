import BoxJSON

/// An OCI content descriptor: what a manifest or index says about a blob
/// (its type, digest and size) and, in index.json, which name it carries.
public struct OCIDescriptor: Equatable, Sendable {
    public var mediaType: String
    public var digest: String
    public var size: Int64
    public var annotations: [String: String]

    public init(mediaType: String, digest: String, size: Int64, annotations: [String: String] = [:]) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }

    /// The image name an index entry carries ("docker.io/library/busybox:latest").
    public var refName: String? { annotations[MediaType.refNameAnnotation] }

    /// Reads a descriptor; `source` names the file for the error message.
    public init(json: JSON, source: String) throws {
        guard let mediaType = json["mediaType"]?.stringValue,
              let digest = json["digest"]?.stringValue, ContentDigest.isValid(digest),
              let size = json["size"]?.int64Value, size >= 0 else {
            throw ImageError.corruptStore(path: source, reason: "a descriptor lacks mediaType, a sha256 digest or size")
        }
        var annotations: [String: String] = [:]
        for (key, value) in json["annotations"]?.objectValue ?? [] {
            if let text = value.stringValue { annotations[key] = text }
        }
        self.init(mediaType: mediaType, digest: digest, size: size, annotations: annotations)
    }

    /// Keys in the order the OCI spec lists them; annotations sorted, so the
    /// same descriptor always serialises to the same bytes.
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("mediaType", .string(mediaType)), ("digest", .string(digest)), ("size", .int(size)),
        ]
        if !annotations.isEmpty {
            members.append(("annotations", .object(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        return .object(members)
    }
}
