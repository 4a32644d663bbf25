import BoxJSON

/// An OCI image manifest: one config blob and the layer blobs, base first.
public struct OCIManifest: Equatable, Sendable {
    public var config: OCIDescriptor
    public var layers: [OCIDescriptor]

    public init(config: OCIDescriptor, layers: [OCIDescriptor]) {
        self.config = config
        self.layers = layers
    }

    public init(bytes: [UInt8], source: String) throws {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw ImageError.corruptStore(path: source, reason: "not JSON: \(error)")
        }
        guard json["schemaVersion"]?.intValue == 2, let config = json["config"],
              let layers = json["layers"]?.arrayValue else {
            throw ImageError.corruptStore(path: source, reason: "not an OCI manifest (schemaVersion 2 with config and layers)")
        }
        if let type = json["mediaType"]?.stringValue, type != MediaType.manifest {
            throw ImageError.unsupported("manifest media type \(type) in \(source)")
        }
        self.init(
            config: try OCIDescriptor(json: config, source: source),
            layers: try layers.map { try OCIDescriptor(json: $0, source: source) })
    }

    public var json: JSON {
        .object([
            ("schemaVersion", .int(2)),
            ("mediaType", .string(MediaType.manifest)),
            ("config", config.json),
            ("layers", .array(layers.map(\.json))),
        ])
    }

    /// The canonical bytes stored as the manifest blob (compact JSON).
    public var bytes: [UInt8] { Array(json.serialized().utf8) }
}
