#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Docker's default network, boxlab style: one Linux bridge (`boxlab0`) in
/// the namespace boxlab runs in — made by the first container that needs it,
/// deleted after the last one — holding the subnet's first address as the
/// containers' gateway; per container a veth pair whose host end is a port
/// of the bridge and whose other end is `eth0` in the container's own
/// network namespace, with an address from the subnet and a default route
/// via the bridge.
///
/// Nothing here forwards or NATs: containers reach each other and the host
/// (and published ports reach them through the proxy), but boxlab never
/// turns on ip_forward or adds firewall rules, so the machine's own
/// network is left exactly as it was.
///
/// Settings: BOXLAB_SUBNET (default 172.31.240.0/20), BOXLAB_BRIDGE
/// (default boxlab0). Two boxlab roots on one host must not share a bridge:
/// each root keeps its own leases.
public struct BridgeNetwork: Sendable {
    public let root: String
    public let store: NetStore
    public let bridgeName: String
    let subnetSetting: String?

    /// The interface name containers see.
    public static let containerInterface = "eth0"

    public init(root: String, environment: [String: String]) {
        self.root = root
        store = NetStore(root: root)
        bridgeName = environment["BOXLAB_BRIDGE"].flatMap { $0.isEmpty ? nil : $0 } ?? "boxlab0"
        subnetSetting = environment["BOXLAB_SUBNET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The subnet asked for (BOXLAB_SUBNET), or the default.
    public func subnet() throws(NetError) -> IPv4Subnet {
        try subnetSetting.map(IPv4Subnet.parse) ?? .defaultSubnet
    }

    /// The host end of a container's veth pair: "veth" + 11 hex digits of
    /// its id (interface names have at most 15 characters).
    public static func vethName(for container: String) -> String { "veth" + container.prefix(11) }

    /// eth0's MAC: 02:42 and the four bytes of its address, as docker does.
    /// A container restarted with the same address keeps the same MAC, so
    /// its neighbours' ARP caches stay right (a random MAC would leave them
    /// pointing at the old one for several seconds).
    public static func mac(for address: IPv4Address) -> [UInt8] { [0x02, 0x42] + address.bytes }

    func containerExists(_ id: String) -> Bool { FS.exists(root + "/containers/" + id + "/config.json") }

    // MARK: - Attach

    public struct AttachRequest: Sendable {
        public var container: String
        public var name: String
        public var hostname: String
        public var pid: Int32
        public var pidStartTime: UInt64
        public var hostsFile: String
        public var ports: [BoundPort]
        /// The boxlab binary, to spawn the proxy (`boxlab _proxy`).
        public var proxyBinary: String

        public init(container: String, name: String, hostname: String, pid: Int32, pidStartTime: UInt64,
                    hostsFile: String, ports: [BoundPort], proxyBinary: String) {
            self.container = container
            self.name = name
            self.hostname = hostname
            self.pid = pid
            self.pidStartTime = pidStartTime
            self.hostsFile = hostsFile
            self.ports = ports
            self.proxyBinary = proxyBinary
        }
    }

    /// What `attach` made, for narration and for `recordProxy`.
    public struct Attachment: Sendable {
        public var bridge: String
        public var subnet: IPv4Subnet
        public var address: IPv4Address
        public var veth: String
        public var interface: String
        public var mac: String
        public var ports: [PortMapping]
        public var proxy: ProxyLauncher.Pending?
        public var gateway: IPv4Address { subnet.gateway }
    }

    /// Wires the freshly cloned container `request.pid` to the bridge:
    /// lease (saved before anything uses it), bridge, veth pair, address and
    /// route inside, the port proxy, the endpoint, and every bridge
    /// container's /etc/hosts. All under the network lock. On failure the
    /// veth is deleted; the lease stays with the container until `rm`.
    public func attach(_ request: AttachRequest) throws -> Attachment {
        let desired = try subnet()
        return try store.update { state in
            // Leases of containers removed while boxlab was not looking.
            IPAM.reclaim(&state.leases, exists: containerExists)
            prune(&state)
            var subnetChanged = false
            if state.subnet != desired {
                let holders = state.leases.filter { $0.container != request.container }
                if let old = state.subnet, !holders.isEmpty {
                    throw NetError.subnetChanged(old: old.description, new: desired.description, holders: holders.count)
                }
                state.leases.removeAll()
                state.subnet = desired
                subnetChanged = true
            }
            let address = try IPAM.allocate(for: request.container, in: desired, leases: &state.leases)
            state.bridge = bridgeName
            try store.save(state)  // the lease is on disk before the address is used anywhere

            let host = try NetlinkSocket()
            let bridge = try ensureBridge(host, subnet: desired, removeOtherAddresses: subnetChanged)
            let veth = Self.vethName(for: request.container)
            if try host.link(named: veth) != nil { try host.deleteLink(named: veth) }  // left by a crash
            try host.createVethPair(hostName: veth, master: bridge.index, peerName: Self.containerInterface, peerPid: request.pid,
                                    peerMAC: Self.mac(for: address))
            var attachment: Attachment
            do {
                let inside = try NetNamespace.routeSocket(inNamespaceOf: request.pid)
                guard let eth0 = try inside.link(named: Self.containerInterface) else {
                    throw NetError.netlink(request: "RTM_GETLINK", target: Self.containerInterface, errno: ENODEV,
                                           kernelMessage: "the veth peer did not appear in the container")
                }
                try inside.setLink(index: eth0.index, name: eth0.name, up: true)
                try inside.addAddress(address, prefixLength: desired.prefixLength, broadcast: desired.broadcast,
                                      index: eth0.index, device: eth0.name)
                try inside.addDefaultRoute(via: desired.gateway, index: eth0.index, device: eth0.name)
                attachment = Attachment(bridge: bridgeName, subnet: desired, address: address, veth: veth,
                                        interface: eth0.name, mac: eth0.mac, ports: request.ports.map(\.mapping), proxy: nil)
                if !request.ports.isEmpty {
                    attachment.proxy = try ProxyLauncher.launch(
                        binary: request.proxyBinary, containerPid: request.pid, containerStartTime: request.pidStartTime,
                        target: address, ports: request.ports)
                }
            } catch {
                _ = try? host.deleteLink(named: veth)
                throw error
            }
            state.endpoints.removeAll { $0.container == request.container }
            state.endpoints.append(Endpoint(
                container: request.container, name: request.name, hostname: request.hostname, address: address,
                veth: veth, hostsFile: request.hostsFile, pid: request.pid, pidStartTime: request.pidStartTime,
                ports: attachment.ports))
            rewriteHostsFiles(state.endpoints)
            return attachment
        }
    }

    /// Records the proxy's pid once it reported it (after the container
    /// runs: the proxy starts meanwhile). Without a pid the proxy still
    /// ends with the container; it just cannot be stopped earlier.
    public func recordProxy(_ pending: ProxyLauncher.Pending, container: String) {
        guard let (pid, start) = ProxyLauncher.finish(pending) else { return }
        _ = try? store.update { state in
            guard let index = state.endpoints.firstIndex(where: { $0.container == container }) else { return }
            state.endpoints[index].proxyPid = pid
            state.endpoints[index].proxyStartTime = start
        }
    }

    /// The bridge, made (and checked against the host's routes) if missing,
    /// up, with the gateway address.
    func ensureBridge(_ host: NetlinkSocket, subnet: IPv4Subnet, removeOtherAddresses: Bool) throws(NetError) -> LinkInfo {
        var bridge = try host.link(named: bridgeName)
        if bridge == nil {
            try checkOverlap(host, subnet: subnet)
            do { try host.createBridge(named: bridgeName) } catch {
                guard case let .netlink(_, _, code, _) = error, code == EEXIST else { throw error }
            }
            bridge = try host.link(named: bridgeName)
        }
        guard let bridge else {
            throw .netlink(request: "RTM_GETLINK", target: bridgeName, errno: ENODEV, kernelMessage: "the bridge vanished")
        }
        if !bridge.isUp { try host.setLink(index: bridge.index, name: bridge.name, up: true) }
        if removeOtherAddresses {
            for old in try host.addresses() where old.index == bridge.index
                && !(old.address == subnet.gateway && old.prefixLength == subnet.prefixLength) {
                try host.deleteAddress(old.address, prefixLength: old.prefixLength, index: bridge.index, device: bridge.name)
            }
        }
        try host.addAddress(subnet.gateway, prefixLength: subnet.prefixLength, broadcast: subnet.broadcast,
                            index: bridge.index, device: bridge.name)
        return bridge
    }

    /// Refuses a subnet that would shadow one of the host's routes (the
    /// default route excepted): adding it would send some of the machine's
    /// traffic into the bridge.
    func checkOverlap(_ host: NetlinkSocket, subnet: IPv4Subnet) throws(NetError) {
        let routes = try host.routes()
        guard let clash = routes.first(where: { !$0.isDefault && $0.subnet.overlaps(subnet) }) else { return }
        let device = clash.outputIndex.flatMap { index in (try? host.links())?.first { $0.index == index }?.name } ?? "?"
        throw .subnetOverlap(subnet: subnet.description, route: clash.subnet.description, device: device)
    }

    // MARK: - Detach and release

    /// Undoes `attach` for a container whose PID 1 ended (or is being
    /// killed): endpoint out, proxy stopped (its ports are free when this
    /// returns), the host end of the veth deleted (the kernel deletes it when
    /// the namespace dies anyway, but asynchronously), every other bridge
    /// container's /etc/hosts rewritten — and the bridge itself removed once
    /// no container uses it, so a machine is left as boxlab found it. The
    /// lease stays. Safe to call more than once, and for a container that
    /// was never attached.
    public func detach(_ container: String) {
        guard store.exists else { return }
        _ = try? store.update { state in
            let endpoint = state.endpoints.first { $0.container == container }
            state.endpoints.removeAll { $0.container == container }
            if let endpoint { ProxyLauncher.stop(pid: endpoint.proxyPid, startTime: endpoint.proxyStartTime) }
            let host = try? NetlinkSocket()
            _ = try? host?.deleteLink(named: Self.vethName(for: container))
            prune(&state, host: host)
            if endpoint != nil { rewriteHostsFiles(state.endpoints) }
            if state.endpoints.isEmpty, let host { removeBridgeIfUnused(host) }
        }
    }

    /// Deletes the bridge when no device is its port any more.
    func removeBridgeIfUnused(_ host: NetlinkSocket) {
        guard let bridge = try? host.link(named: bridgeName), bridge.kind == "bridge",
              let links = try? host.links(), !links.contains(where: { $0.master == bridge.index }) else { return }
        _ = try? host.deleteLink(named: bridgeName)
    }

    /// `rm`: detach, then give the address back.
    public func release(_ container: String) {
        guard store.exists else { return }
        detach(container)
        _ = try? store.update { state in
            IPAM.release(container, leases: &state.leases)
            IPAM.reclaim(&state.leases, exists: containerExists)
        }
    }

    /// Drops endpoints whose container process is gone (a crash skipped
    /// their detach): their proxies end on their own (they watch PID 1) and
    /// their veths die with their namespaces, but both are stopped/deleted
    /// here too, at once.
    func prune(_ state: inout NetState, host: NetlinkSocket? = nil) {
        let dead = state.endpoints.filter { !$0.isAlive }
        guard !dead.isEmpty else { return }
        state.endpoints.removeAll { !$0.isAlive }
        let host = host ?? (try? NetlinkSocket())
        for endpoint in dead {
            ProxyLauncher.stop(pid: endpoint.proxyPid, startTime: endpoint.proxyStartTime)
            _ = try? host?.deleteLink(named: endpoint.veth)
        }
        rewriteHostsFiles(state.endpoints)
    }

    func rewriteHostsFiles(_ endpoints: [Endpoint]) {
        let text = HostsFile.render(bridge: bridgeName, endpoints: endpoints)
        for endpoint in endpoints where !endpoint.hostsFile.isEmpty {
            _ = try? HostsFile.rewriteInPlace(endpoint.hostsFile, text)
        }
    }

    // MARK: - Queries

    public func endpoint(of container: String) -> Endpoint? {
        guard store.exists else { return nil }
        return store.load().endpoint(of: container)
    }

    public func lease(of container: String) -> Lease? {
        guard store.exists else { return nil }
        return store.load().lease(of: container)
    }

    /// Endpoints that hold host ports (for a clear "port is already allocated").
    public func endpoints() -> [Endpoint] {
        guard store.exists else { return [] }
        return store.load().endpoints.filter(\.isAlive)
    }
}
