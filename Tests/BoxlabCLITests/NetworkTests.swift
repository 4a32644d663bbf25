import Foundation
import Testing

/// A network namespace made by the test (`ip netns add`), with loopback up,
/// that boxlab runs in through `nsenter --net`: its bridge, veths, proxies
/// and every packet stay inside it. Nothing touches the machine's own
/// network; traffic goes only to addresses in namespaces the test made.
final class NetLab {
    let namespace: String
    var lab: Boxlab

    /// Requirements.ready(), plus `ip` and nsenter.
    static func ready(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard Requirements.ready(sourceLocation: sourceLocation) else { return false }
        let ip = HostProgram.ip.ready(sourceLocation: sourceLocation)
        return HostProgram.nsenter.ready(sourceLocation: sourceLocation) && ip
    }

    static var ipPath: String? { HostProgram.ip.path }
    static var nsenterPath: String { HostProgram.nsenter.path ?? "/usr/bin/nsenter" }

    init() throws {
        namespace = "boxlab-net-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        lab = try Boxlab()
        try Self.command([Self.ipPath!, "netns", "add", namespace])
        try Self.command([Self.ipPath!, "-n", namespace, "link", "set", "lo", "up"])
        // Docker's default network, as a student's lab sets it.
        lab.wrapper = ["/usr/bin/env", "BOXLAB_NETWORK=bridge", NetLab.nsenterPath, "--net=/run/netns/\(namespace)"]
    }

    /// Removes every container (inside the namespace), then the namespace
    /// (its bridge goes with it).
    func shutDown() {
        lab.cleanUp()
        _ = try? Self.command([Self.ipPath!, "netns", "delete", namespace])
    }

    /// Runs a program inside the namespace (a client on the "host side").
    @discardableResult
    func inside(_ arguments: [String]) throws -> (status: Int32, out: String) {
        try Self.command([Self.nsenterPath, "--net=/run/netns/\(namespace)"] + arguments)
    }

