#if canImport(Glibc)
import Glibc
#endif

/// One network device as `inspect net` shows it.
public struct InterfaceEvidence: Sendable, Equatable {
    public var index: Int32
    public var name: String
    public var kind: String
    public var mac: String
    public var mtu: UInt32
    public var state: String
    public var addresses: [String]     // "172.31.240.2/20"
    public var master: String?         // the bridge, for a bridge port
    public var peer: String?           // "if7" (a veth's peer, in the other namespace) or a name here
}

/// The live network picture of a container: read at the moment of asking,
/// from inside its network namespace (devices, addresses, routes) and from
/// boxlab's namespace (the veth's host end, the bridge and its ports).
public struct NetEvidence: Sendable {
    public var interfaces: [InterfaceEvidence]
    public var routes: [String]
    public var hostVeth: InterfaceEvidence?
    public var bridge: InterfaceEvidence?
    public var bridgePorts: [String]
}

extension BridgeNetwork {
    /// Reads the evidence for the container whose PID 1 is `pid`.
    public func evidence(pid: Int32, container: String) throws(NetError) -> NetEvidence {
        let inside = try NetNamespace.routeSocket(inNamespaceOf: pid)
        let insideLinks = try inside.links()
        let insideAddresses = try inside.addresses()
        let interfaces = insideLinks.map { Self.describe($0, addresses: insideAddresses, links: insideLinks) }
        let routes = try inside.routes().map { Self.describe($0, links: insideLinks) }

        let host = try NetlinkSocket()
        let hostLinks = try host.links()
        let hostAddresses = try host.addresses()
        let vethName = Self.vethName(for: container)
        let veth = hostLinks.first { $0.name == vethName }
        let bridge = hostLinks.first { $0.name == bridgeName }
        let ports = bridge.map { bridge in hostLinks.filter { $0.master == bridge.index }.map(\.name) } ?? []
        return NetEvidence(
            interfaces: interfaces, routes: routes,
            hostVeth: veth.map { Self.describe($0, addresses: hostAddresses, links: hostLinks) },
            bridge: bridge.map { Self.describe($0, addresses: hostAddresses, links: hostLinks) },
            bridgePorts: ports)
    }

    static func describe(_ link: LinkInfo, addresses: [AddressInfo], links: [LinkInfo]) -> InterfaceEvidence {
        var peer: String?
        if let index = link.peerIndex, index != 0, index != link.index {
            peer = link.peerInOtherNamespace ? "if\(index)" : links.first { $0.index == index }?.name ?? "if\(index)"
        }
        return InterfaceEvidence(
            index: link.index, name: link.name, kind: link.kind.isEmpty ? (link.flags & NL.iffLoopback != 0 ? "loopback" : "device") : link.kind,
            mac: link.mac, mtu: link.mtu, state: link.state,
            addresses: addresses.filter { $0.index == link.index }.map { "\($0.address)/\($0.prefixLength)" },
            master: link.master.flatMap { master in links.first { $0.index == master }?.name }, peer: peer)
    }

    /// A route as `ip route` prints it.
    static func describe(_ route: RouteInfo, links: [LinkInfo]) -> String {
        var parts = [route.isDefault ? "default" : route.subnet.description]
        if let gateway = route.gateway { parts += ["via", gateway.description] }
        if let index = route.outputIndex { parts += ["dev", links.first { $0.index == index }?.name ?? "if\(index)"] }
        if route.protocolNumber == NL.protoKernel { parts += ["proto", "kernel"] }
        if route.scope == NL.scopeLink { parts += ["scope", "link"] }
        if let source = route.source { parts += ["src", source.description] }
        return parts.joined(separator: " ")
    }
}
