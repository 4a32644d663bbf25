/// An IPv4 address as a host-order number ("172.31.240.2" ⇄ 0xAC1FF002).
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted quad; nil for anything else (no leading zeros games, no shorthand).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let byte = UInt8(part) else { return nil }
            result = result << 8 | UInt32(byte)
        }
        value = result
    }

    public static let any = IPv4Address(0)

    /// Network byte order, as netlink and sockaddr_in carry it.
    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        var result: UInt32 = 0
        for byte in bytes { result = result << 8 | UInt32(byte) }
        value = result
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv4 network in CIDR form: the containers' subnet ("172.31.240.0/20").
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let prefixLength: Int

    /// boxlab's default: a /20 at the top of 172.31.0.0/16 — private
    /// (RFC 1918), away from docker's 172.17.0.0/16 and podman's
    /// 10.88.0.0/16, and past the /20s a cloud default VPC hands out first.
    public static let defaultSubnet = IPv4Subnet(unchecked: IPv4Address(172, 31, 240, 0), prefixLength: 20)

    init(unchecked network: IPv4Address, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses "A.B.C.D/N". Containers need room for a gateway and at least
    /// one address, so N is 8…30; host bits must be zero.
    public static func parse(_ text: String) throws(NetError) -> IPv4Subnet {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]) else {
            throw .invalidSubnet(value: text, reason: "expected A.B.C.D/N, e.g. 172.31.240.0/20")
        }
        guard (8...30).contains(length) else {
            throw .invalidSubnet(value: text, reason: "the prefix length must be between 8 and 30")
        }
        let subnet = IPv4Subnet(unchecked: address, prefixLength: length)
        guard address.value & ~subnet.mask == 0 else {
            throw .invalidSubnet(value: text, reason: "host bits are set; did you mean \(IPv4Address(address.value & subnet.mask))/\(length)?")
        }
        return subnet
    }

    public var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength) }
    public var broadcast: IPv4Address { IPv4Address(network.value | ~mask) }
    /// The bridge's own address: the first in the subnet (docker's habit).
    public var gateway: IPv4Address { IPv4Address(network.value + 1) }
    /// Addresses containers may get: after the gateway, before broadcast.
    public var firstHost: IPv4Address { IPv4Address(network.value + 2) }
    public var lastHost: IPv4Address { IPv4Address(broadcast.value - 1) }

    public func contains(_ address: IPv4Address) -> Bool { address.value & mask == network.value }

    /// True when the two networks share any address.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(prefixLength, other.prefixLength)
        let common: UInt32 = shorter == 0 ? 0 : UInt32.max << (32 - shorter)
        return network.value & common == other.network.value & common
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
