#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS

/// A running container attached to the bridge: what boxlab made for it and
/// must undo when it ends.
public struct Endpoint: Equatable, Sendable {
    public var container: String
    public var name: String
    public var hostname: String
    public var address: IPv4Address
    /// The host end of the veth pair (its peer is eth0 inside).
    public var veth: String
    /// ROOT/containers/ID/hosts: bind-mounted as the container's /etc/hosts.
    public var hostsFile: String
    public var pid: Int32
    public var pidStartTime: UInt64
    /// Published ports with the host port actually bound.
    public var ports: [PortMapping]
    /// The userspace proxy serving `ports` (0 until it reported its pid).
    public var proxyPid: Int32
    public var proxyStartTime: UInt64

    public init(container: String, name: String, hostname: String, address: IPv4Address, veth: String, hostsFile: String,
                pid: Int32, pidStartTime: UInt64, ports: [PortMapping], proxyPid: Int32 = 0, proxyStartTime: UInt64 = 0) {
        self.container = container
        self.name = name
        self.hostname = hostname
        self.address = address
        self.veth = veth
        self.hostsFile = hostsFile
        self.pid = pid
        self.pidStartTime = pidStartTime
        self.ports = ports
        self.proxyPid = proxyPid
        self.proxyStartTime = proxyStartTime
    }

    public var isAlive: Bool { Processes.isAlive(pid, startTime: pidStartTime) }
}

/// ROOT/net/state.json: the subnet in use, every lease, every endpoint.
public struct NetState: Equatable, Sendable {
    public var subnet: IPv4Subnet?
    /// The bridge the endpoints are on (BOXLAB_BRIDGE at their start).
    public var bridge: String?
    public var leases: [Lease] = []
    public var endpoints: [Endpoint] = []

    public init() {}

    public func lease(of container: String) -> Lease? { leases.first { $0.container == container } }
    public func endpoint(of container: String) -> Endpoint? { endpoints.first { $0.container == container } }

    // MARK: - JSON

    public var json: JSON {
        .object([
            ("Subnet", subnet.map { .string($0.description) } ?? .null),
            ("Bridge", bridge.map { .string($0) } ?? .null),
            ("Leases", .array(leases.map { .object([("IP", .string($0.address.description)), ("Container", .string($0.container))]) })),
            ("Endpoints", .array(endpoints.map { endpoint in
                .object([
                    ("Container", .string(endpoint.container)), ("Name", .string(endpoint.name)),
                    ("Hostname", .string(endpoint.hostname)), ("IP", .string(endpoint.address.description)),
                    ("Veth", .string(endpoint.veth)), ("HostsFile", .string(endpoint.hostsFile)),
                    ("Pid", .int(endpoint.pid)), ("PidStartTime", .int(endpoint.pidStartTime)),
                    ("Ports", .strings(endpoint.ports.map { "\($0.hostIP):\($0.hostPort):\($0.containerPort)/\($0.proto)" })),
                    ("ProxyPid", .int(endpoint.proxyPid)), ("ProxyStartTime", .int(endpoint.proxyStartTime)),
                ])
            })),
        ])
    }

    /// Parses the file; entries that do not parse are dropped (a lease
    /// dropped here could only be handed out again if its container were
    /// gone, which `IPAM.reclaim` checks anyway).
    public init(json: JSON) {
        subnet = json["Subnet"]?.stringValue.flatMap { try? IPv4Subnet.parse($0) }
        bridge = json["Bridge"]?.stringValue
        leases = (json["Leases"]?.arrayValue ?? []).compactMap { item in
            guard let ip = item["IP"]?.stringValue.flatMap({ IPv4Address($0) }),
                  let container = item["Container"]?.stringValue else { return nil }
            return Lease(address: ip, container: container)
        }
        endpoints = (json["Endpoints"]?.arrayValue ?? []).compactMap { item in
            guard let container = item["Container"]?.stringValue,
                  let ip = item["IP"]?.stringValue.flatMap({ IPv4Address($0) }) else { return nil }
            return Endpoint(
                container: container, name: item["Name"]?.stringValue ?? "", hostname: item["Hostname"]?.stringValue ?? "",
                address: ip, veth: item["Veth"]?.stringValue ?? "", hostsFile: item["HostsFile"]?.stringValue ?? "",
                pid: Int32(item["Pid"]?.intValue ?? 0), pidStartTime: UInt64(item["PidStartTime"]?.intValue ?? 0),
                ports: (item["Ports"]?.stringArray ?? []).compactMap { try? PortMapping.parse($0) },
                proxyPid: Int32(item["ProxyPid"]?.intValue ?? 0),
                proxyStartTime: UInt64(item["ProxyStartTime"]?.intValue ?? 0))
        }
    }
}

/// The network state on disk, ROOT/net/: `state.json` written atomically
/// (temp file + rename) and changed only under `lock` (flock), so two
/// boxlab processes starting containers at once never pick the same
/// address, and a boxlab killed mid-change leaves the old or the new file,
/// never half of one.
public struct NetStore: Sendable {
    public let directory: String

    public init(root: String) { directory = root + "/net" }

    public var statePath: String { directory + "/state.json" }
    var lockPath: String { directory + "/lock" }

    /// The last saved state, without locking (readers: inspect, port, ps).
    public func load() -> NetState {
        guard let bytes = try? FS.read(statePath, stage: "net"), let json = try? JSON.parse(bytes) else { return NetState() }
        return NetState(json: json)
    }

    /// Runs `body` on the state under the lock and saves it if it changed.
    public func update<T>(_ body: (inout NetState) throws -> T) throws -> T {
        try FS.makeDirectories(directory, mode: 0o700, stage: "net")
        let lock = try FileLock(path: lockPath, stage: "net")
        return try lock.withLock(stage: "net") {
            let before = load()
            var state = before
            let result = try body(&state)
            if state != before { try FS.writeAtomically(statePath, state.json.serialized(), mode: 0o600, stage: "net") }
            return result
        }
    }

    /// Saves without taking the lock: only inside `update`'s body, to make a
    /// change durable before acting on it.
    public func save(_ state: NetState) throws {
        try FS.writeAtomically(statePath, state.json.serialized(), mode: 0o600, stage: "net")
    }

    /// True once any container of this root ever used the bridge (the
    /// none/host paths never create ROOT/net).
    public var exists: Bool { FS.exists(statePath) }
}
