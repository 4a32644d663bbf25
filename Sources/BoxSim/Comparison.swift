#if canImport(Glibc)
import Glibc
#endif
import BoxJSON

/// What `compare` measured on a real container (BoxShell fills it through
/// BoxRuntime; BoxSim only renders it). Nothing here is simulated.
public struct ContainerMeasurement: Sendable, Equatable {
    /// The image the containers ran.
    public var image: String
    /// create + start → the workload exec'd, per instance, in ms.
    public var startMs: [Double]
    /// VmRSS summed over the processes of each instance's cgroup (nil: it
    /// ended before it could be sampled).
    public var rssBytes: [Int64?]
    /// Bytes of the image's layers.
    public var imageBytes: Int64
    /// The namespace kinds whose /proc/PID/ns inode differs from the host's.
    public var namespacesDiffering: [String]
    public var namespacesTotal: Int
    /// uname -r, read now: the kernel every container shares.
    public var kernelRelease: String
    /// The Seccomp field of the container's /proc/PID/status (0: no filter).
    public var seccompMode: Int?
    /// The memory limit as read back from the cgroup (nil: none set).
    public var memoryLimitBytes: Int64?

    public init(image: String, startMs: [Double], rssBytes: [Int64?], imageBytes: Int64,
                namespacesDiffering: [String], namespacesTotal: Int, kernelRelease: String,
                seccompMode: Int?, memoryLimitBytes: Int64?) {
        self.image = image
        self.startMs = startMs
        self.rssBytes = rssBytes
        self.imageBytes = imageBytes
        self.namespacesDiffering = namespacesDiffering
        self.namespacesTotal = namespacesTotal
        self.kernelRelease = kernelRelease
        self.seccompMode = seccompMode
        self.memoryLimitBytes = memoryLimitBytes
    }

    public var medianStartMs: Double {
        let sorted = startMs.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The first sampled instance's RSS, if any was sampled.
    public var rssPerInstance: Int64? { rssBytes.compactMap { $0 }.first }
    public var rssTotal: Int64? {
        let sampled = rssBytes.compactMap { $0 }
        return sampled.isEmpty ? nil : sampled.reduce(0, +)
    }

    public var json: JSON {
        .object([
            ("measured", .bool(true)),
            ("image", .string(image)),
            ("start_ms", .array(startMs.map { .number(round3($0)) })),
            ("start_ms_median", .number(round3(medianStartMs))),
            ("rss_bytes", .array(rssBytes.map { $0.map { .int($0) } ?? .null })),
            ("rss_bytes_total", rssTotal.map { .int($0) } ?? .null),
            ("image_bytes", .int(imageBytes)),
            ("namespaces_differing", .strings(namespacesDiffering)),
            ("namespaces_total", .int(namespacesTotal)),
            ("kernel", .string(kernelRelease)),
            ("seccomp", seccompMode.map { .int($0) } ?? .null),
            ("memory_limit_bytes", memoryLimitBytes.map { .int($0) } ?? .null),
            ("published_reference_ms", .object([
                ("crun", .number(PublishedFigures.crunRun.value)),
                ("runc", .number(PublishedFigures.runcRun.value)),
            ])),
        ])
    }
}

/// One simulated column of a comparison.
public struct ModelReport: Sendable, Equatable {
    public let kind: MachineKind
    public let stages: [Stage]
    public let memory: MemoryBreakdown
    public let imageBytes: Int64
    public let kernelRelease: String
    public let traits: Traits
    /// nil when exec works; else why not.
    public let execRefusal: Unsupported?
    public let execRoute: ExecRoute?
    public let severalProcessesRefusal: Unsupported?
    /// Per guest OS: nil when it boots.
    public let otherKernel: [(GuestOS, Unsupported?)]

    public var bootMs: Double { stages.reduce(0) { $0 + $1.ms } }

