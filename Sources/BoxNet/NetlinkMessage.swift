/// Numbers of the rtnetlink ABI, from the kernel's UAPI headers
/// (<linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>,
/// <linux/veth.h>, <linux/if_addr.h>). Swift's Glibc module does not import
/// these headers, and they are a stable ABI, so boxlab spells them here.
public enum NL {
    // nlmsghdr.nlmsg_type of control messages
    public static let noop: UInt16 = 1
    public static let error: UInt16 = 2
    public static let done: UInt16 = 3

    // nlmsghdr.nlmsg_flags
    public static let request: UInt16 = 0x1
    public static let multi: UInt16 = 0x2
    public static let ack: UInt16 = 0x4
    public static let dump: UInt16 = 0x300      // NLM_F_ROOT | NLM_F_MATCH
    public static let replace: UInt16 = 0x100
    public static let excl: UInt16 = 0x200
    public static let create: UInt16 = 0x400
    public static let capped: UInt16 = 0x100    // on an NLMSG_ERROR: the request was not echoed
    public static let ackTLVs: UInt16 = 0x200   // on an NLMSG_ERROR: extended-ack attributes follow

    // rtnetlink message types
    public static let newLink: UInt16 = 16
    public static let delLink: UInt16 = 17
    public static let getLink: UInt16 = 18
    public static let newAddr: UInt16 = 20
    public static let delAddr: UInt16 = 21
    public static let getAddr: UInt16 = 22
    public static let newRoute: UInt16 = 24
    public static let delRoute: UInt16 = 25
    public static let getRoute: UInt16 = 26

    // IFLA_* (link attributes)
    public static let iflaAddress: UInt16 = 1
    public static let iflaIfname: UInt16 = 3
    public static let iflaMTU: UInt16 = 4
    public static let iflaLink: UInt16 = 5
    public static let iflaMaster: UInt16 = 10
    public static let iflaOperState: UInt16 = 16
    public static let iflaLinkInfo: UInt16 = 18
    public static let iflaNetNSPid: UInt16 = 19
    public static let iflaLinkNetnsid: UInt16 = 37
    public static let iflaInfoKind: UInt16 = 1
    public static let iflaInfoData: UInt16 = 2
    public static let vethInfoPeer: UInt16 = 1

    // IFA_* (address attributes)
    public static let ifaAddress: UInt16 = 1
    public static let ifaLocal: UInt16 = 2
    public static let ifaLabel: UInt16 = 3
    public static let ifaBroadcast: UInt16 = 4

    // RTA_* (route attributes)
    public static let rtaDst: UInt16 = 1
    public static let rtaOif: UInt16 = 4
    public static let rtaGateway: UInt16 = 5
    public static let rtaPriority: UInt16 = 6
    public static let rtaPrefSrc: UInt16 = 7
    public static let rtaTable: UInt16 = 15

    // nlmsgerr extended-ack attributes
    public static let errAttrMsg: UInt16 = 1

    public static let nested: UInt16 = 0x8000    // NLA_F_NESTED
    public static let attrTypeMask: UInt16 = 0x3fff

    // values in the fixed headers
    public static let afUnspec: UInt8 = 0
    public static let afInet: UInt8 = 2
    public static let iffUp: UInt32 = 0x1
    public static let iffLoopback: UInt32 = 0x8
    public static let iffRunning: UInt32 = 0x40
    public static let iffLowerUp: UInt32 = 0x10000
    public static let tableMain: UInt8 = 254
    public static let protoBoot: UInt8 = 3
    public static let protoKernel: UInt8 = 2
    public static let scopeUniverse: UInt8 = 0
    public static let scopeLink: UInt8 = 253
    public static let scopeHost: UInt8 = 254
    public static let rtnUnicast: UInt8 = 1
    public static let rtnLocal: UInt8 = 2

    /// Netlink aligns every header and attribute to 4 bytes.
    static func align(_ n: Int) -> Int { (n + 3) & ~3 }
}

/// One netlink request being built: the 16-byte nlmsghdr, a fixed family
/// header (ifinfomsg, ifaddrmsg or rtmsg), then type-length-value
/// attributes, nested ones included. Numbers are in host byte order, as
/// netlink wants; addresses in network order, as the kernel stores them.
public struct NetlinkMessage: Sendable {
    public private(set) var bytes: [UInt8]

    public init(type: UInt16, flags: UInt16) {
        bytes = []
        bytes.reserveCapacity(128)
        append(UInt32(0))       // nlmsg_len, set by finished(seq:)
        append(type)
        append(flags)
        append(UInt32(0))       // nlmsg_seq
        append(UInt32(0))       // nlmsg_pid: 0 = to the kernel
    }

    /// The bytes to send: length and sequence number filled in.
    public func finished(seq: UInt32) -> [UInt8] {
        var out = bytes
        Self.store(UInt32(out.count), into: &out, at: 0)
        Self.store(seq, into: &out, at: 8)
        return out
    }

    // MARK: - Fixed headers

    /// struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }
    public mutating func ifinfomsg(family: UInt8 = NL.afUnspec, index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
        append(family)
        append(UInt8(0))
        append(UInt16(0))
        append(index)
        append(flags)
        append(change)
    }

