import BoxJSON

/// The parts of an OCI image config boxlab uses: the defaults a container
/// starts with (config.Env, Cmd, …), the layers' diff_ids and the history.
/// The stored config blob is never re-serialised from this value: the image
/// id is the sha256 of the blob's bytes, so those bytes are kept as written.
public struct ImageConfig: Equatable, Sendable {
    public var env: [String]
    /// nil and [] differ for docker: nil inherits, [] clears.
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var workingDir: String
    public var user: String
    public var labels: [String: String]
    /// Keys of config.ExposedPorts ("80/tcp").
    public var exposedPorts: [String]
    public var architecture: String
    public var os: String
    /// RFC 3339 time the image was made.
    public var created: String?
    /// rootfs.diff_ids: sha256 of each uncompressed layer tar, base first.
    public var diffIDs: [String]
    public var history: [ImageHistoryEntry]

    public init(
        env: [String] = [], cmd: [String]? = nil, entrypoint: [String]? = nil, workingDir: String = "",
        user: String = "", labels: [String: String] = [:], exposedPorts: [String] = [],
        architecture: String, os: String = "linux", created: String? = nil,
        diffIDs: [String] = [], history: [ImageHistoryEntry] = []
    ) {
        self.env = env
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.workingDir = workingDir
        self.user = user
        self.labels = labels
        self.exposedPorts = exposedPorts
        self.architecture = architecture
        self.os = os
        self.created = created
        self.diffIDs = diffIDs
        self.history = history
    }

    /// Parses config blob bytes; `source` names the blob in errors.
    public init(bytes: [UInt8], source: String) throws {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            throw ImageError.corruptStore(path: source, reason: "not JSON: \(error)")
        }
        guard json.objectValue != nil, let rootfs = json["rootfs"],
              let diffIDs = rootfs["diff_ids"]?.arrayValue else {
            throw ImageError.corruptStore(path: source, reason: "not an image config (no rootfs.diff_ids)")
        }
        let ids = diffIDs.compactMap(\.stringValue)
        guard ids.count == diffIDs.count, ids.allSatisfy(ContentDigest.isValid) else {
            throw ImageError.corruptStore(path: source, reason: "rootfs.diff_ids must be sha256 digests")
        }
        let config = json["config"] ?? .object([])
        func list(_ key: String) -> [String]? {
            guard let value = config[key], value != .null else { return nil }
            return value.stringArray
        }
        var labels: [String: String] = [:]
        for (key, value) in config["Labels"]?.objectValue ?? [] {
            if let text = value.stringValue { labels[key] = text }
        }
        self.init(
            env: list("Env") ?? [], cmd: list("Cmd"), entrypoint: list("Entrypoint"),
            workingDir: config["WorkingDir"]?.stringValue ?? "", user: config["User"]?.stringValue ?? "",
            labels: labels, exposedPorts: (config["ExposedPorts"]?.objectValue ?? []).map(\.0),
            architecture: json["architecture"]?.stringValue ?? "", os: json["os"]?.stringValue ?? "",
            created: json["created"]?.stringValue, diffIDs: ids,
            history: (json["history"]?.arrayValue ?? []).map(ImageHistoryEntry.init(json:)))
    }

    /// The OCI config JSON. Keys follow the image-spec's order, empty fields
    /// are omitted and maps are sorted, so equal configs give equal bytes
    /// (and so the same image id).
    public var json: JSON {
        var inner: [(String, JSON)] = []
        if !user.isEmpty { inner.append(("User", .string(user))) }
        if !exposedPorts.isEmpty {
            inner.append(("ExposedPorts", .object(exposedPorts.sorted().map { ($0, .object([])) })))
        }
        if !env.isEmpty { inner.append(("Env", .strings(env))) }
        if let entrypoint { inner.append(("Entrypoint", .strings(entrypoint))) }
        if let cmd { inner.append(("Cmd", .strings(cmd))) }
        if !workingDir.isEmpty { inner.append(("WorkingDir", .string(workingDir))) }
        if !labels.isEmpty {
            inner.append(("Labels", .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var members: [(String, JSON)] = []
        if let created { members.append(("created", .string(created))) }
        members.append(("architecture", .string(architecture)))
        members.append(("os", .string(os)))
        members.append(("config", .object(inner)))
        members.append(("rootfs", .object([("type", .string("layers")), ("diff_ids", .strings(diffIDs))])))
        if !history.isEmpty { members.append(("history", .array(history.map(\.json)))) }
        return .object(members)
    }

    /// The bytes to store as the config blob (compact JSON).
    public var bytes: [UInt8] { Array(json.serialized().utf8) }
}