    public static func == (lhs: ModelReport, rhs: ModelReport) -> Bool {
        lhs.kind == rhs.kind && lhs.stages == rhs.stages && lhs.memory == rhs.memory
            && lhs.imageBytes == rhs.imageBytes && lhs.kernelRelease == rhs.kernelRelease
            && lhs.traits == rhs.traits && lhs.execRefusal == rhs.execRefusal && lhs.execRoute == rhs.execRoute
            && lhs.severalProcessesRefusal == rhs.severalProcessesRefusal
            && lhs.otherKernel.map(\.0) == rhs.otherKernel.map(\.0)
            && lhs.otherKernel.map(\.1) == rhs.otherKernel.map(\.1)
    }
}

/// The simulated side of `compare`: the same workload in every model,
/// computed only from the parameter table (and the seed, if any).
public struct Comparison: Sendable {
    public let workload: Workload
    public let instances: Int
    public let hostBytes: Int64
    public let hostKernel: String
    public let jitter: Jitter
    public let models: [ModelReport]

    /// The kinds simulated beside the measured container, in column order.
    public static let simulatedKinds: [MachineKind] = [.process, .unikernel, .microVM, .vm]

    public init(workload: Workload, instances: Int, hostBytes: Int64, hostKernel: String, jitter: Jitter) throws {
        self.workload = workload
        self.instances = instances
        self.hostBytes = hostBytes
        self.hostKernel = hostKernel
        self.jitter = jitter
        models = try Self.simulatedKinds.map { kind in
            let model = kind.model
            func refusal(_ body: () throws -> Void) -> Unsupported? {
                do { try body(); return nil } catch let SimError.unsupported(_, reason) { return reason } catch { return nil }
            }
            return ModelReport(
                kind: kind, stages: try model.stages(workload, jitter: jitter),
                memory: try model.memory(workload, guestRAM: nil), imageBytes: model.imageBytes(workload),
                kernelRelease: model.kernelRelease(host: hostKernel), traits: model.traits,
                execRefusal: refusal { _ = try model.exec() }, execRoute: try? model.exec(),
                severalProcessesRefusal: refusal { try model.runSeveralProcesses() },
                otherKernel: GuestOS.allCases.map { guest in (guest, refusal { try model.boot(guest: guest) }) })
        }
    }

    public func report(_ kind: MachineKind) -> ModelReport? { models.first { $0.kind == kind } }

    /// Instances of `kind` that fit in the host's RAM (reserved memory).
    public func fits(_ report: ModelReport) -> Int64 { hostBytes / max(1, report.memory.reserved) }

    /// The simulated half of `compare --json`: identical for identical
    /// inputs (workload, instances, host memory, host kernel, seed).
    public var simulatedJSON: JSON {
        .object([
            ("simulated", .bool(true)),
            ("seed", jitter.seed.map { .string(String($0)) } ?? .null),
            ("models", .array(models.map(modelJSON))),
        ])
    }

    func modelJSON(_ report: ModelReport) -> JSON {
        let memory = report.memory
        return .object([
            ("kind", .string(report.kind.rawValue)),
            ("boot_ms", .number(round3(report.bootMs))),
            ("stages", .array(report.stages.map { stage in
                .object([("id", .string(stage.id.rawValue)), ("ms", .number(round3(stage.ms))),
                         ("parameter", .string(stage.parameter))])
            })),
            ("memory", .object([
                ("runtime_bytes", .int(memory.runtime)), ("guest_kernel_bytes", .int(memory.guestKernel)),
                ("guest_userspace_bytes", .int(memory.guestUserspace)), ("app_bytes", .int(memory.app)),
                ("unused_reserved_bytes", .int(memory.unusedReserved)), ("reserved_bytes", .int(memory.reserved)),
                ("touched_bytes", .int(memory.touched)),
            ])),
            ("instances_reserved_bytes", .int(memory.reserved * Int64(instances))),
            ("fits_in_host", .int(fits(report))),
            ("image_bytes", .int(report.imageBytes)),
            ("kernel", .string(report.kernelRelease)),
            ("kernel_owner", .string(report.traits.kernel.rawValue)),
            ("boundary", .string(report.traits.boundary.rawValue)),
            ("shared_with_host", .strings(report.traits.sharedWithHost.map(\.rawValue))),
            ("interface", .object([
                ("kind", .string(report.traits.interface.kind.rawValue)),
                ("count", report.traits.interface.count.map { .int($0) } ?? .null),
                ("host_code_lines", report.traits.interface.hostCodeLines.map { .int($0) } ?? .null),
                ("shell_inside", .bool(report.traits.interface.shellInside)),
            ])),
            ("exec", .string(report.execRoute?.rawValue ?? "unsupported:" + (report.execRefusal?.rawValue ?? ""))),
            ("several_processes", .string(report.severalProcessesRefusal.map { "unsupported:" + $0.rawValue } ?? "yes")),
            ("other_kernel", .object(report.otherKernel.map { guest, refusal in
                (guest.rawValue, .string(refusal.map { "unsupported:" + $0.rawValue } ?? "yes"))
            })),
        ])
    }

