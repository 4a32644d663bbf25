#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// docker rmi and docker image prune, with docker's rules:
/// - removing a name (`rmi busybox`) only untags while other names remain;
/// - a container using the image stops the removal of its last name unless -f,
///   and a running one stops it even with -f ("cannot be forced");
/// - an image with child images (later build steps) is never deleted by id;
/// - deleting an image also deletes its unnamed parents that nothing else
///   uses (the intermediate images of its build).
/// Then whatever no image and no container refers to goes: blobs, and layer
/// directories. A layer shared with another image stays.
extension ImageStore {
    /// The outcome of one `rmi` argument: docker's lines, or why it failed.
    public typealias RemovalResult = Result<[String], ImageError>

    /// docker rmi [-f] IMAGE…: one result per argument, in order; then
    /// garbage collection. `users` are the containers (any state).
    public func remove(_ texts: [String], force: Bool, prune: Bool = true, users: [ImageUser]) throws -> [RemovalResult] {
        guard FS.exists(layout.indexPath) else {
            return texts.map { .failure(ImageError("image.noSuchImage", ["reference": Self.displayName($0)])) }
        }
        return try layout.lock().withLock(stage: "image") {
            var index = try layout.readIndex()
            var results: [RemovalResult] = []
            for text in texts {
                var working = index
                var lines: [String] = []
                do {
                    try Self.removeOne(text, force: force, prune: prune, users: users, index: &working, lines: &lines,
                                       load: { try self.images(in: $0) })
                    index = working
                    results.append(.success(lines))
                } catch let error as ImageError {
                    results.append(.failure(error.keyed))
                }
            }
            try layout.writeIndex(index)
            _ = try collectGarbageLocked(users: users)
            return results
        }
    }

    /// docker image prune [-a]: removes dangling images (no name, no child),
    /// or with `all` every image no container uses. Returns docker's
    /// "deleted:"/"untagged:" lines and the bytes freed.
    public func prune(all: Bool, users: [ImageUser]) throws -> (lines: [String], reclaimed: Int64) {
        guard FS.exists(layout.indexPath) else { return ([], 0) }
        return try layout.lock().withLock(stage: "image") {
            var index = try layout.readIndex()
            var lines: [String] = []
            let used = Set(users.map(\.imageID))
            while true {
                let images = try self.images(in: index)
                let parents = Set(images.compactMap(\.parent))
                // Top images only (no child): deleting one prunes its unnamed parents too.
                guard let victim = images.first(where: { image in
                    !parents.contains(image.id) && !used.contains(image.id) && (all || image.names.isEmpty)
                }) else { break }
                var deleted: [String] = []
                for name in victim.names {
                    Self.untag(name.normalized, in: &index)
                    deleted.append("untagged: " + name.familiar)
                }
                var working = index
                do {
                    try Self.deleteHelper(victim.id, force: false, prune: true, quiet: false, users: users,
                                          index: &working, lines: &deleted, load: { try self.images(in: $0) })
                    index = working
                    lines += deleted.map { $0.hasPrefix("Deleted: ") ? "deleted: " + $0.dropFirst(9) : $0 }
                } catch {
                    break  // should not happen (victims have no conflicts); stop rather than loop
                }
            }
            try layout.writeIndex(index)
            let reclaimed = try collectGarbageLocked(users: users)
            return (lines, reclaimed)
        }
    }

    // MARK: - One removal (docker's ImageDelete)

    static func removeOne(
        _ text: String, force: Bool, prune: Bool, users: [ImageUser], index: inout [OCIDescriptor], lines: inout [String],
        load: ([OCIDescriptor]) throws -> [StoredImage]
    ) throws {
        let images = try load(index)
        let (image, name) = try find(text, in: images)
        var quiet = false
        if let name {
            if image.names.count == 1 {
                if let user = users.first(where: { $0.imageID == image.id && ($0.running || !force) }) {
                    if !force {
                        throw ImageError("image.conflictReference", [
                            "reference": text, "container": user.shortID, "id": image.shortID,
                        ])
                    }
                    throw conflict(image, hard: true, reason: "image.reasonRunning", container: user.shortID)
                }
            }
            untag(name.normalized, in: &index)
            lines.append("Untagged: " + name.familiar)
            if image.names.count > 1 { return }
            quiet = true
        } else if image.names.count <= 1 {
            try checkConflicts(image, images: images, users: users, soft: !force, references: false)
            for name in image.names {
                untag(name.normalized, in: &index)
                lines.append("Untagged: " + name.familiar)
            }
        }
        try deleteHelper(image.id, force: force, prune: prune, quiet: quiet, users: users, index: &index, lines: &lines, load: load)
    }

