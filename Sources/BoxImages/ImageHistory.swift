/// docker history: one row per history entry of the image's config,
/// newest first, each with the layer it made (or none, for metadata-only
/// steps). A row made by an image still in the store (a build step's
/// intermediate image, found through the parent chain) shows its id, so a
/// student can `run` it to go back to that layer; other rows show <missing>.
public struct ImageHistoryRow: Equatable, Sendable {
    /// The image whose last step this row is, if it is in the store.
    public var imageID: String?
    public var created: String?
    public var createdBy: String
    /// Bytes of the layer's files; 0 for an empty layer.
    public var size: Int64
    public var comment: String
    public var emptyLayer: Bool
}

extension ImageStore {
    public func history(_ text: String) throws -> [ImageHistoryRow] {
        let images = try images()
        let image = try Self.find(text, in: images).image
        let byID = Dictionary(images.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        // Which image ends at which history row: walk the parent chain.
        var owners: [Int: String] = [:]
        var current: StoredImage? = image
        var seen: Set<String> = []
        while let step = current, !seen.contains(step.id) {
            seen.insert(step.id)
            let row = step.config.history.count - 1
            if row >= 0 && owners[row] == nil { owners[row] = step.id }
            current = step.parent.flatMap { byID[$0] }
        }

        var sizes: [String: Int64] = [:]
        var layerIndex = 0
        var rows: [ImageHistoryRow] = []
        for (number, entry) in image.config.history.enumerated() {
            var size: Int64 = 0
            if !entry.emptyLayer {
                if layerIndex < image.config.diffIDs.count {
                    size = layerContentSize(image.config.diffIDs[layerIndex], cache: &sizes)
                }
                layerIndex += 1
            }
            rows.append(ImageHistoryRow(
                imageID: owners[number], created: entry.created, createdBy: entry.createdBy ?? "", size: size,
                comment: entry.comment ?? "", emptyLayer: entry.emptyLayer))
        }
        if image.config.history.isEmpty {
            // A config without history (some importers write none): one row per layer.
            for diffID in image.config.diffIDs {
                rows.append(ImageHistoryRow(imageID: nil, created: image.config.created, createdBy: "",
                                            size: layerContentSize(diffID, cache: &sizes), comment: "", emptyLayer: false))
            }
            if !rows.isEmpty { rows[rows.count - 1].imageID = image.id }
        }
        return rows.reversed()
    }
}
