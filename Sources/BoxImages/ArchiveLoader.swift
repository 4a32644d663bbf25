#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS
import Crypto

/// One image `load` put in the store.
public struct LoadedImage: Equatable, Sendable {
    public var id: String
    public var manifestDigest: String
    public var names: [ImageReference]
}

/// `load -i FILE`: reads an OCI archive (a tar of an OCI layout, as `save`
/// and `podman save --format oci-archive` write) or a docker archive
/// (manifest.json + config + layer tars, as `docker save` and
/// `podman save --format docker-archive` write). Everything is checked
/// before the store changes: entry names, every blob's digest, configs and
/// layers (unpacked first, removed again if a later one is refused); only
/// then are blobs moved into place and index.json rewritten.
extension ImageStore {
    public func load(archive path: String) throws -> [LoadedImage] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("image", "open", path) }
        defer { close(fd) }
        try FS.makeDirectories(layout.blobsDirectory, stage: "image")
        let staging = try ArchiveStaging(directory: layout.temporaryBlobPath("load"))
        defer { try? FS.removeTree(staging.directory, stage: "image") }
        var magic: [UInt8] = [0, 0]
        if pread(fd, &magic, 2, 0) == 2, magic == Gzip.magic {
            // docker save | gzip: inflated to a staging file first, then read as a tar.
            let tar = try staging.inflate(fd: fd, entry: path)
            let tarFD = open(tar.path, O_RDONLY | O_CLOEXEC)
            if tarFD < 0 { throw SysError.current("image", "open", tar.path) }
            defer { close(tarFD) }
            try staging.read(fd: tarFD)
        } else {
            try staging.read(fd: fd)
        }
        return try loadStaged(staging)
    }

    /// Stores the images of a staged archive (or of a pull, staged the same way).
    func loadStaged(_ staging: ArchiveStaging) throws -> [LoadedImage] {
        let plans: [ImagePlan]
        if staging.has("index.json") {
            plans = try ociPlans(staging)
        } else if staging.has("manifest.json") {
            plans = try dockerPlans(staging)
        } else {
            throw ArchiveError.unknownFormat
        }
        if plans.isEmpty { throw ArchiveError.invalid(entry: staging.has("index.json") ? "index.json" : "manifest.json", reason: "no image in it") }
        return try commit(plans)
    }

    // MARK: - Planning (reads only the staging directory)

    struct ImagePlan {
        var manifestBytes: [UInt8]
        var manifest: OCIManifest
        var config: ImageConfig
        var configFile: ArchiveStaging.File
        var layerFiles: [(name: String, file: ArchiveStaging.File)]
        var names: [ImageReference]
    }

    static let tarLayerTypes: Set<String> = [MediaType.layerTar, "application/vnd.docker.image.rootfs.diff.tar"]
    static let manifestTypes: Set<String> = [MediaType.manifest, "application/vnd.docker.distribution.manifest.v2+json"]
    static let indexTypes: Set<String> = [MediaType.index, "application/vnd.docker.distribution.manifest.list.v2+json"]

    private func ociPlans(_ staging: ArchiveStaging) throws -> [ImagePlan] {
        let indexJSON = try Self.parse(staging.file("index.json", by: "the OCI layout").contents(), entry: "index.json")
        guard let manifests = indexJSON["manifests"]?.arrayValue else {
            throw ArchiveError.invalid(entry: "index.json", reason: "not an OCI index (no manifests)")
        }
        var plans: [ImagePlan] = []
        func visit(_ descriptor: JSON, from source: String, names: [ImageReference], depth: Int) throws {
            guard let type = descriptor["mediaType"]?.stringValue, let digest = descriptor["digest"]?.stringValue,
                  ContentDigest.isValid(digest) else {
                throw ArchiveError.invalid(entry: source, reason: "a descriptor lacks mediaType or a sha256 digest")
            }
            let entry = "blobs/sha256/" + ContentDigest.hex(digest)
            let file = try staging.verified(entry, digest: digest, by: source)
            if Self.indexTypes.contains(type) {
                guard depth < 4, let nested = try Self.parse(file.contents(), entry: entry)["manifests"]?.arrayValue else {
                    throw ArchiveError.invalid(entry: entry, reason: "not an image index")
                }
                let host = Platform.architecture()
                let matching = nested.filter { ($0["platform"]?["architecture"]?.stringValue ?? host) == host }
                guard let chosen = matching.first else {
                    throw ArchiveError.unsupported(entry: entry, what: "the index has no image for \(host)")
                }
                try visit(chosen, from: entry, names: names, depth: depth + 1)
                return
            }
            guard Self.manifestTypes.contains(type) else {
                throw ArchiveError.unsupported(entry: entry, what: "media type \(type)")
            }
            var plan = try manifestPlan(staging, file: file, entry: entry)
            plan.names = names
            plans.append(plan)
        }
        for descriptor in manifests {
            var names: [ImageReference] = []
            if let annotations = descriptor["annotations"]?.objectValue {
                let values = Dictionary(annotations.compactMap { key, value in value.stringValue.map { (key, $0) } }) { a, _ in a }
                if let name = values["io.containerd.image.name"] ?? values[MediaType.refNameAnnotation],
                   name.contains(":") || name.contains("/"), let reference = try? ImageReference.parse(name),
                   reference.digest == nil {
                    names.append(reference)
                }
            }
            try visit(descriptor, from: "index.json", names: names, depth: 0)
        }
        return plans
    }

    /// An image manifest (OCI or docker schema 2) and the blobs it names.
    private func manifestPlan(_ staging: ArchiveStaging, file: ArchiveStaging.File, entry: String) throws -> ImagePlan {
        let bytes = try file.contents()
        let json = try Self.parse(bytes, entry: entry)
        guard json["schemaVersion"]?.intValue == 2, let configJSON = json["config"], let layersJSON = json["layers"]?.arrayValue else {
            throw ArchiveError.invalid(entry: entry, reason: "not an image manifest (schemaVersion 2 with config and layers)")
        }
        func descriptor(_ value: JSON) throws -> OCIDescriptor {
            do { return try OCIDescriptor(json: value, source: entry) } catch {
                throw ArchiveError.invalid(entry: entry, reason: "a descriptor lacks mediaType, a sha256 digest or size")
            }
        }
        let configDescriptor = try descriptor(configJSON)
        let configEntry = "blobs/sha256/" + ContentDigest.hex(configDescriptor.digest)
        let configFile = try staging.verified(configEntry, digest: configDescriptor.digest, size: configDescriptor.size, by: entry)
        let config = try Self.config(configFile, entry: configEntry)
        var layers: [OCIDescriptor] = []
        var files: [(name: String, file: ArchiveStaging.File)] = []
        for value in layersJSON {
            let layer = try descriptor(value)
            let layerEntry = "blobs/sha256/" + ContentDigest.hex(layer.digest)
            var layerFile = try staging.verified(layerEntry, digest: layer.digest, size: layer.size, by: entry)
            var stored = layer
            if try layerFile.isGzip() {
                // boxlab stores layers uncompressed (digest = diff_id): the manifest is rewritten for them.
                layerFile = try staging.inflate(layerFile, entry: layerEntry)
                stored = OCIDescriptor(mediaType: "gzip", digest: layerFile.digest, size: layerFile.size)
            } else if !Self.tarLayerTypes.contains(layer.mediaType) {
                throw ArchiveError.unsupported(entry: layerEntry, what: "layer media type \(layer.mediaType)")
            }
            layers.append(stored)
            files.append((layerEntry, layerFile))
        }
        try Self.checkDiffIDs(config, files, configEntry: configEntry)
        let keepsBytes = (json["mediaType"]?.stringValue ?? MediaType.manifest) == MediaType.manifest
            && layers.allSatisfy { $0.mediaType == MediaType.layerTar }
        let manifest = OCIManifest(
            config: OCIDescriptor(mediaType: MediaType.config, digest: configDescriptor.digest, size: configFile.size),
            layers: layers.map { OCIDescriptor(mediaType: MediaType.layerTar, digest: $0.digest, size: $0.size) })
        if keepsBytes, let original = try? OCIManifest(bytes: bytes, source: entry) {
            // An OCI manifest of tar layers is stored as is: its digest (what a registry and podman know it by) is kept.
            return ImagePlan(manifestBytes: bytes, manifest: original, config: config, configFile: configFile, layerFiles: files, names: [])
        }
        return ImagePlan(
            manifestBytes: manifest.bytes, manifest: manifest, config: config, configFile: configFile, layerFiles: files, names: [])
    }

    private func dockerPlans(_ staging: ArchiveStaging) throws -> [ImagePlan] {
        guard let items = try Self.parse(staging.file("manifest.json", by: "the docker archive").contents(), entry: "manifest.json").arrayValue else {
            throw ArchiveError.invalid(entry: "manifest.json", reason: "not a list of images")
        }
        var plans: [ImagePlan] = []
        for item in items {
            guard let configName = item["Config"]?.stringValue, let layerNames = item["Layers"]?.arrayValue?.compactMap(\.stringValue) else {
                throw ArchiveError.invalid(entry: "manifest.json", reason: "an image lacks Config or Layers")
            }
            let configEntry = try ArchiveStaging.normalize(configName, entry: "manifest.json")
            let configFile = try staging.file(configEntry, by: "manifest.json")
            let config = try Self.config(configFile, entry: configEntry)
            var files: [(name: String, file: ArchiveStaging.File)] = []
            for name in layerNames {
                let layerEntry = try ArchiveStaging.normalize(name, entry: "manifest.json")
                var file = try staging.file(layerEntry, by: "manifest.json")
                if try file.isGzip() { file = try staging.inflate(file, entry: layerEntry) }
                files.append((layerEntry, file))
            }
            try Self.checkDiffIDs(config, files, configEntry: configEntry)
            let manifest = OCIManifest(
                config: OCIDescriptor(mediaType: MediaType.config, digest: configFile.digest, size: configFile.size),
                layers: files.map { OCIDescriptor(mediaType: MediaType.layerTar, digest: $0.file.digest, size: $0.file.size) })
            var names: [ImageReference] = []
            for tag in item["RepoTags"]?.stringArray ?? [] {
                guard let reference = try? ImageReference.parse(tag), reference.digest == nil else {
                    throw ArchiveError.invalid(entry: "manifest.json", reason: "RepoTags has an invalid name \"\(tag)\"")
                }
                names.append(reference)
            }
            plans.append(ImagePlan(
                manifestBytes: manifest.bytes, manifest: manifest, config: config, configFile: configFile,
                layerFiles: files, names: names))
        }
        return plans
    }

    private static func parse(_ bytes: [UInt8], entry: String) throws -> JSON {
        do { return try JSON.parse(bytes) } catch {
            throw ArchiveError.invalid(entry: entry, reason: "not JSON: \(error)")
        }
    }

    private static func config(_ file: ArchiveStaging.File, entry: String) throws -> ImageConfig {
        do { return try ImageConfig(bytes: file.contents(), source: entry) } catch let error as ImageError {
            if case let .corruptStore(_, reason) = error { throw ArchiveError.invalid(entry: entry, reason: reason) }
            throw error
        }
    }

    /// Uncompressed layers: each layer's digest is its diff_id.
    private static func checkDiffIDs(
        _ config: ImageConfig, _ files: [(name: String, file: ArchiveStaging.File)], configEntry: String
    ) throws {
        guard config.diffIDs.count == files.count else {
            throw ArchiveError.invalid(
                entry: configEntry, reason: "\(config.diffIDs.count) diff_ids for \(files.count) layers")
        }
        for (diffID, layer) in zip(config.diffIDs, files) where layer.file.digest != diffID {
            throw ArchiveError.digestMismatch(entry: layer.name, expected: diffID, actual: layer.file.digest)
        }
    }

    // MARK: - Committing (under the store lock)

    private func commit(_ plans: [ImagePlan]) throws -> [LoadedImage] {
        try layout.lock().withLock(stage: "image") {
            try layout.initialize()
            var created: [String] = []
            do {
                for plan in plans {
                    for (diffID, layer) in zip(plan.config.diffIDs, plan.layerFiles) where access(layerPath(diffID), F_OK) != 0 {
                        do { try unpackLayerLocked(diffID: diffID, blob: layer.file.path) } catch let error as ImageError {
                            throw ArchiveError.invalid(entry: layer.name, reason: error.description)
                        }
                        created.append(layerPath(diffID))
                    }
                }
            } catch {
                for path in created { try? FS.removeTree(path, stage: "image") }
                throw error
            }
            for plan in plans {
                for file in [plan.configFile] + plan.layerFiles.map(\.file) {
                    let destination = layout.blobPath(file.digest)
                    if !FS.exists(destination) && FS.exists(file.path) { try FS.rename(file.path, destination, stage: "image") }
                }
            }
            var index = try layout.readIndex()
            var loaded: [LoadedImage] = []
            for plan in plans {
                let descriptor = try layout.writeBlob(plan.manifestBytes, mediaType: MediaType.manifest)
                let image = StoredImage(
                    id: plan.manifest.config.digest, manifestDigest: descriptor.digest, manifest: plan.manifest,
                    config: plan.config, names: [], parent: nil, cacheKey: nil)
                if !index.contains(where: { $0.digest == descriptor.digest }) { index.append(descriptor) }
                for name in plan.names { try Self.setName(name, to: image, in: &index) }
                loaded.append(LoadedImage(id: image.id, manifestDigest: descriptor.digest, names: plan.names))
            }
            try layout.writeIndex(index)
            return loaded
        }
    }
}

