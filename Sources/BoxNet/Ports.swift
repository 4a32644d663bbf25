/// How a container is attached: docker's three built-in network modes.
public enum NetworkMode: String, Sendable, CaseIterable {
    /// Its own network namespace, a veth pair to the boxlab bridge, an
    /// address from the subnet, a default route via the bridge.
    case bridge
    /// Its own network namespace with only loopback.
    case none
    /// No network namespace of its own: the host's devices, addresses and ports.
    case host

    public static func parse(_ text: String) throws(NetError) -> NetworkMode {
        guard let mode = NetworkMode(rawValue: text) else { throw .invalidNetworkMode(text) }
        return mode
    }
}

/// One `-p [HOSTIP:][HOSTPORT:]CONTAINERPORT[/tcp]` as the user asked for it.
/// A host port of 0 means "any free port" (`-p 80`), as with docker.
public struct PortMapping: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var hostIP: IPv4Address
    public var hostPort: UInt16
    public var containerPort: UInt16
    public var proto: String

    public init(hostIP: IPv4Address = .any, hostPort: UInt16, containerPort: UInt16, proto: String = "tcp") {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.proto = proto
    }

    public static func parse(_ spec: String) throws(NetError) -> PortMapping {
        var body = Substring(spec)
        var proto = "tcp"
        if let slash = body.lastIndex(of: "/") {
            proto = String(body[body.index(after: slash)...]).lowercased()
            body = body[..<slash]
            guard proto == "tcp" else {
                throw .invalidPort(spec: spec, reason: proto == "udp" || proto == "sctp"
                    ? "only tcp is published (boxlab's proxy relays TCP streams)" : "unknown protocol \"\(proto)\"")
            }
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        func port(_ text: Substring, allowZero: Bool) throws(NetError) -> UInt16 {
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt16(text),
                  value > 0 || allowZero else {
                throw .invalidPort(spec: spec, reason: "\"\(text)\" is not a port number (1-65535)")
            }
            return value
        }
        switch parts.count {
        case 1:
            return PortMapping(hostPort: 0, containerPort: try port(parts[0], allowZero: false), proto: proto)
        case 2:
            return PortMapping(hostPort: parts[0].isEmpty ? 0 : try port(parts[0], allowZero: false),
                               containerPort: try port(parts[1], allowZero: false), proto: proto)
        case 3:
            guard let ip = parts[0].isEmpty ? .any : IPv4Address(parts[0]) else {
                throw .invalidPort(spec: spec, reason: "\"\(parts[0])\" is not an IPv4 address")
            }
            return PortMapping(hostIP: ip, hostPort: parts[1].isEmpty ? 0 : try port(parts[1], allowZero: false),
                               containerPort: try port(parts[2], allowZero: false), proto: proto)
        default:
            throw .invalidPort(spec: spec, reason: "expected [HOSTIP:][HOSTPORT:]CONTAINERPORT[/tcp], e.g. 8080:80")
        }
    }

    /// "80/tcp"
    public var containerKey: String { "\(containerPort)/\(proto)" }

    /// docker's `port` line: "80/tcp -> 0.0.0.0:8080".
    public var portLine: String { "\(containerKey) -> \(hostIP):\(hostPort)" }

    /// docker's ps PORTS cell: "0.0.0.0:8080->80/tcp".
    public var psCell: String { "\(hostIP):\(hostPort)->\(containerKey)" }

    /// The spec again, as `inspect` shows HostConfig.PortBindings.
    public var description: String {
        (hostIP == .any ? "" : "\(hostIP):") + (hostPort == 0 ? "" : "\(hostPort):") + containerKey
    }
}
