#if canImport(Glibc)
import Glibc
#endif

/// A network device as RTM_NEWLINK describes it.
public struct LinkInfo: Sendable, Equatable {
    public var index: Int32
    public var name: String
    public var kind: String          // IFLA_INFO_KIND: "veth", "bridge", "" for lo or a physical device
    public var flags: UInt32
    public var mtu: UInt32
    public var mac: String
    public var master: Int32?        // IFLA_MASTER: the bridge a port belongs to
    public var peerIndex: Int32?     // IFLA_LINK: a veth's peer (in the namespace of IFLA_LINK_NETNSID)
    public var peerInOtherNamespace: Bool
    public var operState: UInt8

    public var isUp: Bool { flags & NL.iffUp != 0 }
    public var hasCarrier: Bool { flags & NL.iffLowerUp != 0 }

    /// IF_OPER_* as `ip link` names them.
    public var state: String {
        switch operState {
        case 2: return "DOWN"
        case 3: return "LOWERLAYERDOWN"
        case 5: return "DORMANT"
        case 6: return "UP"
        default: return isUp ? "UNKNOWN" : "DOWN"
        }
    }

    init(_ reply: NetlinkReply) {
        let p = reply.payload
        index = NetlinkReply.read(Int32.self, p, p.startIndex + 4)
        flags = NetlinkReply.read(UInt32.self, p, p.startIndex + 8)
        let attributes = NetlinkAttributes(p.dropFirst(16))
        name = attributes.string(NL.iflaIfname) ?? "?"
        kind = attributes.nested(NL.iflaLinkInfo)?.string(NL.iflaInfoKind) ?? ""
        mtu = attributes.u32(NL.iflaMTU) ?? 0
        mac = attributes[NL.iflaAddress].map { raw in raw.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":") } ?? ""
        master = attributes.u32(NL.iflaMaster).map { Int32(bitPattern: $0) }
        peerIndex = attributes.u32(NL.iflaLink).map { Int32(bitPattern: $0) }
        peerInOtherNamespace = attributes[NL.iflaLinkNetnsid] != nil
        operState = attributes.u8(NL.iflaOperState) ?? 0
    }
}

/// An IPv4 address on a device (RTM_NEWADDR).
public struct AddressInfo: Sendable, Equatable {
    public var index: Int32
    public var address: IPv4Address
    public var prefixLength: Int
    public var scope: UInt8

    public var scopeName: String {
        switch scope {
        case NL.scopeHost: return "host"
        case NL.scopeLink: return "link"
        default: return "global"
        }
    }
}

/// An IPv4 route (RTM_NEWROUTE) of the main table.
public struct RouteInfo: Sendable, Equatable {
    public var destination: IPv4Address
    public var prefixLength: Int
    public var gateway: IPv4Address?
    public var outputIndex: Int32?
    public var source: IPv4Address?
    public var protocolNumber: UInt8
    public var scope: UInt8
    public var table: UInt32

    public var isDefault: Bool { prefixLength == 0 }
    public var subnet: IPv4Subnet { IPv4Subnet(unchecked: destination, prefixLength: prefixLength) }
}

/// The rtnetlink requests boxlab makes, each wrapped once: it builds the
/// message, names it for errors, and parses the answer.
extension NetlinkSocket {
    // MARK: - Links

    /// RTM_GETLINK by name; nil when no such device exists (ENODEV).
    public func link(named name: String) throws(NetError) -> LinkInfo? {
        var message = NetlinkMessage(type: NL.getLink, flags: NL.request | NL.ack)
        message.ifinfomsg()
        message.attribute(NL.iflaIfname, string: name)
        do {
            return try request(message, name: "RTM_GETLINK", target: name).first { $0.type == NL.newLink }.map(LinkInfo.init)
        } catch let error {
            if case let .netlink(_, _, code, _) = error, code == ENODEV { return nil }
            throw error
        }
    }

    /// RTM_GETLINK dump: every device of this namespace.
    public func links() throws(NetError) -> [LinkInfo] {
        var message = NetlinkMessage(type: NL.getLink, flags: NL.request | NL.dump)
        message.ifinfomsg()
        return try dump(message, name: "RTM_GETLINK").filter { $0.type == NL.newLink }.map(LinkInfo.init)
    }

