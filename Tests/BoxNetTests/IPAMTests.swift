#if canImport(Glibc)
import Glibc
#endif
import BoxNet
import BoxOS
import Testing

@Suite("IPAM: addresses for containers")
struct IPAMTests {
    let subnet = IPv4Subnet.defaultSubnet

    @Test("the default subnet and its landmarks")
    func landmarks() throws {
        #expect(subnet.description == "172.31.240.0/20")
        #expect(subnet.gateway.description == "172.31.240.1")
        #expect(subnet.firstHost.description == "172.31.240.2")
        #expect(subnet.lastHost.description == "172.31.255.254")
        #expect(subnet.broadcast.description == "172.31.255.255")
        #expect(subnet.contains(IPv4Address("172.31.250.9")!))
        #expect(!subnet.contains(IPv4Address("172.31.239.255")!))
    }

    @Test("subnets parse strictly", arguments: [
        ("10.0.0.0/8", true), ("192.168.7.0/24", true), ("172.31.240.0/20", true),
        ("172.31.240.1/20", false), ("10.0.0.0/31", false), ("10.0.0.0", false), ("300.1.1.0/24", false),
        ("10.0.0.0/x", false), ("10.0.0/24", false),
    ])
    func parse(text: String, valid: Bool) {
        #expect(((try? IPv4Subnet.parse(text)) != nil) == valid, "\(text)")
    }

    @Test("overlap is symmetric and ignores nothing")
    func overlap() throws {
        let a = try IPv4Subnet.parse("172.31.0.0/16"), b = try IPv4Subnet.parse("172.31.240.0/20")
        let c = try IPv4Subnet.parse("172.30.0.0/16")
        #expect(a.overlaps(b) && b.overlaps(a))
        #expect(!c.overlaps(b) && !b.overlaps(c))
    }

    @Test("allocation starts after the gateway and takes the lowest free address")
    func allocation() throws {
        var leases: [Lease] = []
        let a = try IPAM.allocate(for: "a", in: subnet, leases: &leases)
        let b = try IPAM.allocate(for: "b", in: subnet, leases: &leases)
        let c = try IPAM.allocate(for: "c", in: subnet, leases: &leases)
        #expect([a, b, c].map(\.description) == ["172.31.240.2", "172.31.240.3", "172.31.240.4"])
        #expect(try IPAM.allocate(for: "b", in: subnet, leases: &leases) == b, "a container keeps its lease")
        #expect(leases.count == 3)
        #expect(IPAM.release("b", leases: &leases) == b)
        #expect(try IPAM.allocate(for: "d", in: subnet, leases: &leases) == b, "a released address is reused, lowest first")
        #expect(try IPAM.allocate(for: "e", in: subnet, leases: &leases).description == "172.31.240.5")
    }

    @Test("no address is handed out twice while leased")
    func neverTwice() throws {
        var leases: [Lease] = []
        let small = try IPv4Subnet.parse("10.9.0.0/28")  // 13 container addresses
        var seen: Set<IPv4Address> = []
        for index in 0..<13 { #expect(seen.insert(try IPAM.allocate(for: "c\(index)", in: small, leases: &leases)).inserted) }
        #expect(throws: NetError.addressesExhausted(subnet: "10.9.0.0/28")) {
            try IPAM.allocate(for: "one-too-many", in: small, leases: &leases)
        }
        #expect(Set(leases.map(\.address)).count == leases.count)
        #expect(!seen.contains(small.gateway) && !seen.contains(small.broadcast) && !seen.contains(small.network))
    }

    @Test("reclaim drops only leases whose container is gone")
    func reclaim() throws {
        var leases: [Lease] = []
        for name in ["kept", "gone", "stopped"] { _ = try IPAM.allocate(for: name, in: subnet, leases: &leases) }
        let dropped = IPAM.reclaim(&leases) { $0 != "gone" }
        #expect(dropped.map(\.container) == ["gone"])
        #expect(leases.map(\.container) == ["kept", "stopped"])
    }

    @Test("leases persist in ROOT/net/state.json under the lock")
    func persistence() throws {
        let root = try temporaryDirectory()
        defer { try? FS.removeTree(root) }
        let store = NetStore(root: root)
        let first = try store.update { state in
            state.subnet = subnet
            return try IPAM.allocate(for: "one", in: subnet, leases: &state.leases)
        }
        // A new store (a new boxlab process) reads it back and continues.
        let again = NetStore(root: root)
        #expect(again.load().lease(of: "one")?.address == first)
        let second = try again.update { state in try IPAM.allocate(for: "two", in: subnet, leases: &state.leases) }
        #expect(second != first)
        #expect(NetStore(root: root).load().leases.count == 2)
        #expect(NetStore(root: root).load().subnet == subnet)
        _ = try again.update { state in IPAM.release("one", leases: &state.leases) }
        #expect(NetStore(root: root).load().leases.map(\.container) == ["two"])
        #expect(try FS.status(store.statePath).permissions == 0o600)
    }

