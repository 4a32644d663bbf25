import Foundation
import Testing

/// Runs a host program (skopeo, podman, …) and captures its output.
func hostTool(_ program: HostProgram, _ arguments: [String], timeout: TimeInterval = 180) throws -> Boxlab.Result {
    guard let path = program.path else { throw HarnessError("\(program.name) is not installed (apt-get install \(program.package))") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        throw HarnessError("\(program.name) \(arguments.joined(separator: " ")) timed out after \(timeout)s")
    }
    process.waitUntilExit()
    group.wait()
    return Boxlab.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// save and load through the CLI, checked by the real peers: skopeo
/// validates boxlab's archives, podman runs them, and what podman saves
/// (OCI archive with gzip layers, docker-archive) runs under boxlab.
@Suite("archives: save, load, skopeo and podman interop", .serialized)
struct ArchiveCLITests {
    static let boxfile = """
        FROM busybox
        COPY greeting.txt /greeting.txt
        RUN cat /greeting.txt > /out && echo saved-and-loaded >> /out
        CMD ["cat", "/out"]
        """

    static let expected = "hello\nsaved-and-loaded"

    func build(_ lab: Boxlab, _ name: String) throws {
        let context = try ImageTests.Context(lab, ["Boxfile": Self.boxfile, "greeting.txt": "hello\n"])
        try lab.ok(["build", "-t", name, context.path])
    }

    @Test("a built image saved as an OCI archive passes skopeo inspect, and rmi + load + run gives it back")
    func saveLoadRoundTrip() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try build(lab, "demo:v1")
        let id = try lab.ok(["images", "-q", "--no-trunc", "demo:v1"])
        let archive = lab.root + "/demo.tar"
        try lab.ok(["save", "-o", archive, "demo:v1"])

        if HostProgram.skopeo.ready() {
            let inspect = try hostTool(.skopeo, ["inspect", "oci-archive:" + archive])
            #expect(inspect.status == 0, "skopeo inspect: \(inspect.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
            #expect((json?["Layers"] as? [String])?.count == 3, "busybox, COPY and RUN layers: \(inspect.stdout)")
            let config = try hostTool(.skopeo, ["inspect", "--config", "oci-archive:" + archive])
            #expect(config.stdout.contains("saved-and-loaded") || config.stdout.contains("\"cat\""), "\(config.stdout)")
        }

        try lab.ok(["rmi", "demo:v1"])
        #expect(try lab.run(["run", "--rm", "demo:v1"]).status != 0)
        let loaded = try lab.ok(["load", "-i", archive])
        #expect(loaded == "Loaded image: demo:v1")
        #expect(try lab.ok(["images", "-q", "--no-trunc", "demo:v1"]) == id, "the same image id after the round trip")
        #expect(try lab.ok(["run", "--rm", "demo:v1"]) == Self.expected)
        #expect(try lab.ok(["load", "-q", "-i", archive]).isEmpty)  // loading again: nothing new, still fine
    }

    @Test("a damaged archive is refused naming the entry, and the store is unchanged")
    func damagedArchiveIsRefused() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["tag", "busybox", "keep:1"])
        let archive = lab.root + "/bb.tar"
        try lab.ok(["save", "-o", archive, "busybox"])
        let before = try lab.ok(["images", "--no-trunc"])
        let index = try String(contentsOfFile: lab.root + "/oci/index.json", encoding: .utf8)
        // Cut the archive in the middle of the (large) layer blob.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: lab.root + "/cut.tar"))
        let cut = try lab.run(["load", "-i", lab.root + "/cut.tar"])
        #expect(cut.status == 125)
        #expect(cut.stderr.contains("invalid archive at entry \"blobs/sha256/"), "\(cut.stderr)")
        #expect(cut.stderr.contains("ends"), "\(cut.stderr)")
        #expect(try lab.ok(["images", "--no-trunc"]) == before)
        #expect(try String(contentsOfFile: lab.root + "/oci/index.json", encoding: .utf8) == index)

        let missing = try lab.run(["load", "-i", lab.root + "/nope.tar"])
        #expect(missing.status != 0 && missing.stderr.contains("nope.tar"), "\(missing.stderr)")
        let noOutput = try lab.run(["save", "busybox"])
        #expect(noOutput.status == 125 && noOutput.stderr.contains("-o"), "\(noOutput.stderr)")
        let unknown = try lab.run(["save", "-o", lab.root + "/x.tar", "no-such-image"])
        #expect(unknown.status != 0 && !FileManager.default.fileExists(atPath: lab.root + "/x.tar"))
    }

    @Test("podman loads and runs boxlab's archive; podman's OCI and docker archives load and run in boxlab")
    func podmanInterop() throws {
        guard Requirements.ready(), HostProgram.podman.ready(), HostProgram.runc.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let forwarding = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
        let name = "boxlab-archive-test-\(UUID().uuidString.prefix(8).lowercased())"
        let full = "docker.io/library/\(name):v1"
        defer {
            _ = try? hostTool(.podman, ["rmi", "-f", full])
            if let forwarding { try? forwarding.write(toFile: "/proc/sys/net/ipv4/ip_forward", atomically: false, encoding: .utf8) }
        }
        try build(lab, name + ":v1")
        let archive = lab.root + "/boxlab.tar"
        try lab.ok(["save", "-o", archive, name + ":v1"])

        let load = try hostTool(.podman, ["load", "-i", archive])
        #expect(load.status == 0 && load.stdout.contains(full), "podman load: \(load.stdout) \(load.stderr)")
        let run = try hostTool(.podman, ["run", "--rm", "--runtime", "runc", "--network", "none",
                                "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", full])
        #expect(run.status == 0, "podman run: \(run.stderr)")
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Self.expected)

        for format in ["oci-archive", "docker-archive"] {
            let saved = lab.root + "/podman-\(format).tar"
            let save = try hostTool(.podman, ["save", "--format", format, "-o", saved, full])
            #expect(save.status == 0, "podman save --format \(format): \(save.stderr)")
            var fresh = lab
            fresh.rootOverride = lab.root + "/from-\(format)"
            let loaded = try fresh.run(["load", "-i", saved])
            #expect(loaded.status == 0, "\(format): \(loaded.stderr)")
            #expect(loaded.out == "Loaded image: \(name):v1", "\(format): \(loaded.stdout)")
            #expect(try fresh.ok(["run", "--rm", name + ":v1"]) == Self.expected, "\(format)")
        }
    }
}