    /// struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }
    public mutating func ifaddrmsg(family: UInt8 = NL.afInet, prefixLength: UInt8 = 0, scope: UInt8 = NL.scopeUniverse,
                                   index: Int32 = 0) {
        append(family)
        append(prefixLength)
        append(UInt8(0))
        append(scope)
        append(UInt32(bitPattern: index))
    }

    /// struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }
    public mutating func rtmsg(family: UInt8 = NL.afInet, dstLength: UInt8 = 0, table: UInt8 = NL.tableMain,
                               proto: UInt8 = NL.protoBoot, scope: UInt8 = NL.scopeUniverse, type: UInt8 = NL.rtnUnicast) {
        for byte in [family, dstLength, 0, 0, table, proto, scope, type] { append(byte) }
        append(UInt32(0))
    }

    // MARK: - Attributes

    /// struct rtattr { u16 len; u16 type; } + payload, padded to 4 bytes.
    public mutating func attribute(_ type: UInt16, _ payload: [UInt8]) {
        append(UInt16(4 + payload.count))
        append(type)
        bytes.append(contentsOf: payload)
        pad()
    }

    /// A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND).
    public mutating func attribute(_ type: UInt16, string: String) {
        attribute(type, Array(string.utf8) + [0])
    }

    public mutating func attribute(_ type: UInt16, u32 value: UInt32) {
        attribute(type, withUnsafeBytes(of: value) { Array($0) })
    }

    public mutating func attribute(_ type: UInt16, address: IPv4Address) {
        attribute(type, address.bytes)
    }

    /// A nested attribute: its length covers everything `body` appends.
    public mutating func nested(_ type: UInt16, _ body: (inout NetlinkMessage) -> Void) {
        let start = bytes.count
        append(UInt16(0))
        append(type | NL.nested)
        body(&self)
        pad()
        Self.store(UInt16(bytes.count - start), into: &bytes, at: start)
    }

    // MARK: - Bytes

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    static func store<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}

/// One message the kernel sent back.
public struct NetlinkReply: Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var seq: UInt32
    /// Everything after the 16-byte nlmsghdr.
    public var payload: ArraySlice<UInt8>

    /// Splits a datagram into its messages (several per recv in a dump).
    public static func split(_ buffer: ArraySlice<UInt8>) -> [NetlinkReply] {
        var result: [NetlinkReply] = []
        var offset = buffer.startIndex
        while buffer.endIndex - offset >= 16 {
            let length = Int(read(UInt32.self, buffer, offset))
            guard length >= 16, offset + length <= buffer.endIndex else { break }
            result.append(NetlinkReply(type: read(UInt16.self, buffer, offset + 4), flags: read(UInt16.self, buffer, offset + 6),
                                       seq: read(UInt32.self, buffer, offset + 8),
                                       payload: buffer[(offset + 16)..<(offset + length)]))
            offset += NL.align(length)
        }
        return result
    }

    /// For NLMSG_ERROR: the negative errno (0 = an ACK) and the kernel's
    /// extended-ack text, if it gave one.
    public var errorCode: (errno: Int32, message: String)? {
        guard type == NL.error, payload.count >= 4 else { return nil }
        let code = Self.read(Int32.self, payload, payload.startIndex)
        var message = ""
        if flags & NL.ackTLVs != 0 {
            // After the errno comes the request's header (and its payload unless capped).
            var skip = 4 + 16
            if flags & NL.capped == 0, payload.count >= 8 {
                skip = 4 + Int(Self.read(UInt32.self, payload, payload.startIndex + 4))
            }
            if payload.count > skip {
                let attributes = NetlinkAttributes(payload[(payload.startIndex + NL.align(skip))...])
                message = attributes.string(NL.errAttrMsg) ?? ""
            }
        }
        return (-code, message)
    }

    static func read<T: FixedWidthInteger>(_ type: T.Type, _ bytes: ArraySlice<UInt8>, _ offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[offset + index] }
        }
        return value
    }
}

/// The attributes after a fixed header, by type (the last one of a type wins).
public struct NetlinkAttributes: Sendable {
    public private(set) var values: [UInt16: ArraySlice<UInt8>] = [:]

    public init(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 4 {
            let length = Int(NetlinkReply.read(UInt16.self, bytes, offset))
            let type = NetlinkReply.read(UInt16.self, bytes, offset + 2) & NL.attrTypeMask
            guard length >= 4, offset + length <= bytes.endIndex else { break }
            values[type] = bytes[(offset + 4)..<(offset + length)]
            offset += NL.align(length)
        }
    }

    public subscript(_ type: UInt16) -> ArraySlice<UInt8>? { values[type] }

    public func string(_ type: UInt16) -> String? {
        guard let raw = values[type] else { return nil }
        return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }

    public func u32(_ type: UInt16) -> UInt32? {
        guard let raw = values[type], raw.count >= 4 else { return nil }
        return NetlinkReply.read(UInt32.self, raw, raw.startIndex)
    }

    public func u8(_ type: UInt16) -> UInt8? { values[type]?.first }

    public func address(_ type: UInt16) -> IPv4Address? {
        guard let raw = values[type], raw.count == 4 else { return nil }
        return IPv4Address(bytes: raw)
    }

    public func nested(_ type: UInt16) -> NetlinkAttributes? {
        values[type].map(NetlinkAttributes.init)
    }
}
