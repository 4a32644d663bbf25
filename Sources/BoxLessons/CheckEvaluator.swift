#if canImport(Glibc)
import Glibc
#endif
import BoxImages
import BoxOS
import BoxRuntime
import BoxSim

/// What a check saw: passed or not, and why (shown by `check`).
public struct CheckResult: Sendable {
    public var passed: Bool
    public var detail: String
}

/// Evaluates checks against the live state of one boxlab root (a lesson's
/// sandbox): the runtime's refreshed containers, the image store, files
/// through a container's root, and the last command's output and status.
public struct CheckEvaluator {
    public let runtime: Runtime
    public let lastOutput: String
    public let lastStatus: Int32

    public init(runtime: Runtime, lastOutput: String, lastStatus: Int32) {
        self.runtime = runtime
        self.lastOutput = lastOutput
        self.lastStatus = lastStatus
    }

    public func evaluate(_ check: Check) -> CheckResult {
        switch check.kind {
        case let .container(name, state, exitCode, oomKilled, memory, pidsLimit, _):
            return container(name, state: state, exitCode: exitCode, oomKilled: oomKilled, memory: memory, pidsLimit: pidsLimit)
        case let .containersOf(image, atLeast, running):
            let id = try? runtime.images.resolve(image).id
            let matching = runtime.allContainers().filter {
                ($0.config.imageReference == image || $0.config.imageID == id)
                    && (!running || $0.state.status == .running)
            }
            return result(matching.count >= atLeast, "\(Template.count(matching.count, "container", "containers")) of \(image)\(running ? " running" : ""), need \(atLeast)")
        case let .image(reference, exists, layers, hasFile, historyContains):
            return image(reference, exists: exists, layers: layers, hasFile: hasFile, historyContains: historyContains)
        case let .file(container, volume, path, contains):
            return file(container: container, volume: volume, path: path, contains: contains)
        case let .output(pattern):
            guard let regex = try? Regex(pattern) else { return result(false, "bad pattern \(pattern)") }
            let found = lastOutput.split(separator: "\n", omittingEmptySubsequences: false)
                .contains { (try? regex.firstMatch(in: String($0))) != nil } || (try? regex.firstMatch(in: lastOutput)) != nil
            return result(found, found ? "the last output matches /\(pattern)/" : "the last output does not match /\(pattern)/")
        case let .exitStatus(expected):
            return result(lastStatus == Int32(expected), "the last command exited \(lastStatus), expected \(expected)")
        case let .namespace(name, kind, differs):
            guard let container = try? runtime.container(name), container.state.status == .running else {
                return result(false, "\(name) is not running")
            }
            let isDifferent = runtime.evidence(container).namespace(kind)?.isolated ?? false
            return result(isDifferent == differs, "\(kind) namespace of \(name) \(isDifferent ? "differs from" : "is") the host's")
        case let .port(port):
            let open = Self.connects(port: port)
            return result(open, "127.0.0.1:\(port) \(open ? "answers" : "does not answer")")
        case let .simAnswer(question, kind, hostMem, guest, event):
            guard let expected = Self.simulationAnswer(question, kind: kind, hostMem: hostMem, guest: guest, event: event) else {
                return result(false, "the simulation cannot answer this question")
            }
            let given = lastOutput.trimmingCharacters(in: " \t\n").lowercased()
            let normalized = ["예": "yes", "네": "yes", "아니오": "no", "아니요": "no"][given] ?? given
            return result(normalized == expected, normalized == expected
                ? "\(question): \(expected) is right" : "answer with `answer VALUE` (the simulation's answer to \(question))")
        }
    }

