import BoxJSON

/// One line of `docker history`: the step that made a layer (or only changed
/// the config, when `emptyLayer` is true).
public struct ImageHistoryEntry: Equatable, Sendable {
    public var created: String?
    public var createdBy: String?
    public var comment: String?
    public var emptyLayer: Bool

    public init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool = false) {
        self.created = created
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }

    public init(json: JSON) {
        created = json["created"]?.stringValue
        createdBy = json["created_by"]?.stringValue
        comment = json["comment"]?.stringValue
        emptyLayer = json["empty_layer"]?.boolValue ?? false
    }

    /// Fields in the image-spec's order; absent ones omitted, as docker does.
    public var json: JSON {
        var members: [(String, JSON)] = []
        if let created { members.append(("created", .string(created))) }
        if let createdBy { members.append(("created_by", .string(createdBy))) }
        if let comment { members.append(("comment", .string(comment))) }
        if emptyLayer { members.append(("empty_layer", .bool(true))) }
        return .object(members)
    }
}