    /// RTM_NEWLINK kind "bridge", created up (NLM_F_EXCL: EEXIST if it exists).
    public func createBridge(named name: String) throws(NetError) {
        var message = NetlinkMessage(type: NL.newLink, flags: NL.request | NL.ack | NL.create | NL.excl)
        message.ifinfomsg(flags: NL.iffUp, change: NL.iffUp)
        message.attribute(NL.iflaIfname, string: name)
        message.nested(NL.iflaLinkInfo) { $0.attribute(NL.iflaInfoKind, string: "bridge") }
        try request(message, name: "RTM_NEWLINK bridge", target: name)
    }

    /// One RTM_NEWLINK makes the whole veth pair: `hostName` stays here,
    /// enslaved to the bridge `master` and up; its peer is created directly in
    /// the network namespace of `peerPid` (IFLA_NET_NS_PID), already named
    /// `peerName` — so no rename and no move are needed afterwards. The peer
    /// cannot be created up (a veth opens only once its peer is registered:
    /// ENOTCONN); it is set up from inside its namespace. `peerMAC`, when
    /// given, is the peer's hardware address (see `BridgeNetwork.mac(for:)`).
    public func createVethPair(hostName: String, master: Int32, peerName: String, peerPid: Int32,
                               peerMAC: [UInt8]? = nil) throws(NetError) {
        try request(Self.vethPairMessage(hostName: hostName, master: master, peerName: peerName, peerPid: peerPid,
                                         peerMAC: peerMAC),
                    name: "RTM_NEWLINK veth", target: "\(hostName) ↔ \(peerName) (pid \(peerPid))")
    }

    /// The message `createVethPair` sends (separate so tests can check its bytes).
    public static func vethPairMessage(hostName: String, master: Int32, peerName: String, peerPid: Int32,
                                       peerMAC: [UInt8]? = nil) -> NetlinkMessage {
        var message = NetlinkMessage(type: NL.newLink, flags: NL.request | NL.ack | NL.create | NL.excl)
        message.ifinfomsg(flags: NL.iffUp, change: NL.iffUp)
        message.attribute(NL.iflaIfname, string: hostName)
        message.attribute(NL.iflaMaster, u32: UInt32(bitPattern: master))
        message.nested(NL.iflaLinkInfo) { info in
            info.attribute(NL.iflaInfoKind, string: "veth")
            info.nested(NL.iflaInfoData) { data in
                data.nested(NL.vethInfoPeer) { peer in
                    peer.ifinfomsg()
                    peer.attribute(NL.iflaIfname, string: peerName)
                    peer.attribute(NL.iflaNetNSPid, u32: UInt32(bitPattern: peerPid))
                    if let peerMAC { peer.attribute(NL.iflaAddress, peerMAC) }
                }
            }
        }
        return message
    }

    /// RTM_NEWLINK on an existing device: set it up (or down).
    public func setLink(index: Int32, name: String, up: Bool) throws(NetError) {
        var message = NetlinkMessage(type: NL.newLink, flags: NL.request | NL.ack)
        message.ifinfomsg(index: index, flags: up ? NL.iffUp : 0, change: NL.iffUp)
        try request(message, name: up ? "RTM_NEWLINK up" : "RTM_NEWLINK down", target: name)
    }

    /// RTM_DELLINK by name; a device already gone is fine (returns false).
    /// Deleting one end of a veth pair deletes both.
    @discardableResult
    public func deleteLink(named name: String) throws(NetError) -> Bool {
        var message = NetlinkMessage(type: NL.delLink, flags: NL.request | NL.ack)
        message.ifinfomsg()
        message.attribute(NL.iflaIfname, string: name)
        do {
            try request(message, name: "RTM_DELLINK", target: name)
            return true
        } catch let error {
            if case let .netlink(_, _, code, _) = error, code == ENODEV { return false }
            throw error
        }
    }

    // MARK: - Addresses

