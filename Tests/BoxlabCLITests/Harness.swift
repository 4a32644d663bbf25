import Foundation
import Testing

/// Runs the real boxlab binary against a private state root, the way a
/// student would, and cleans up every container it made.
struct Boxlab {
    let root: String
    let binary: String
    /// A command boxlab runs under, e.g. nsenter into a test's network namespace.
    var wrapper: [String] = []
    /// Another root to act on (a lesson's sandbox), for clean-up.
    var rootOverride: String?
    /// Variables set for every command, over the defaults (BOXLAB_NARRATE=quiet).
    var environment: [String: String] = [:]

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var out: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// A fresh temporary root; `Requirements.check()` must pass first.
    init() throws {
        _ = Requirements.noBridgeOnTheMachine
        binary = try Requirements.binary()
        let template = NSTemporaryDirectory() + "boxlab-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else { throw HarnessError("mkdtemp failed") }
        root = String(cString: bytes)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? binary)
        process.arguments = (wrapper.isEmpty ? [] : Array(wrapper.dropFirst()) + [binary]) + ["--root", rootOverride ?? root] + arguments
        var env = ProcessInfo.processInfo.environment
        env["BOXLAB_NARRATE"] = "quiet"
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(stdin.data(using: .utf8)!)
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        let deadline = Date().addingTimeInterval(timeout)
        // Read both pipes concurrently so a chatty command cannot block.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter(); DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        while process.isRunning && Date() < deadline { usleep(5000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw HarnessError("boxlab \(arguments.joined(separator: " ")) timed out after \(timeout)s")
        }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and requires exit 0, returning trimmed stdout.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(result.status == 0, "boxlab \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result.out
    }

    func inspect(_ container: String) throws -> [String: Any] {
        let text = try ok(["inspect", container])
        let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        return array?.first ?? [:]
    }

    func state(_ container: String) throws -> [String: Any] {
        try inspect(container)["State"] as? [String: Any] ?? [:]
    }

    /// Removes every container (rm -f) and the root, checking nothing is left.
    /// Removes every container (rm -f) of the root and of every lesson
    /// sandbox under it, then the root itself.
    func cleanUp() {
        let sandboxes = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/lessons/sandbox")) ?? [])
            .map { root + "/lessons/sandbox/" + $0 }
        for each in [root] + sandboxes {
            var lab = self
            lab.rootOverride = each
            if let ids = try? lab.run(["ps", "-aq", "--no-trunc"]).out, !ids.isEmpty {
                _ = try? lab.run(["rm", "-f"] + ids.split(separator: "\n").map(String.init))
            }
        }
        _ = try? FileManager.default.removeItem(atPath: root)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What container tests need. Under CI=true a missing requirement fails the
/// test with the reason; elsewhere the test is skipped with it.
enum Requirements {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["BOXLAB_BIN"], !path.isEmpty { return path }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/boxlab").path
    }

    /// Containers of the suite run in the machine's own network namespace:
    /// they get --network none (no boxlab0 bridge on the machine) unless a
    /// test says otherwise; the network tests run boxlab in namespaces of
    /// their own. Set once, before any test spawns anything.
    static let noBridgeOnTheMachine: Void = { setenv("BOXLAB_NETWORK", "none", 1) }()

    /// nil when everything is there, else the reason.
    static func missing() -> String? {
        _ = noBridgeOnTheMachine
        if geteuid() != 0 { return "container tests need root (namespaces, mounts, cgroups)" }
        if access("/bin/busybox", X_OK) != 0 { return "/bin/busybox missing: apt-get install busybox-static" }
        guard let binary = try? binary(), access(binary, X_OK) == 0 else {
            return "boxlab binary not built: run scripts/test (it builds boxlab and boxlab-shim)"
        }
        let shim = ProcessInfo.processInfo.environment["BOXLAB_SHIM"]
            ?? URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("boxlab-shim").path
        if access(shim, X_OK) != 0 { return "boxlab-shim not built at \(shim): run scripts/test" }
        return nil
    }

    /// True when the test may run; records a failure under CI otherwise.
    static func ready(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let reason = missing() else { return true }
        if isCI { Issue.record("cannot run container tests under CI: \(reason)", sourceLocation: sourceLocation) }
        return false
    }

    static var enabled: Bool { missing() == nil || isCI }
}

/// Reads a host file as text ("" when missing).
func hostFile(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The host's /proc/self/status field.
func hostStatus(_ pid: Int32, _ field: String) -> String {
    for line in hostFile("/proc/\(pid)/status").split(separator: "\n") where line.hasPrefix(field + ":") {
        return line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
    }
    return ""
}

extension Array {
    /// Index without trapping: a short output fails an expectation, not the run.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
