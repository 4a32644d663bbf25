import Foundation
import Testing

/// Debian's docker-registry on a loopback port with storage in a temp dir,
/// started by the test and stopped by its pid.
final class LocalRegistry {
    let process = Process()
    let directory: String
    let port: Int

    init(under root: String) throws {
        directory = root + "/registry"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        port = try Self.freePort()
        let config = """
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: \(directory)/data
            http:
              addr: 127.0.0.1:\(port)
            """
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: HostProgram.dockerRegistry.path ?? "/usr/bin/docker-registry")
        process.arguments = ["serve", directory + "/config.yml"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        FileManager.default.createFile(atPath: directory + "/registry.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/registry.log")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !Self.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw HarnessError("docker-registry did not start on 127.0.0.1:\(port): \(hostFile(directory + "/registry.log"))")
            }
            usleep(50_000)
        }
    }

    var host: String { "localhost:\(port)" }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A port the kernel has just handed out (bound to port 0, then closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw HarnessError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// push and pull against a real registry (Debian's docker-registry, the
/// CNCF distribution server) on a loopback port.
@Suite("registry: push and pull against docker-registry", .serialized)
struct RegistryTests {
    @Test("push then pull into a fresh store round-trips the image digest-exact; a second push skips every blob")
    func pushPullRoundTrip() throws {
        guard Requirements.ready(), HostProgram.dockerRegistry.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let registry = try LocalRegistry(under: lab.root)
        defer { registry.stop() }
        let context = try ImageTests.Context(lab, ["Boxfile": ArchiveCLITests.boxfile, "greeting.txt": "hello\n"])
        let name = "\(registry.host)/lab/demo:v1"
        try lab.ok(["build", "-t", name, context.path])
        let id = try lab.ok(["images", "-q", "--no-trunc", name])

        let push = try lab.ok(["push", name]).components(separatedBy: "\n")
        #expect(push.first == "The push refers to repository [\(registry.host)/lab/demo]")
        #expect(push.filter { $0.hasSuffix(": Pushed") }.count == 4, "config + 3 layers: \(push)")
        guard let digestLine = push.last, let range = digestLine.range(of: "digest: sha256:") else {
            Issue.record("no digest line: \(push)")
            return
        }
        let digest = String(digestLine[range.lowerBound...].dropFirst("digest: ".count).prefix(71))
        #expect(digestLine.hasPrefix("v1: digest: sha256:"))

        let again = try lab.ok(["push", name]).components(separatedBy: "\n")
        #expect(again.filter { $0.hasSuffix(": Layer already exists") }.count == 4, "\(again)")
        #expect(again.last == digestLine)

        var fresh = lab
        fresh.rootOverride = lab.root + "/puller"
        let pull = try fresh.ok(["pull", name]).components(separatedBy: "\n")
        #expect(pull.contains("Digest: \(digest)"), "\(pull)")
        #expect(pull.last == name)
        #expect(try fresh.ok(["images", "-q", "--no-trunc", name]) == id, "the same image id")
        #expect(try fresh.ok(["run", "--rm", name]) == ArchiveCLITests.expected)
        // By digest too, and what was pulled pushes back as the same manifest.
        #expect(try fresh.ok(["pull", "-q", "\(registry.host)/lab/demo@\(digest)"]) == "\(registry.host)/lab/demo@\(digest)")
        let back = try fresh.ok(["push", name]).components(separatedBy: "\n")
        #expect(back.last == digestLine)

        if HostProgram.skopeo.ready() {
            let inspect = try hostTool(.skopeo, ["inspect", "--tls-verify=false", "docker://127.0.0.1:\(registry.port)/lab/demo:v1"])
            #expect(inspect.status == 0, "\(inspect.stderr)")
            #expect(inspect.stdout.contains("\"Digest\": \"\(digest)\""), "skopeo sees the digest boxlab pushed: \(inspect.stdout)")
        }
    }

    @Test("skopeo pushes an archive that boxlab pulls and runs")
    func pullWhatSkopeoPushed() throws {
        guard Requirements.ready(), HostProgram.dockerRegistry.ready(),
              HostProgram.skopeo.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let registry = try LocalRegistry(under: lab.root)
        defer { registry.stop() }
        try lab.ok(["save", "-o", lab.root + "/bb.tar", "busybox"])
        let copy = try hostTool(.skopeo, ["copy", "--dest-tls-verify=false", "oci-archive:" + lab.root + "/bb.tar",
                                 "docker://127.0.0.1:\(registry.port)/skopeo/bb:1"])
        #expect(copy.status == 0, "\(copy.stderr)")
        var fresh = lab
        fresh.rootOverride = lab.root + "/puller"
        try fresh.ok(["pull", "-q", "\(registry.host)/skopeo/bb:1"])
        #expect(try fresh.ok(["run", "--rm", "\(registry.host)/skopeo/bb:1", "echo", "from-skopeo"]) == "from-skopeo")
    }

    @Test("errors name the problem: a registry not at localhost, nobody listening, an unknown tag")
    func errors() throws {
        guard Requirements.ready(), HostProgram.dockerRegistry.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["tag", "busybox", "example.com/team/bb:1"])
        let remote = try lab.run(["push", "example.com/team/bb:1"])
        #expect(remote.status == 1 && remote.stderr.contains("not on this machine"), "\(remote.stderr)")
        let port = try LocalRegistry.freePort()
        let nobody = try lab.run(["pull", "localhost:\(port)/x:1"])
        #expect(nobody.status == 1 && nobody.stderr.contains("cannot reach the registry"), "\(nobody.stderr)")
        let registry = try LocalRegistry(under: lab.root)
        defer { registry.stop() }
        let unknown = try lab.run(["pull", "\(registry.host)/nothing/here:1"])
        #expect(unknown.status == 1 && unknown.stderr.contains("404"), "\(unknown.stderr)")
        #expect(try lab.ok(["images", "-q"]).components(separatedBy: "\n").count == 1, "only busybox")
    }

    @Test("on a terminal, push shows per-layer progress redrawn in place")
    func progressOnATerminal() throws {
        guard Requirements.ready(), HostProgram.dockerRegistry.ready(),
              HostProgram.script.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let registry = try LocalRegistry(under: lab.root)
        defer { registry.stop() }
        try lab.ok(["tag", "busybox", "\(registry.host)/tty/bb:1"])
        let command = "\(lab.binary) --root \(lab.root) push \(registry.host)/tty/bb:1"
        let result = try hostTool(.script, ["-qec", command, "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains(": Pushing  "), "progress lines: \(result.stdout)")
        #expect(result.stdout.contains("\r\u{1b}[K"), "redrawn in place")
        #expect(result.stdout.contains("MB/2."), "sizes shown: \(result.stdout)")
    }
}
