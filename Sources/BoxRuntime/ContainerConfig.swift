import BoxJSON
import BoxNet

/// What a container was created with: fixed for its whole life
/// (containers/ID/config.json). Docker keeps the same split between config
/// and the state that changes.
public struct ContainerConfig: Equatable, Sendable {
    public var id: String
    public var name: String
    public var createdNanos: Int64
    public var imageReference: String     // as the user typed it, e.g. "busybox"
    public var imageID: String            // sha256:… of the image config
    public var layerPaths: [String]       // unpacked layers, base first
    public var entrypoint: [String]
    public var command: [String]
    public var env: [String]
    public var workingDir: String
    public var hostname: String
    public var tty: Bool
    public var openStdin: Bool
    public var autoRemove: Bool
    public var useInit: Bool
    public var memoryBytes: Int64?
    public var pidsLimit: Int64?
    public var cpus: Double?
    public var mounts: [MountSpec]
    /// --network: bridge, none or host (boxlab's default is none unless ports
    /// are published, where docker's is bridge: see `Runtime.networkMode`).
    public var networkMode: NetworkMode
    /// -p mappings as asked for (a host port of 0 is chosen at start).
    public var ports: [PortMapping]
    /// --user, else the image's USER: NAME|UID[:GROUP|GID], resolved at
    /// every start against the container's own files ("" = root).
    public var user: String

    public init(id: String, name: String, createdNanos: Int64, imageReference: String, imageID: String,
                layerPaths: [String], entrypoint: [String], command: [String], env: [String],
                workingDir: String, hostname: String, tty: Bool, openStdin: Bool, autoRemove: Bool,
                useInit: Bool, memoryBytes: Int64?, pidsLimit: Int64?, cpus: Double?, mounts: [MountSpec],
                networkMode: NetworkMode = .none, ports: [PortMapping] = [], user: String = "") {
        self.id = id
        self.name = name
        self.createdNanos = createdNanos
        self.imageReference = imageReference
        self.imageID = imageID
        self.layerPaths = layerPaths
        self.entrypoint = entrypoint
        self.command = command
        self.env = env
        self.workingDir = workingDir
        self.hostname = hostname
        self.tty = tty
        self.openStdin = openStdin
        self.autoRemove = autoRemove
        self.useInit = useInit
        self.memoryBytes = memoryBytes
        self.pidsLimit = pidsLimit
        self.cpus = cpus
        self.mounts = mounts
        self.networkMode = networkMode
        self.ports = ports
        self.user = user
    }

    public var shortID: String { String(id.prefix(12)) }

    /// The argv the container runs: entrypoint + command, as docker joins them.
    public var argv: [String] { entrypoint + command }

    // MARK: - JSON

    public var json: JSON {
        .object([
            ("Id", .string(id)), ("Name", .string(name)), ("Created", .int(createdNanos)),
            ("Image", .string(imageReference)), ("ImageID", .string(imageID)),
            ("Layers", .strings(layerPaths)), ("Entrypoint", .strings(entrypoint)), ("Cmd", .strings(command)),
            ("Env", .strings(env)), ("WorkingDir", .string(workingDir)), ("Hostname", .string(hostname)),
            ("Tty", .bool(tty)), ("OpenStdin", .bool(openStdin)), ("AutoRemove", .bool(autoRemove)),
            ("Init", .bool(useInit)),
            ("Memory", memoryBytes.map { .int($0) } ?? .null),
            ("PidsLimit", pidsLimit.map { .int($0) } ?? .null),
            ("Cpus", cpus.map { .number($0) } ?? .null),
            ("Mounts", .array(mounts.map { mount in
                .object([("Type", .string(mount.kind.rawValue)), ("Source", .string(mount.source)),
                         ("Destination", .string(mount.destination)), ("ReadOnly", .bool(mount.readOnly))])
            })),
            ("NetworkMode", .string(networkMode.rawValue)),
            ("PortBindings", .strings(ports.map(\.description))),
            ("User", .string(user)),
        ])
    }

    public init(json: JSON, path: String) throws(RuntimeError) {
        func string(_ key: String) throws(RuntimeError) -> String {
            guard let value = json[key]?.stringValue else {
                throw .corruptState(path: path, reason: "missing string field \(key)")
            }
            return value
        }
        var mounts: [MountSpec] = []
        for item in json["Mounts"]?.arrayValue ?? [] {
            guard let kind = item["Type"]?.stringValue.flatMap(MountSpec.Kind.init(rawValue:)),
                  let source = item["Source"]?.stringValue, let destination = item["Destination"]?.stringValue
            else { throw .corruptState(path: path, reason: "bad entry in Mounts") }
            mounts.append(MountSpec(kind: kind, source: source, destination: destination,
                                    readOnly: item["ReadOnly"]?.boolValue ?? false))
        }
        self.init(
            id: try string("Id"), name: try string("Name"), createdNanos: json["Created"]?.int64Value ?? 0,
            imageReference: try string("Image"), imageID: try string("ImageID"),
            layerPaths: json["Layers"]?.stringArray ?? [], entrypoint: json["Entrypoint"]?.stringArray ?? [],
            command: json["Cmd"]?.stringArray ?? [], env: json["Env"]?.stringArray ?? [],
            workingDir: json["WorkingDir"]?.stringValue ?? "/", hostname: try string("Hostname"),
            tty: json["Tty"]?.boolValue ?? false, openStdin: json["OpenStdin"]?.boolValue ?? false,
            autoRemove: json["AutoRemove"]?.boolValue ?? false, useInit: json["Init"]?.boolValue ?? false,
            memoryBytes: json["Memory"]?.int64Value, pidsLimit: json["PidsLimit"]?.int64Value,
            cpus: json["Cpus"]?.doubleValue, mounts: mounts,
            // Containers made before networking existed had only loopback.
            networkMode: json["NetworkMode"]?.stringValue.flatMap(NetworkMode.init(rawValue:)) ?? .none,
            ports: json["PortBindings"]?.stringArray.compactMap { try? PortMapping.parse($0) } ?? [],
            user: json["User"]?.stringValue ?? "")
    }
}