    /// The whole `compare --json` document: the workload, the host, the
    /// measured container and the simulated models, in a fixed order.
    public func json(container: ContainerMeasurement, cpus: Int) -> JSON {
        .object([
            ("workload", .object([
                ("name", .string(workload.name)), ("argv", .strings(workload.argv)),
                ("app_bytes", .int(workload.appBytes)), ("app_image_bytes", .int(workload.appImageBytes)),
            ])),
            ("instances", .int(instances)),
            ("host", .object([
                ("kernel", .string(hostKernel)), ("cpus", .int(cpus)), ("mem_bytes", .int(hostBytes)),
            ])),
            ("container", container.json),
            ("simulated", simulatedJSON),
        ])
    }
}

/// Rounds to a thousandth, so printed durations do not carry float noise.
func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

// MARK: - Timeline

/// ASCII boot timelines: one bar per model, its length on a log scale of
/// the total (so 1 ms and 4 s both show), its segments proportional to the
/// stages inside it, each drawn with the stage's number.
public enum Timeline {
    /// Bar length for `ms` when `maxMs` gets `width` characters.
    public static func length(ms: Double, maxMs: Double, width: Int) -> Int {
        guard ms > 0, maxMs > 0 else { return 0 }
        let scaled = Double(width) * log10(1 + ms) / log10(1 + max(ms, maxMs))
        return max(1, min(width, Int(scaled.rounded())))
    }

    /// The stages drawn into `length` characters: stage i (1-based) as the
    /// digit i; every stage longer than 0 ms gets at least one character
    /// when there is room. Largest-remainder rounding keeps the total exact.
    public static func bar(_ durations: [Double], length: Int) -> String {
        let total = durations.reduce(0, +)
        guard total > 0, length > 0 else { return "" }
        var counts = durations.map { Int(Double(length) * $0 / total) }
        var remainders = durations.enumerated().map { ($0.offset, Double(length) * $0.element / total - Double(counts[$0.offset])) }
        remainders.sort { $0.1 > $1.1 }
        var missing = length - counts.reduce(0, +)
        for (index, _) in remainders where missing > 0 {
            counts[index] += 1
            missing -= 1
        }
        let visible = durations.filter { $0 > 0 }.count
        if length >= visible {
            for index in durations.indices where durations[index] > 0 && counts[index] == 0 {
                if let donor = counts.indices.filter({ counts[$0] > 1 }).max(by: { counts[$0] < counts[$1] }) {
                    counts[donor] -= 1
                    counts[index] = 1
                }
            }
        }
        var out = ""
        for (index, count) in counts.enumerated() {
            let digit = index < 9 ? String(index + 1) : "+"
            out += String(repeating: digit, count: count)
        }
        return out
    }
}

/// Measures the `container` column of `compare` on a real container.
/// BoxSim computes the simulated columns only and does not depend on
/// BoxRuntime, so the live probe is BoxShell's (`ContainerProbe`, which
/// starts the workload through BoxRuntime and removes it again); tests may
/// pass a fixed measurement instead.
public protocol ContainerMeasuring {
    func measure(workload: Workload, instances: Int, memoryLimit: Int64?) throws -> ContainerMeasurement
}