    /// docker's imageDeleteHelper: delete `id` unless a conflict stops it
    /// (quietly, when pruning parents), then its unnamed parent.
    static func deleteHelper(
        _ id: String, force: Bool, prune: Bool, quiet: Bool, users: [ImageUser], index: inout [OCIDescriptor],
        lines: inout [String], load: ([OCIDescriptor]) throws -> [StoredImage]
    ) throws {
        let images = try load(index)
        guard let image = images.first(where: { $0.id == id }) else { return }
        do {
            try checkConflicts(image, images: images, users: users, soft: !force, references: true)
        } catch let message as ImageError {
            let dangling = image.names.isEmpty && !images.contains { $0.parent == id }
            let used = users.contains { $0.imageID == id }
            if quiet && (!dangling || used) { return }
            throw message
        }
        for name in image.names {
            untag(name.normalized, in: &index)
            lines.append("Untagged: " + name.familiar)
        }
        index.removeAll { $0.digest == image.manifestDigest }
        lines.append("Deleted: " + image.id)
        guard prune, let parent = image.parent else { return }
        try deleteHelper(parent, force: false, prune: true, quiet: true, users: users, index: &index, lines: &lines, load: load)
    }

    /// docker's checkImageDeleteConflict: children and running containers
    /// always stop a deletion; other names and stopped containers unless forced.
    static func checkConflicts(_ image: StoredImage, images: [StoredImage], users: [ImageUser], soft: Bool, references: Bool) throws {
        if images.contains(where: { $0.parent == image.id }) {
            throw conflict(image, hard: true, reason: "image.reasonChildren")
        }
        if let user = users.first(where: { $0.imageID == image.id && $0.running }) {
            throw conflict(image, hard: true, reason: "image.reasonRunning", container: user.shortID)
        }
        guard soft else { return }
        if references && !image.names.isEmpty {
            throw conflict(image, hard: false, reason: "image.reasonMultiple")
        }
        if let user = users.first(where: { $0.imageID == image.id && !$0.running }) {
            throw conflict(image, hard: false, reason: "image.reasonStopped", container: user.shortID)
        }
    }

    static func conflict(_ image: StoredImage, hard: Bool, reason: String, container: String = "") -> ImageError {
        ImageError(hard ? "image.conflictDeleteHard" : "image.conflictDelete",
                     ["id": image.shortID, "reason": ImageError(reason, ["container": container]).description,
                      "reasonKey": reason, "container": container])
    }

    // MARK: - Garbage collection

    /// Removes blobs no index entry reaches and layer directories no image
    /// and no container uses. Call with the lock held. Returns bytes freed.
    @discardableResult
    func collectGarbageLocked(users: [ImageUser]) throws -> Int64 {
        let images = try images(in: layout.readIndex())
        var blobs: Set<String> = []
        var layers: Set<String> = []
        for image in images {
            blobs.insert(ContentDigest.hex(image.manifestDigest))
            blobs.insert(ContentDigest.hex(image.id))
            for layer in image.manifest.layers { blobs.insert(ContentDigest.hex(layer.digest)) }
            for diffID in image.config.diffIDs { layers.insert(ContentDigest.hex(diffID)) }
        }
        for user in users {
            for path in user.layerPaths where Path.parent(path) == layersDirectory { layers.insert(Path.base(path)) }
        }
        var freed: Int64 = 0
        for name in (try? FS.list(layout.blobsDirectory)) ?? [] where !name.hasPrefix(".") && !blobs.contains(name) {
            let path = layout.blobsDirectory + "/" + name
            freed += (try? FS.status(path).size) ?? 0
            try FS.removeFile(path, stage: "image")
        }
        for name in (try? FS.list(layersDirectory)) ?? [] where !name.hasPrefix(".") && !layers.contains(name) {
            let path = layersDirectory + "/" + name
            freed += Int64(FS.diskUsage(path))
            try FS.removeTree(path, stage: "image")
        }
        return freed
    }
}