    /// What the simulation says: density → instances of `kind` that fit in
    /// `hostMem` (guest RAM reserved, `sim density`'s web workload);
    /// kernel → "yes"/"no", can `kind` run `guest`; crash → instances still
    /// up after `event` (host, guest-kernel, app) in `sim crash`'s fleet.
    static func simulationAnswer(_ question: String, kind: String?, hostMem: String?, guest: String?, event: String?) -> String? {
        let machine = kind.flatMap(MachineKind.init(rawValue:))
        switch question {
        case "density":
            guard let machine, let bytes = try? Size.parse(hostMem ?? ""),
                  let rows = try? DensityExercise.run(hostBytes: bytes, workload: .web) else { return nil }
            return rows.first { $0.kind == machine }.map { String($0.fitsReserved) }
        case "kernel":
            guard let machine, let os = guest.flatMap(GuestOS.init(rawValue:)) else { return nil }
            return KernelExercise.run(guests: [os]).first { $0.kind == machine }.map { $0.refusal == nil ? "yes" : "no" }
        case "crash":
            let crash: CrashEvent?
            switch event {
            case "host": crash = .host
            case "guest-kernel": crash = machine.map(CrashEvent.guestKernel)
            case "app": crash = machine.map(CrashEvent.app)
            default: crash = nil
            }
            guard let crash, let outcomes = try? CrashExercise.run(crash) else { return nil }
            return String(outcomes.filter { $0.state == .up }.count)
        default:
            return nil
        }
    }

    func container(_ name: String, state: String?, exitCode: Int?, oomKilled: Bool?, memory: String?, pidsLimit: Int?) -> CheckResult {
        guard let container = try? runtime.container(name) else {
            return result(state == "absent", state == "absent" ? "no container \(name)" : "there is no container named \(name)")
        }
        if state == "absent" { return result(false, "container \(name) still exists") }
        if let state, container.state.status.rawValue != state {
            return result(false, "\(name) is \(container.state.status.rawValue), not \(state)")
        }
        if let exitCode, container.state.status == .exited, container.state.exitCode != Int32(exitCode) {
            return result(false, "\(name) exited with \(container.state.exitCode), not \(exitCode)")
        }
        if let exitCode, container.state.status != .exited { return result(false, "\(name) has not exited yet (expected code \(exitCode))") }
        if let oomKilled, container.state.oomKilled != oomKilled {
            return result(false, "\(name) was \(container.state.oomKilled ? "" : "not ")OOM-killed")
        }
        if let memory, !container.config.memoryLimit(is: memory) {
            return result(false, "\(name) has no memory limit of \(memory)")
        }
        if let pidsLimit, container.config.pidsLimit != Int64(pidsLimit) {
            return result(false, "\(name) has no pids limit of \(pidsLimit)")
        }
        return result(true, "\(name) is \(container.state.status.rawValue)")
    }

    func image(_ reference: String, exists: Bool, layers: Int?, hasFile: String?, historyContains: String?) -> CheckResult {
        guard let image = try? runtime.images.resolve(reference) else {
            return result(!exists, exists ? "no image \(reference)" : "no image \(reference), as wanted")
        }
        if !exists { return result(false, "image \(reference) still exists") }
        if let layers, image.layers.count != layers {
            return result(false, "\(reference) has \(Template.count(image.layers.count, "layer", "layers")), not \(layers)")
        }
        let files = LayerStack(topFirst: image.layers.map(\.path).reversed())
        if let hasFile, !(files.resolve(hasFile).map(files.contains) ?? false) {
            return result(false, "\(reference) has no \(hasFile)")
        }
        if let historyContains, !image.config.history.contains(where: { ($0.createdBy ?? "").contains(historyContains) }) {
            return result(false, "the history of \(reference) has no step with \"\(historyContains)\"")
        }
        return result(true, "image \(reference) is as expected")
    }

    func file(container name: String?, volume: String?, path: String, contains: String?) -> CheckResult {
        var text: String?
        if let volume {
            text = FS.readTextIfPresent(runtime.root + "/volumes/\(volume)/_data" + Path.normalize(path))
        } else if let name, let container = try? runtime.container(name) {
            text = runtime.evidence(container).fileText(path)
        }
        guard let text else {
            return result(false, "\(path) does not exist in \(name ?? volume ?? "?")")
        }
        if let contains, !text.contains(contains) { return result(false, "\(path) does not contain \"\(contains)\"") }
        return result(true, "\(path) is there")
    }

    static func connects(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    func result(_ passed: Bool, _ detail: String) -> CheckResult { CheckResult(passed: passed, detail: detail) }
}