/// The regular files of an archive, copied into a staging directory (on the
/// blobs' filesystem, so a verified blob is renamed into place) and hashed
/// on the way; symlinks and hard links between entries are followed by name.
final class ArchiveStaging {
    struct File {
        var path: String
        var digest: String
        var size: Int64

        func contents() throws -> [UInt8] { try FS.read(path, stage: "image") }

        func isGzip() throws -> Bool {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw SysError.current("image", "open", path) }
            defer { close(fd) }
            var magic: [UInt8] = [0, 0]
            return pread(fd, &magic, 2, 0) == 2 && magic == Gzip.magic
        }
    }

    let directory: String
    private var files: [String: File] = [:]
    private var links: [String: String] = [:]

    init(directory: String) throws {
        self.directory = directory
        try FS.makeDirectory(directory, mode: 0o700, stage: "image")
    }

    private var count = 0

    /// A new staging file's path.
    private func newPath() -> String {
        count += 1
        return directory + "/\(count)"
    }

    /// The gzip data at `fd` inflated to a staging file (hashed on the way).
    func inflate(fd: Int32, entry: String) throws -> File {
        let path = newPath()
        let out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if out < 0 { throw SysError.current("image", "open", path) }
        defer { close(out) }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            try Gzip.decompress(fd: fd) { chunk in
                chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                try FS.writeAll(fd: out, Array(chunk), stage: "image", path: path)
                size += Int64(chunk.count)
            }
        } catch let error as Gzip.DecodeError {
            throw ArchiveError.invalid(entry: entry, reason: "gzip: \(error.reason)")
        }
        return File(path: path, digest: ContentDigest.string(hasher), size: size)
    }

    /// A staged gzip file, inflated.
    func inflate(_ file: File, entry: String) throws -> File {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SysError.current("image", "open", file.path) }
        defer { close(fd) }
        return try inflate(fd: fd, entry: entry)
    }

    /// Stages `bytes` under the archive name `name`.
    @discardableResult
    func add(_ name: String, bytes: [UInt8]) throws -> File {
        let path = newPath()
        try FS.writeAtomically(path, bytes, stage: "image")
        let file = File(path: path, digest: ContentDigest.sha256(bytes), size: Int64(bytes.count))
        files[name] = file
        return file
    }

    /// Stages what `produce` writes (through the function it is given) under `name`, hashing it.
    func receive(_ name: String, _ produce: (_ write: @escaping (ArraySlice<UInt8>) throws -> Void) throws -> Void) throws -> File {
        let path = newPath()
        let out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if out < 0 { throw SysError.current("image", "open", path) }
        defer { close(out) }
        var hasher = SHA256()
        var size: Int64 = 0
        try produce { chunk in
            chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            try FS.writeAll(fd: out, Array(chunk), stage: "image", path: path)
            size += Int64(chunk.count)
        }
        let file = File(path: path, digest: ContentDigest.string(hasher), size: size)
        files[name] = file
        return file
    }

    func has(_ name: String) -> Bool { files[name] != nil || links[name] != nil }

    /// Copies every regular entry to the staging directory.
    func read(fd: Int32) throws {
        var reader = TarReader(fd: fd)
        var last = "(start of archive)"
        do {
            while let entry = try reader.next() {
                last = entry.path
                let name = try Self.normalize(entry.path, entry: entry.path)
                if name.isEmpty { continue }
                switch entry.kind {
                case .directory:
                    continue
                case .regular:
                    let path = newPath()
                    let out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                    if out < 0 { throw SysError.current("image", "open", path) }
                    defer { close(out) }
                    var hasher = SHA256()
                    var pending: [UInt8] = []
                    try reader.readContents { chunk in
                        chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                        pending.append(contentsOf: chunk)
                        if pending.count >= 1 << 20 {
                            try FS.writeAll(fd: out, pending, stage: "image", path: path)
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                    try FS.writeAll(fd: out, pending, stage: "image", path: path)
                    files[name] = File(path: path, digest: ContentDigest.string(hasher), size: entry.size)
                    links[name] = nil
                case .symlink:
                    if entry.linkTarget.hasPrefix("/") { throw ArchiveError.unsafeEntry(entry: entry.path) }
                    let parent = name.split(separator: "/").dropLast().joined(separator: "/")
                    links[name] = try Self.normalize(parent + "/" + entry.linkTarget, entry: entry.path, resolvingDotDot: true)
                case .hardlink:
                    links[name] = try Self.normalize(entry.linkTarget, entry: entry.path)
                default:
                    throw ArchiveError.invalid(entry: entry.path, reason: "devices and fifos do not belong in an image archive")
                }
            }
        } catch let ImageError.invalidArchive(entry, reason) {
            throw ArchiveError.invalid(entry: entry.isEmpty ? last : entry, reason: reason)
        }
    }

    /// "./a//b/" → "a/b"; refuses absolute names and "..", unless
    /// `resolvingDotDot` (a symlink target), where ".." may not climb above the top.
    static func normalize(_ name: String, entry: String, resolvingDotDot: Bool = false) throws -> String {
        if name.hasPrefix("/") { throw ArchiveError.unsafeEntry(entry: entry) }
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                if !resolvingDotDot || parts.isEmpty { throw ArchiveError.unsafeEntry(entry: entry) }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The staged file called `name` (following links), or an error naming
    /// what referred to it.
    func file(_ name: String, by referrer: String) throws -> File {
        var current = name
        for _ in 0..<16 {
            if let file = files[current] { return file }
            guard let next = links[current] else { break }
            current = next
        }
        throw ArchiveError.missing(entry: name, referencedBy: referrer)
    }

    /// The blob `name`, checked against the digest (and size) that names it.
    func verified(_ name: String, digest: String, size: Int64? = nil, by referrer: String) throws -> File {
        let file = try file(name, by: referrer)
        if file.digest != digest { throw ArchiveError.digestMismatch(entry: name, expected: digest, actual: file.digest) }
        if let size, size != file.size {
            throw ArchiveError.invalid(entry: name, reason: "\(file.size) bytes where \(referrer) says \(size)")
        }
        return file
    }
}