    @Test("endpoints round-trip through JSON")
    func endpointJSON() throws {
        var state = NetState()
        state.subnet = subnet
        state.bridge = "boxlab0"
        state.endpoints = [Endpoint(container: "abc", name: "web", hostname: "h", address: subnet.firstHost, veth: "vethabc",
                                    hostsFile: "/x/hosts", pid: 42, pidStartTime: 7,
                                    ports: [PortMapping(hostPort: 8080, containerPort: 80)], proxyPid: 43, proxyStartTime: 8)]
        #expect(NetState(json: state.json) == state)
    }

    func temporaryDirectory() throws -> String {
        var template = Array("/tmp/boxnet-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SysError.current("test", "mkdtemp") }
        return String(cString: made)
    }
}

@Suite("publish specs, network modes, /etc/hosts")
struct PortAndHostsTests {
    @Test("-p specs", arguments: [
        ("8080:80", "0.0.0.0", 8080, 80), ("8080:80/tcp", "0.0.0.0", 8080, 80), ("80", "0.0.0.0", 0, 80),
        ("127.0.0.1:9000:90", "127.0.0.1", 9000, 90), ("127.0.0.1::90", "127.0.0.1", 0, 90),
    ])
    func publish(spec: String, ip: String, host: Int, container: Int) throws {
        let mapping = try PortMapping.parse(spec)
        #expect(mapping.hostIP.description == ip && Int(mapping.hostPort) == host && Int(mapping.containerPort) == container)
    }

    @Test("bad -p specs are refused with the reason", arguments: ["8080:80/udp", "0:80", "x:80", "8080:", "1:2:3:4", "70000:80", "1.2.3:80:80"])
    func badPublish(spec: String) {
        #expect(throws: NetError.self) { try PortMapping.parse(spec) }
    }

    @Test("docker's output formats")
    func formats() throws {
        let mapping = try PortMapping.parse("8080:80")
        #expect(mapping.portLine == "80/tcp -> 0.0.0.0:8080")
        #expect(mapping.psCell == "0.0.0.0:8080->80/tcp")
        #expect(try PortMapping.parse(mapping.description) == mapping)
        #expect(try NetworkMode.parse("host") == .host)
        #expect(throws: NetError.invalidNetworkMode("bridged")) { try NetworkMode.parse("bridged") }
    }

    @Test("hosts file: every running container by address; rewritten in place (same inode)")
    func hostsFile() throws {
        let path = "/tmp/boxnet-hosts-\(getpid())"
        defer { unlink(path) }
        try FS.writeAtomically(path, "127.0.0.1\tlocalhost\n127.0.1.1\ta-very-long-hostname-that-will-go-away\n")
        let inode = try FS.status(path).inode
        let endpoints = [
            Endpoint(container: "2", name: "db", hostname: "db", address: IPv4Address("172.31.240.3")!, veth: "", hostsFile: path,
                     pid: 0, pidStartTime: 0, ports: []),
            Endpoint(container: "1", name: "web", hostname: "1a2b3c", address: IPv4Address("172.31.240.2")!, veth: "",
                     hostsFile: path, pid: 0, pidStartTime: 0, ports: []),
        ]
        let text = HostsFile.render(bridge: "boxlab0", endpoints: endpoints)
        #expect(text.hasSuffix("172.31.240.2\tweb 1a2b3c\n172.31.240.3\tdb\n"))
        #expect(try HostsFile.rewriteInPlace(path, text))
        #expect(try FS.status(path).inode == inode, "a bind mount follows the inode: it must not change")
        #expect(try FS.readText(path) == text, "shorter content is truncated to its length")
        #expect(try HostsFile.rewriteInPlace(path + ".missing", text) == false)
    }

    @Test("network errors read like docker's")
    func errors() {
        let taken = NetError.portAllocated(hostIP: "0.0.0.0", hostPort: 8080, container: "web", id: String(repeating: "a", count: 64))
        #expect(taken.description == "Bind for 0.0.0.0:8080 failed: port is already allocated by container \"web\" (aaaaaaaaaaaa)")
        #expect(NetError.netlink(request: "RTM_NEWLINK", target: "x", errno: 17, kernelMessage: "").description
            .contains("File exists (EEXIST)"))
    }
}