    /// Device names in the namespace (`ip -br link`, "veth…@if2" → "veth…").
    func links() -> [String] {
        let out = (try? Self.command([Self.ipPath!, "-n", namespace, "-br", "link"]).out) ?? ""
        return out.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.map { String($0.split(separator: "@")[0]) }
        }
    }

    /// GET through busybox wget from the namespace, retried while the server starts.
    func fetch(_ url: String) throws -> String {
        var last = ""
        for _ in 0..<40 {
            let result = try inside(["/bin/busybox", "wget", "-qO-", url])
            if result.status == 0 { return result.out }
            last = result.out
            usleep(50_000)
        }
        return last
    }

    func address(_ container: String) throws -> String {
        let settings = try lab.inspect(container)["NetworkSettings"] as? [String: Any]
        return settings?["IPAddress"] as? String ?? ""
    }

    func netState() -> [String: Any] {
        let data = FileManager.default.contents(atPath: lab.root + "/net/state.json") ?? Data()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @discardableResult
    static func command(_ arguments: [String]) throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

@Suite("container networking (each test in its own network namespace)", .serialized)
struct NetworkTests {
    @Test("two containers on the bridge ping each other by address and by name")
    func pingByAddressAndName() throws {
        guard NetLab.ready() else { return }
        let net = try NetLab()
        defer { net.shutDown() }
        try net.lab.ok(["run", "-d", "--name", "alpha", "busybox", "sleep", "300"])
        try net.lab.ok(["run", "-d", "--name", "beta", "busybox", "sleep", "300"])
        let alpha = try net.address("alpha"), beta = try net.address("beta")
        #expect(alpha.hasPrefix("172.31.24") && beta.hasPrefix("172.31.24") && alpha != beta, "\(alpha) \(beta)")
        #expect((try net.lab.inspect("alpha")["HostConfig"] as? [String: Any])?["NetworkMode"] as? String == "bridge")
        try net.lab.ok(["exec", "alpha", "ping", "-c1", "-W2", beta])
        try net.lab.ok(["exec", "alpha", "ping", "-c1", "-W2", "beta"])
        try net.lab.ok(["exec", "beta", "ping", "-c1", "-W2", "alpha"])
        let hosts = try net.lab.ok(["exec", "beta", "cat", "/etc/hosts"])
        #expect(hosts.contains("\(alpha)\talpha") && hosts.contains("\(beta)\tbeta"), "\(hosts)")
        // The host side reaches them directly too (a route via boxlab0).
        #expect(try net.inside(["/bin/busybox", "ping", "-c1", "-W2", alpha]).status == 0)

        // Names follow containers as they come and go (in-place rewrite: same inode).
        try net.lab.ok(["stop", "-t", "1", "beta"])
        let after = try net.lab.ok(["exec", "alpha", "cat", "/etc/hosts"])
        #expect(!after.contains("beta"), "\(after)")
        try net.lab.ok(["start", "beta"])
        #expect(try net.address("beta") == beta, "a restarted container keeps its address")
        try net.lab.ok(["exec", "alpha", "ping", "-c1", "-W2", "beta"])
    }

    @Test("three httpd containers on port 80 inside, published on three host ports, each serves its own page")
    func threeWebServers() throws {
        guard NetLab.ready() else { return }
        let net = try NetLab()
        defer { net.shutDown() }
        for index in 1...3 {
            try net.lab.ok(["run", "-d", "--name", "web\(index)", "-p", "1808\(index):80", "busybox", "sh", "-c",
                            "mkdir -p /www && echo page of web\(index) > /www/index.html && exec httpd -f -p 80 -h /www"])
        }
        for index in 1...3 {
            #expect(try net.fetch("http://127.0.0.1:1808\(index)/") == "page of web\(index)")
        }
        #expect(try net.lab.ok(["port", "web2"]) == "80/tcp -> 0.0.0.0:18082")
        #expect(try net.lab.ok(["port", "web3", "80"]) == "0.0.0.0:18083")

        // A taken host port is a clear error naming the container that holds it.
        let clash = try net.lab.run(["run", "-d", "--name", "clash", "-p", "18081:80", "busybox", "sleep", "5"])
        #expect(clash.status == 125)
        #expect(clash.stderr.contains("18081") && clash.stderr.contains("already allocated") && clash.stderr.contains("web1"),
                "\(clash.stderr)")
        // Ports need the bridge.
        let none = try net.lab.run(["run", "--rm", "--network", "none", "-p", "18089:80", "busybox", "true"])
        #expect(none.status == 125 && none.stderr.contains("--network none"), "\(none.stderr)")
    }

    @Test("rm frees the address and the port; nothing is left behind")
    func removeFreesAddressAndPort() throws {
        guard NetLab.ready() else { return }
        let net = try NetLab()
        defer { net.shutDown() }
        let id = try net.lab.ok(["run", "-d", "--name", "first", "-p", "18090:80", "busybox", "sleep", "300"])
        let address = try net.address("first")
        #expect(net.links().contains { $0.hasPrefix("veth") })
        try net.lab.ok(["rm", "-f", "first"])
        #expect(!net.links().contains { $0.hasPrefix("veth") }, "\(net.links())")
        let leases = net.netState()["Leases"] as? [[String: Any]] ?? []
        #expect(!leases.contains { $0["Container"] as? String == id }, "\(leases)")
        #expect(try NetLab.command(["/usr/bin/pgrep", "-f", "_proxy .*\(address):80"]).status != 0, "its proxy is gone")
        // Same port, same (lowest free) address, for a new container.
        try net.lab.ok(["run", "-d", "--name", "second", "-p", "18090:80", "busybox", "sleep", "300"])
        #expect(try net.address("second") == address)
        // --rm releases on exit.
        try net.lab.ok(["run", "--rm", "--name", "brief", "busybox", "true"])
        #expect((net.netState()["Leases"] as? [[String: Any]] ?? []).count == 1)
        // The bridge goes with the last container on it.
        #expect(net.links().contains("boxlab0"))
        try net.lab.ok(["rm", "-f", "second"])
        #expect(!net.links().contains("boxlab0"), "\(net.links())")
        #expect((net.netState()["Leases"] as? [Any] ?? []).isEmpty)
    }

    @Test("a boxlab SIGKILLed mid-run leaves no veth after the next command")
    func crashLeavesNoVeth() throws {
        guard NetLab.ready() else { return }
        let net = try NetLab()
        defer { net.shutDown() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: net.lab.wrapper[0])
        process.arguments = Array(net.lab.wrapper.dropFirst()) + [net.lab.binary, "--root", net.lab.root,
                                                                   "run", "--name", "crash", "-p", "18095:80", "busybox", "sleep", "100"]
        var env = ProcessInfo.processInfo.environment
        env["BOXLAB_NARRATE"] = "quiet"
        env["BOXLAB_DEBUG_HOLD_AT"] = "rootfs"  // stops for good after clone + network set-up
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var veth = false
        for _ in 0..<200 where !veth {
            veth = net.links().contains { $0.hasPrefix("veth") }
            if !veth { usleep(25_000) }
        }
        #expect(veth, "the veth pair was made before the crash")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let ps = try net.lab.ok(["ps", "-a"])
        #expect(ps.contains("crash") && ps.contains("Created"), "\(ps)")
        #expect(!net.links().contains { $0.hasPrefix("veth") }, "no veth after the next command: \(net.links())")
        #expect((net.netState()["Endpoints"] as? [Any] ?? []).isEmpty)
        // It starts again, with its address and its port.
        try net.lab.ok(["start", "crash"])
        #expect(try net.lab.ok(["port", "crash"]) == "80/tcp -> 0.0.0.0:18095")
    }

    @Test("--network none has only loopback; host shares boxlab's namespace; inspect net shows the wiring; the default")
    func modesAndEvidence() throws {
        guard NetLab.ready() else { return }
        let net = try NetLab()
        defer { net.shutDown() }
        let none = try net.lab.ok(["run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev"])
        #expect(none.contains("lo:") && !none.contains("eth0"), "\(none)")
        try net.lab.ok(["run", "-d", "--name", "web", "-p", "18096:80", "busybox", "sleep", "300"])
        let host = try net.lab.ok(["run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev"])
        #expect(host.contains("boxlab0") && host.contains("veth"), "host mode sees the namespace's devices: \(host)")
        let evidence = try net.lab.ok(["inspect", "net", "web"])
        for word in ["eth0", "default via 172.31.240.1 dev eth0", "boxlab0", "veth", "172.31.240.1/20", "0.0.0.0:18096"] {
            #expect(evidence.contains(word), "\(word) in \(evidence)")
        }
        let settings = try net.lab.inspect("web")["NetworkSettings"] as? [String: Any] ?? [:]
        #expect(settings["Gateway"] as? String == "172.31.240.1")
        #expect((settings["Ports"] as? [String: Any])?["80/tcp"] != nil, "\(settings)")

        // Without BOXLAB_NETWORK or --network: none, unless a port is published.
        var plain = net.lab
        plain.wrapper = ["/usr/bin/env", "-u", "BOXLAB_NETWORK", NetLab.nsenterPath, "--net=/run/netns/\(net.namespace)"]
        try plain.ok(["create", "--name", "quiet", "busybox", "true"])
        try plain.ok(["create", "--name", "published", "-p", "18097:80", "busybox", "true"])
        #expect((try plain.inspect("quiet")["HostConfig"] as? [String: Any])?["NetworkMode"] as? String == "none")
        #expect((try plain.inspect("published")["HostConfig"] as? [String: Any])?["NetworkMode"] as? String == "bridge")
    }
}
