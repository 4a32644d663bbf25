/// An address handed to a container. It is kept while the container exists
/// (a restarted container gets the same address back) and released by `rm`.
public struct Lease: Equatable, Sendable {
    public var address: IPv4Address
    public var container: String

    public init(address: IPv4Address, container: String) {
        self.address = address
        self.container = container
    }
}

/// IP address management over one subnet: pure functions on the lease
/// list, so the rules are unit-tested without a kernel. `NetStore` runs
/// them under its lock and persists the result before anyone uses it, which
/// is what makes "never handed out twice" hold across crashes.
public enum IPAM {
    /// The address of `container`: its existing lease, else the lowest free
    /// address after the gateway. The new lease is appended to `leases`.
    public static func allocate(for container: String, in subnet: IPv4Subnet,
                                leases: inout [Lease]) throws(NetError) -> IPv4Address {
        if let existing = leases.first(where: { $0.container == container && subnet.contains($0.address) }) {
            return existing.address
        }
        let used = Set(leases.map(\.address.value))
        var candidate = subnet.firstHost.value
        while candidate <= subnet.lastHost.value {
            if !used.contains(candidate) {
                let address = IPv4Address(candidate)
                leases.append(Lease(address: address, container: container))
                return address
            }
            candidate += 1
        }
        throw .addressesExhausted(subnet: subnet.description)
    }

    /// Drops the lease of `container`; returns the freed address.
    @discardableResult
    public static func release(_ container: String, leases: inout [Lease]) -> IPv4Address? {
        guard let index = leases.firstIndex(where: { $0.container == container }) else { return nil }
        return leases.remove(at: index).address
    }

    /// Reconciliation after a crash: drops the leases whose container no
    /// longer exists (`exists` answers from the container store). A lease of
    /// a container that still exists is never dropped, running or not.
    @discardableResult
    public static func reclaim(_ leases: inout [Lease], exists: (String) -> Bool) -> [Lease] {
        let gone = leases.filter { !exists($0.container) }
        leases.removeAll { !exists($0.container) }
        return gone
    }
}
