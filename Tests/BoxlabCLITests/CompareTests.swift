import Foundation
import Testing

/// `compare`: the container column is measured live, the simulated columns
/// are the same on every run; and the simulated machines persist.
@Suite("compare and the simulation", .serialized)
struct CompareTests {
    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// Canonical text of a JSON value (sorted keys), for equality.
    func canonical(_ value: Any?) throws -> String {
        guard let value else { return "null" }
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    func kernelRelease() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafePointer(to: &names.release) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }

    @Test("compare --json twice: simulated fields equal, container fields measured now")
    func twice() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let first = try json(try lab.ok(["compare", "--json", "--host-mem", "16g"]))
        let second = try json(try lab.ok(["compare", "--json", "--host-mem", "16g"]))
        #expect(try canonical(first["simulated"]) == canonical(second["simulated"]))
        #expect(try canonical(first["workload"]) == canonical(second["workload"]))
        let simulated = first["simulated"] as? [String: Any] ?? [:]
        #expect(simulated["simulated"] as? Bool == true)
        let kinds = (simulated["models"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds == ["process", "unikernel", "microvm", "vm"])

        for result in [first, second] {
            let container = result["container"] as? [String: Any] ?? [:]
            #expect(container["measured"] as? Bool == true)
            let start = container["start_ms_median"] as? Double ?? 0
            #expect(start > 0 && start < 5000, "start latency \(start) ms")
            let rss = container["rss_bytes_total"] as? Int ?? 0
            #expect(rss > 100_000 && rss < 64 << 20, "RSS \(rss) B of busybox httpd")
            #expect(container["kernel"] as? String == kernelRelease(), "uname -r inside is the host's")
            #expect((container["namespaces_differing"] as? [String])?.count == 6)
            #expect((container["image_bytes"] as? Int ?? 0) > 1 << 20)
            #expect(container["seccomp"] as? Int == 0)
            #expect(container["memory_limit_bytes"] is NSNull)
        }
        // Measured now: two runs do not report the very same latency.
        let starts = [first, second].map { ($0["container"] as? [String: Any])?["start_ms"] as? [Double] ?? [] }
        #expect(starts[0] != starts[1])
        // Nothing is left behind.
        #expect(try lab.ok(["ps", "-aq"]).isEmpty)
    }

    @Test("live: a memory limit is read back from the cgroup, another workload changes what is measured")
    func live() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let limited = try json(try lab.ok(["compare", "--json", "-m", "64m", "--instances", "2"]))
        let container = limited["container"] as? [String: Any] ?? [:]
        #expect(container["memory_limit_bytes"] as? Int == 64 << 20)
        #expect((container["start_ms"] as? [Double])?.count == 2)
        let perInstance = (container["rss_bytes"] as? [Any] ?? []).compactMap { $0 as? Int }
        #expect(perInstance.count == 2 && perInstance.allSatisfy { $0 > 0 })
        #expect(container["rss_bytes_total"] as? Int == perInstance.reduce(0, +))

        let hello = try json(try lab.ok(["compare", "--json", "--workload", "hello"]))
        let measured = hello["container"] as? [String: Any] ?? [:]
        #expect((measured["rss_bytes"] as? [Any])?.first is NSNull, "hello ends before it can be sampled")
        #expect(measured["kernel"] as? String == kernelRelease(), "hello's greeting names the host's kernel")
        let simulated = (hello["simulated"] as? [String: Any])?["models"] as? [[String: Any]] ?? []
        #expect(simulated.count == 4)
        #expect(try lab.ok(["ps", "-aq"]).isEmpty)
    }

    @Test("the table fits 80 columns in English and Korean and says what is simulated")
    func table() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        for (language, simulated, measured) in [("en", "simulated", "MEASURED"), ("ko", "시뮬레이션", "실측")] {
            let result = try run(lab, ["compare", "--instances", "2"], language: language)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(simulated) && result.stdout.contains(measured))
            for line in result.stdout.split(separator: "\n") {
                #expect(displayWidth(String(line)) <= 80, "\(language): \(line)")
            }
        }
        #expect(try lab.ok(["ps", "-aq"]).isEmpty)
    }

    @Test("vm run, then vm ps in a later command; vm exec refuses a unikernel with the reason")
    func machines() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        #expect(try lab.ok(["vm", "run", "--kind", "microvm", "busybox"]) == "microvm-1")
        #expect(try lab.ok(["unikernel", "run", "--name", "uk", "web"]) == "uk")
        let listed = try lab.ok(["vm", "ps", "--json"])
        let machines = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]] ?? []
        #expect(machines.compactMap { $0["Name"] as? String } == ["microvm-1", "uk"])
        #expect(machines.allSatisfy { $0["Simulated"] as? Bool == true })
        #expect(FileManager.default.fileExists(atPath: lab.root + "/sim/machines/uk.json"))

        let refused = try lab.run(["vm", "exec", "uk", "sh"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("one program in one address space"))
        #expect(try lab.ok(["vm", "exec", "microvm-1", "uname", "-r"]) != kernelRelease())

        #expect(try lab.ok(["vm", "stop", "microvm-1"]) == "microvm-1")
        #expect(try lab.ok(["vm", "ps"]).contains("uk"))
        #expect(try !lab.ok(["vm", "ps"]).contains("microvm-1"))
        #expect(try lab.ok(["vm", "ps", "-a"]).contains("microvm-1"))
        #expect(try lab.run(["vm", "rm", "uk"]).status == 125, "running: needs -f")
        try lab.ok(["vm", "rm", "-f", "uk", "microvm-1"])
        #expect(try lab.ok(["vm", "ps", "-a", "--json"]) == "[]")
    }

    @Test("sim exercises answer as the seeds teach")
    func exercises() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let host = try json(try lab.ok(["sim", "crash", "host", "--json"]))
        #expect(host["survivors"] as? Int == 0)
        let guest = try json(try lab.ok(["sim", "crash", "guest-kernel", "--json"]))
        #expect(guest["survivors"] as? Int == (guest["total"] as? Int ?? 0) - 1)
        let container = try json(try lab.ok(["sim", "crash", "guest-kernel", "--in", "container", "--json"]))
        #expect(container["refused"] as? String == "no-own-kernel")
        let kernel = try json(try lab.ok(["sim", "kernel", "--guest", "windows", "--json"]))
        let answers = kernel["answers"] as? [[String: Any]] ?? []
        #expect(answers.first { $0["kind"] as? String == "vm" }?["boots"] as? Bool == true)
        #expect(answers.first { $0["kind"] as? String == "container" }?["refusal"] as? String == "shares-host-kernel")
        let density = try json(try lab.ok(["sim", "density", "--host-mem", "16g", "--json"]))
        let fits = (density["kinds"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
            $0[$1["kind"] as? String ?? ""] = $1["fits_reserved"] as? Int
        }
        #expect(fits["container"] == 9637 && fits["vm"] == 15)
        let text = try lab.ok(["sim", "attack-surface"])
        #expect(text.contains("[simulated]"))
    }

    // MARK: - Helpers

    /// Runs boxlab with BOXLAB_LANG set (the shared harness keeps the test's environment).
    func run(_ lab: Boxlab, _ arguments: [String], language: String) throws -> Boxlab.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lab.binary)
        process.arguments = ["--root", lab.root] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BOXLAB_LANG"] = language
        environment["BOXLAB_NARRATE"] = "quiet"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Boxlab.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Terminal columns: Hangul and other wide characters take two.
    func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFF00...0xFF60).contains(value)
            return width + (wide ? 2 : 1)
        }
    }
}
