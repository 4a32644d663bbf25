#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxCgroups
import BoxOS
import BoxRuntime
import BoxSim

/// `compare`: the same workload as a real container, measured now, beside
/// simulated process, unikernel, microVM and VM models (BoxSim). The
/// container column is never simulated; the others never measured.
struct CompareCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run a workload as a real container and compare it with simulated VM, microVM, unikernel and process models.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Workload: hello, web or sleep.") var workload = "web"
    @Option(name: .long, help: "How many real containers to start (1-32); the models are scaled to the same count.")
    var instances = 1
    @Option(name: .customLong("host-mem"), help: "Host RAM for the \"fit in\" row (default: this host's MemTotal).")
    var hostMem: String?
    @Option(name: [.customShort("m"), .customLong("memory")], help: "Memory limit for the real containers (e.g. 64m).")
    var memory: String?
    @Option(name: .long, help: "Seed for simulated variety (the same seed gives the same numbers).") var seed: UInt64?
    @Flag(name: .long, help: "Print JSON (stable field order) for grading.") var json = false

    static let maxInstances = 32

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let workload = try Workload.named(self.workload)
            guard (1...Self.maxInstances).contains(instances) else {
                throw RuntimeError.invalidArgument(flag: "--instances", value: String(instances),
                                                   reason: text(.simErrInstances, ["max": String(Self.maxInstances)]))
            }
            let hostBytes = try hostMem.map(Size.parse) ?? HostFacts.memoryBytes()
            let limit: Int64?
            do {
                limit = try memory.map { try CgroupLimits.parseMemory($0) }
            } catch let error as CgroupLimitError {
                throw RuntimeError.invalidArgument(flag: error.flag, value: error.value, reason: error.reason)
            }
            let runtime = try context.makeRuntime()
            let measured = try ContainerProbe(runtime: runtime).measure(workload: workload, instances: instances,
                                                                        memoryLimit: limit)
            let comparison = try Comparison(workload: workload, instances: instances, hostBytes: hostBytes,
                                            hostKernel: ProcFS.kernelRelease(), jitter: Jitter(seed: seed))
            if json {
                Terminal.write(comparison.json(container: measured, cpus: HostFacts.cpus()).pretty(indent: 2) + "\n")
            } else {
                Terminal.write(CompareView(text: text, comparison: comparison, container: measured,
                                           cpus: HostFacts.cpus()).render())
            }
        }
    }
}

// MARK: - The side-by-side view

/// The table (80 columns, both languages), the boot timelines and the notes.
struct CompareView {
    let text: SimText
    let comparison: Comparison
    let container: ContainerMeasurement
    let cpus: Int

    /// Column order: lightest to heaviest, the measured container second.
    var columns: [MachineKind] { [.process, .container, .unikernel, .microVM, .vm] }

    func render() -> String {
        var out = SimTable.wrap(text(.simCompareTitle, [
            "workload": comparison.workload.name, "argv": comparison.workload.argv.joined(separator: " "),
            "count": String(comparison.instances),
        ]))
        out += SimTable.wrap(text(.simCompareHost, [
            "kernel": comparison.hostKernel, "cpus": String(cpus), "memory": Size.format(comparison.hostBytes),
        ]))
        out += SimTable.wrap(text(.simCompareLegend))
        out += "\n" + SimTable.render(rows())
        out += "\n" + timelines()
        out += "\n" + notes()
        return out
    }

    func cell(_ kind: MachineKind, _ simulated: (ModelReport) -> String, measured: () -> String) -> String {
        kind == .container ? measured() : comparison.report(kind).map(simulated) ?? "?"
    }