    /// RTM_NEWADDR: `address/prefix` with its broadcast on device `index`.
    /// An address already there is fine (returns false).
    @discardableResult
    public func addAddress(_ address: IPv4Address, prefixLength: Int, broadcast: IPv4Address, index: Int32,
                           device: String) throws(NetError) -> Bool {
        var message = NetlinkMessage(type: NL.newAddr, flags: NL.request | NL.ack | NL.create | NL.excl)
        message.ifaddrmsg(prefixLength: UInt8(prefixLength), index: index)
        message.attribute(NL.ifaLocal, address: address)
        message.attribute(NL.ifaAddress, address: address)
        message.attribute(NL.ifaBroadcast, address: broadcast)
        do {
            try request(message, name: "RTM_NEWADDR", target: "\(address)/\(prefixLength) dev \(device)")
            return true
        } catch let error {
            if case let .netlink(_, _, code, _) = error, code == EEXIST { return false }
            throw error
        }
    }

    /// RTM_DELADDR.
    public func deleteAddress(_ address: IPv4Address, prefixLength: Int, index: Int32, device: String) throws(NetError) {
        var message = NetlinkMessage(type: NL.delAddr, flags: NL.request | NL.ack)
        message.ifaddrmsg(prefixLength: UInt8(prefixLength), index: index)
        message.attribute(NL.ifaLocal, address: address)
        try request(message, name: "RTM_DELADDR", target: "\(address)/\(prefixLength) dev \(device)")
    }

    /// RTM_GETADDR dump of IPv4 addresses.
    public func addresses() throws(NetError) -> [AddressInfo] {
        var message = NetlinkMessage(type: NL.getAddr, flags: NL.request | NL.dump)
        message.ifaddrmsg()
        return try dump(message, name: "RTM_GETADDR").compactMap { reply in
            guard reply.type == NL.newAddr, reply.payload.count >= 8 else { return nil }
            let p = reply.payload
            let attributes = NetlinkAttributes(p.dropFirst(8))
            guard p[p.startIndex] == NL.afInet,
                  let address = attributes.address(NL.ifaLocal) ?? attributes.address(NL.ifaAddress) else { return nil }
            return AddressInfo(index: Int32(bitPattern: NetlinkReply.read(UInt32.self, p, p.startIndex + 4)),
                               address: address, prefixLength: Int(p[p.startIndex + 1]), scope: p[p.startIndex + 3])
        }
    }

    // MARK: - Routes

    /// RTM_NEWROUTE: the default route via `gateway` out of device `index`.
    public func addDefaultRoute(via gateway: IPv4Address, index: Int32, device: String) throws(NetError) {
        var message = NetlinkMessage(type: NL.newRoute, flags: NL.request | NL.ack | NL.create | NL.excl)
        message.rtmsg()
        message.attribute(NL.rtaGateway, address: gateway)
        message.attribute(NL.rtaOif, u32: UInt32(bitPattern: index))
        try request(message, name: "RTM_NEWROUTE", target: "default via \(gateway) dev \(device)")
    }

    /// RTM_GETROUTE dump, IPv4 routes of the main table.
    public func routes() throws(NetError) -> [RouteInfo] {
        var message = NetlinkMessage(type: NL.getRoute, flags: NL.request | NL.dump)
        message.rtmsg(table: 0, proto: 0, type: 0)
        return try dump(message, name: "RTM_GETROUTE").compactMap { reply in
            guard reply.type == NL.newRoute, reply.payload.count >= 12 else { return nil }
            let p = reply.payload
            let attributes = NetlinkAttributes(p.dropFirst(12))
            let table = attributes.u32(NL.rtaTable) ?? UInt32(p[p.startIndex + 4])
            guard p[p.startIndex] == NL.afInet, table == UInt32(NL.tableMain) else { return nil }
            return RouteInfo(destination: attributes.address(NL.rtaDst) ?? .any, prefixLength: Int(p[p.startIndex + 1]),
                             gateway: attributes.address(NL.rtaGateway),
                             outputIndex: attributes.u32(NL.rtaOif).map { Int32(bitPattern: $0) },
                             source: attributes.address(NL.rtaPrefSrc), protocolNumber: p[p.startIndex + 5],
                             scope: p[p.startIndex + 6], table: table)
        }
    }
}