    func rows() -> [[String]] {
        let n = comparison.instances
        var rows: [[String]] = []
        func row(_ label: MessageKey, _ values: [String: String] = [:], _ make: (MachineKind) -> String) {
            rows.append([text(label, values)] + columns.map(make))
        }
        rows.append([""] + columns.map { text.kind($0) })
        rows.append([""] + columns.map { $0 == .container ? text(.simMeasured) : text(.simSimulated) })
        row(.simRowStart) { kind in
            cell(kind, { text.duration($0.bootMs) }, measured: { text.duration(container.medianStartMs) })
        }
        let rss = container.rssPerInstance
        row(.simRowMemory) { kind in
            cell(kind, { text.size($0.memory.reserved) }, measured: { rss.map(Size.format) ?? text(.simNotSampled) })
        }
        row(.simRowRuntime) { kind in cell(kind, { text.size($0.memory.runtime) }, measured: { "—" }) }
        row(.simRowGuestKernel) { kind in
            cell(kind, { $0.traits.kernel == .host ? text(.simShared) : text.size($0.memory.guestKernel) },
                 measured: { text(.simShared) })
        }
        row(.simRowGuestUser) { kind in cell(kind, { text.size($0.memory.guestUserspace) }, measured: { "—" }) }
        row(.simRowApp) { kind in
            cell(kind, { text.size($0.memory.app) }, measured: { rss.map(Size.format) ?? text(.simNotSampled) })
        }
        row(.simRowUnused) { kind in cell(kind, { text.size($0.memory.unusedReserved) }, measured: { "—" }) }
        row(.simRowTimesN, ["n": String(n)]) { kind in
            cell(kind, { text.size($0.memory.reserved * Int64(n)) },
                 measured: { container.rssTotal.map(Size.format) ?? text(.simNotSampled) })
        }
        row(.simRowFit, ["host": Size.format(comparison.hostBytes)]) { kind in
            cell(kind, { String(comparison.fits($0)) },
                 measured: { rss.map { String(comparison.hostBytes / max(1, $0)) } ?? "—" })
        }
        row(.simRowImage) { kind in
            cell(kind, { $0.imageBytes == 0 ? text(.simHostFiles) : Size.format($0.imageBytes) },
                 measured: { Size.format(container.imageBytes) })
        }
        row(.simRowKernel) { kind in
            cell(kind, { text(MessageKey("sim.owner." + $0.traits.kernel.rawValue)) },
                 measured: { text(MessageKey("sim.owner.host")) })
        }
        row(.simRowBoundary) { kind in
            cell(kind, { text(MessageKey("sim.boundary." + $0.traits.boundary.rawValue)) },
                 measured: { text(MessageKey("sim.boundary.namespaces")) })
        }
        row(.simRowInterface) { kind in
            cell(kind, { interfaceCell($0.traits.interface) }, measured: { interfaceCell(ContainerModel().traits.interface) })
        }
        row(.simRowExec) { kind in
            cell(kind, { report in report.execRoute.map { text(MessageKey("sim.exec." + $0.rawValue)) } ?? text.yes(false) },
                 measured: { text(MessageKey("sim.exec.setns")) })
        }
        row(.simRowSeveral) { kind in
            cell(kind, { text.yes($0.severalProcessesRefusal == nil) }, measured: { text.yes(true) })
        }
        row(.simRowOtherOS) { kind in
            cell(kind, { report in
                let booting = report.otherKernel.filter { $0.1 == nil }.map(\.0)
                if booting.count == GuestOS.allCases.count { return text.yes(true) }
                return booting == [.linuxOther] ? text(.simLinuxOnly) : text.yes(false)
            }, measured: { text.yes(false) })
        }
        return rows
    }

    func interfaceCell(_ interface: Interface) -> String {
        switch interface.kind {
        case .syscalls: return text(.simIfSyscalls, ["n": String(interface.count ?? 0)])
        case .virtioDevices: return text(.simIfDevices, ["n": String(interface.count ?? 0)])
        case .emulatedPC: return text(.simIfPC)
        }
    }

    /// One bar per column, log-scaled so 1 ms and 4 s both show, stages as digits.
    func timelines() -> String {
        var entries: [(MachineKind, [(Stage.ID?, Double)])] = []
        for kind in columns {
            if kind == .container {
                entries.append((kind, [(nil, container.medianStartMs)]))
            } else if let report = comparison.report(kind) {
                entries.append((kind, report.stages.map { ($0.id, $0.ms) }))
            }
        }
        let maxMs = entries.map { $0.1.reduce(0) { $0 + $1.1 } }.max() ?? 1
        let nameWidth = columns.map { text.kind($0).displayWidth }.max() ?? 10
        var out = SimTable.wrap(text(.simTimelineTitle))
        for (kind, stages) in entries {
            let total = stages.reduce(0) { $0 + $1.1 }
            let length = Timeline.length(ms: total, maxMs: maxMs, width: 48)
            let bar = Timeline.bar(stages.map(\.1), length: length)
            out += " " + text.kind(kind).padded(to: nameWidth) + " " + text.duration(total).padded(to: 9) + " " + bar + "\n"
            let legend = stages.enumerated().map { index, stage in
                let name = stage.0.map { text.stage($0) } ?? text(.simStageMeasured)
                return "\(index + 1) \(name) \(text.duration(stage.1))"
            }
            out += SimTable.wrapItems(legend, separator: " · ", indent: String(repeating: " ", count: nameWidth + 4))
        }
        return out
    }

    func notes() -> String {
        var out = ""
        let median = comparison.instances > 1 ? text(.simNoteMedian, ["n": String(comparison.instances)]) : ""
        out += SimTable.wrap(text(.simNoteContainer, [
            "median": median,
            "differing": container.namespacesTotal > 0 ? String(container.namespacesDiffering.count) : "?",
            "total": container.namespacesTotal > 0 ? String(container.namespacesTotal) : "?",
            "kernel": container.kernelRelease,
            "seccomp": container.seccompMode.map(String.init) ?? "?",
        ]), indent: "  ", firstIndent: "• ")
        if let limit = container.memoryLimitBytes {
            out += SimTable.wrap(text(.simNoteLimit, ["limit": Size.format(limit)]), indent: "  ", firstIndent: "• ")
        }
        if !comparison.workload.longRunning {
            out += SimTable.wrap(text(.simNoteHello), indent: "  ", firstIndent: "• ")
        }
        out += SimTable.wrap(text(.simNoteReference, [
            "crun": Size.duration(PublishedFigures.crunRun.value), "runc": Size.duration(PublishedFigures.runcRun.value),
        ]), indent: "  ", firstIndent: "• ")
        out += SimTable.wrap(text(.simNoteSimulated, [
            "seed": comparison.jitter.seed.map { text(.simNoteSeed, ["seed": String($0)]) } ?? text(.simNoteNoSeed),
        ]), indent: "  ", firstIndent: "• ")
        return out
    }
}
