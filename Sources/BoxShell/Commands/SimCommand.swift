import ArgumentParser
import BoxJSON
import BoxOS
import BoxSim

/// `sim`: exercises built into the simulation (BoxSim). Every answer is
/// computed from the models and labelled simulated; only host facts shown
/// beside it (the kernel release, the RAM) are read live.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulated exercises: density, crashes, other kernels, attack surface, and the figures behind them.",
        subcommands: [SimDensityCommand.self, SimCrashCommand.self, SimKernelCommand.self,
                      SimAttackSurfaceCommand.self, SimSourcesCommand.self])

    @OptionGroup var global: GlobalOptions
}

// MARK: - density

/// How many instances of each kind fit in a host's RAM, and why.
struct SimDensityCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "density", abstract: "How many instances of each kind fit in the host's RAM, and why (simulated).")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("host-mem"), help: "Host RAM (default: this host's MemTotal).") var hostMem: String?
    @Option(name: .customLong("app-mem"), help: "The app's own memory per instance (default: idle busybox, 1.4 MiB).")
    var appMem: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let host = try hostMem.map(Size.parse) ?? HostFacts.memoryBytes()
            let workload = try appMem.map { Workload.web.withApp(bytes: try Size.parse($0)) } ?? Workload.web
            let rows = try DensityExercise.run(hostBytes: host, workload: workload)
            if json {
                Terminal.write(JSON.object([
                    ("simulated", .bool(true)), ("host_mem_bytes", .int(host)), ("app_bytes", .int(workload.appBytes)),
                    ("kinds", .array(rows.map { row in
                        .object([("kind", .string(row.kind.rawValue)), ("reserved_bytes", .int(row.memory.reserved)),
                                 ("touched_bytes", .int(row.memory.touched)), ("fits_reserved", .int(row.fitsReserved)),
                                 ("fits_overcommitted", .int(row.fitsTouched))])
                    })),
                ]).pretty(indent: 2) + "\n")
                return
            }
            var out = SimTable.wrap(text(.simDensityTitle, [
                "label": text.simulatedLabel, "host": Size.format(host), "app": Size.format(workload.appBytes),
            ]))
            var table = [[text(.simColKind), text(.simColPerInstance), text(.simColFitReserved), text(.simColFitOvercommit)]]
            for row in rows {
                table.append([text.kind(row.kind), Size.format(row.memory.reserved), String(row.fitsReserved),
                              String(row.fitsTouched)])
            }
            out += "\n" + SimTable.render(table) + "\n" + text(.simWhy) + "\n"
            let width = MachineKind.allCases.map { text.kind($0).displayWidth }.max() ?? 10
            for row in rows {
                let memory = row.memory
                let line = text(MessageKey("sim.density.why." + row.kind.rawValue), [
                    "app": Size.format(memory.app), "runtime": Size.format(memory.runtime),
                    "ram": Size.format(memory.reserved - memory.runtime), "kernel": Size.format(memory.guestKernel),
                    "user": Size.format(memory.guestUserspace),
                ])
                let indent = " " + String(repeating: " ", count: width + 2)
                out += SimTable.wrap(line, indent: indent, firstIndent: " " + text.kind(row.kind).padded(to: width + 2))
            }
            out += "\n" + SimTable.wrap(text(.simDensityOvercommit))
            Terminal.write(out)
        }
    }
}

// MARK: - crash

/// Which instances survive a host kernel panic, a guest kernel panic or an app crash.
struct SimCrashCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash", abstract: "Which instances survive a crash: host, guest-kernel or app (simulated).")

    enum What: String, ExpressibleByArgument, CaseIterable {
        case host, guestKernel = "guest-kernel", app
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What fails: host (the host's kernel panics), guest-kernel, or app.") var what: What
    @Option(name: .customLong("in"), help: "The kind of instance whose kernel or app fails (default: vm for guest-kernel, container for app).")
    var target: String?
    @Option(name: .customLong("per-kind"), help: "Instances of each kind on the host (1-5).") var perKind = 2
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let kind = try target.map { name in
                guard let kind = MachineKind(rawValue: name) else { throw SimError.unknownKind(name) }
                return kind
            }
            let event: CrashEvent
            switch what {
            case .host: event = .host
            case .guestKernel: event = .guestKernel(kind ?? .vm)
            case .app: event = .app(kind ?? .container)
            }
            let fleet = CrashExercise.fleet(perKind: min(max(perKind, 1), 5))
            let outcomes: [CrashOutcome]
            do {
                outcomes = try CrashExercise.run(event, fleet: fleet)
            } catch let SimError.unsupported(refused, reason) {
                // The exercise's answer, not a failure: a container has no kernel to panic alone.
                if json {
                    Terminal.write(JSON.object([
                        ("simulated", .bool(true)), ("event", .string(what.rawValue)), ("in", .string(refused.rawValue)),
                        ("refused", .string(reason.rawValue)),
                    ]).pretty(indent: 2) + "\n")
                } else {
                    Terminal.write(SimTable.wrap(text(.simCrashRefused, [
                        "label": text.simulatedLabel, "kind": text.kind(refused), "reason": text.reason(reason),
                        "kernel": ProcFS.kernelRelease(),
                    ])))
                }
                return
            }
            let survivors = outcomes.filter { $0.state != .down }.count
            if json {
                Terminal.write(JSON.object([
                    ("simulated", .bool(true)), ("event", .string(what.rawValue)),
                    ("in", event == .host ? .null : .string((kind ?? (what == .app ? .container : .vm)).rawValue)),
                    ("instances", .array(outcomes.map { outcome in
                        .object([("name", .string(outcome.instance.name)), ("kind", .string(outcome.instance.kind.rawValue)),
                                 ("state", .string(outcome.state.rawValue)), ("why", .string(outcome.why.rawValue))])
                    })),
                    ("survivors", .int(survivors)), ("total", .int(outcomes.count)),
                ]).pretty(indent: 2) + "\n")
                return
            }
            let target = outcomes.first { $0.why == .ownKernelPanicked || ($0.why != .unaffected && what == .app) }
            var out = SimTable.wrap(text(MessageKey("sim.crash.title." + what.rawValue), [
                "label": text.simulatedLabel, "name": target?.instance.name ?? "", "kernel": ProcFS.kernelRelease(),
            ]))
            var table = [[text(.simColInstance), text(.simColKind), text(.simColAfter), text(.simColWhy)]]
            for outcome in outcomes {
                table.append([outcome.instance.name, text.kind(outcome.instance.kind), text.state(outcome.state),
                              text.why(outcome.why)])
            }
            out += "\n" + SimTable.render(table) + "\n"
            out += SimTable.wrap(text(.simCrashSurvivors, ["survivors": String(survivors), "total": String(outcomes.count)]))
            out += SimTable.wrap(text(MessageKey("sim.crash.lesson." + what.rawValue)))
            Terminal.write(out)
        }
    }
}

// MARK: - kernel

/// Can a Windows, FreeBSD or other Linux kernel run? In a VM yes, in a container never.
struct SimKernelCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel", abstract: "Try another OS kernel in each kind: windows, freebsd, linux-other (simulated).")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "The guest to try: windows, freebsd or linux-other (default: all three).") var guest: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let guests = try guest.map { name -> [GuestOS] in
                guard let guest = GuestOS(rawValue: name) else { throw SimError.unknownGuest(name) }
                return [guest]
            } ?? GuestOS.allCases
            let answers = KernelExercise.run(guests: guests)
            if json {
                Terminal.write(JSON.object([
                    ("simulated", .bool(true)), ("host_kernel", .string(ProcFS.kernelRelease())),
                    ("answers", .array(answers.map { answer in
                        .object([("kind", .string(answer.kind.rawValue)), ("guest", .string(answer.guest.rawValue)),
                                 ("boots", .bool(answer.refusal == nil)),
                                 ("refusal", answer.refusal.map { .string($0.rawValue) } ?? .null)])
                    })),
                ]).pretty(indent: 2) + "\n")
                return
            }
            var out = SimTable.wrap(text(.simKernelTitle, ["label": text.simulatedLabel, "kernel": ProcFS.kernelRelease()]))
            var table = [[text(.simColKind)] + guests.map { text.guest($0) }]
            for kind in MachineKind.allCases {
                table.append([text.kind(kind)] + guests.map { guest in
                    let answer = answers.first { $0.kind == kind && $0.guest == guest }
                    return answer?.refusal == nil ? text(.simBoots) : text(.simRefused)
                })
            }
            out += "\n" + SimTable.render(table) + "\n" + text(.simWhyNot) + "\n"
            var seen: [Unsupported] = []
            for answer in answers {
                guard let refusal = answer.refusal, !seen.contains(refusal) else { continue }
                seen.append(refusal)
                let kinds = MachineKind.allCases.filter { kind in answers.contains { $0.kind == kind && $0.refusal == refusal } }
                out += SimTable.wrap(kinds.map { text.kind($0) }.joined(separator: ", ") + ": " + text.reason(refusal),
                                     indent: "   ", firstIndent: " • ")
            }
            out += SimTable.wrap(text(.simKernelLesson, ["kernel": ProcFS.kernelRelease()]))
            Terminal.write(out)
        }
    }
}

// MARK: - attack surface

/// What a compromised app can reach on the host, kind by kind.
struct SimAttackSurfaceCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "attack-surface", abstract: "What a compromised app can reach on the host, kind by kind (simulated).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        let kinds = MachineKind.allCases
        if json {
            Terminal.write(JSON.object([
                ("simulated", .bool(true)),
                ("kinds", .array(kinds.map { kind in
                    let traits = kind.model.traits
                    return .object([
                        ("kind", .string(kind.rawValue)), ("boundary", .string(traits.boundary.rawValue)),
                        ("interface", .string(traits.interface.kind.rawValue)),
                        ("count", traits.interface.count.map { .int($0) } ?? .null),
                        ("host_code_lines", traits.interface.hostCodeLines.map { .int($0) } ?? .null),
                        ("shell_inside", .bool(traits.interface.shellInside)),
                        ("shared_with_host", .strings(traits.sharedWithHost.map(\.rawValue))),
                    ])
                })),
            ]).pretty(indent: 2) + "\n")
            return
        }
        var out = SimTable.wrap(text(.simAttackTitle, ["label": text.simulatedLabel])) + "\n"
        let width = kinds.map { text.kind($0).displayWidth }.max() ?? 10
        let values = [
            "syscalls": String(Int(PublishedFigures.linuxSyscalls.value)),
            "blocked": String(Int(PublishedFigures.dockerSeccompBlocked.value)),
            "devices": String(Int(PublishedFigures.firecrackerDevices.value)),
            "fcLines": Self.grouped(Int(PublishedFigures.firecrackerLines.value)),
            "qemuLines": Self.grouped(Int(PublishedFigures.qemuLines.value)),
        ]
        for kind in kinds {
            let indent = " " + String(repeating: " ", count: width + 2)
            out += SimTable.wrap(text(MessageKey("sim.attack." + kind.rawValue), values),
                                 indent: indent, firstIndent: " " + text.kind(kind).padded(to: width + 2))
        }
        out += "\n" + SimTable.wrap(text(.simAttackLesson))
        Terminal.write(out)
    }

    /// 1000000 → "1,000,000".
    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}

// MARK: - sources

/// Every parameter of the simulation, with the figure as published and its source.
struct SimSourcesCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Every figure the simulation uses, with its source.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        if json {
            Terminal.write(JSON.object([
                ("parameters", .array(PublishedFigures.all.map { parameter in
                    .object([("id", .string(parameter.id)), ("value", .number(parameter.value)),
                             ("unit", .string(parameter.unit.rawValue)), ("basis", .string(parameter.basis.rawValue)),
                             ("figure", .string(parameter.figure)), ("source", .string(parameter.source))])
                })),
                ("references", .object(PublishedFigures.references.map { ($0.tag, .string($0.citation)) })),
                ("facts", .array(PublishedFigures.facts.map { fact in
                    .object([("id", .string(fact.id)), ("statement", .string(fact.statement)), ("source", .string(fact.source))])
                })),
            ]).pretty(indent: 2) + "\n")
            return
        }
        var out = SimTable.wrap(text(.simSourcesTitle)) + "\n"
        for parameter in PublishedFigures.all {
            let value = Size.decimal(parameter.value, places: parameter.value.rounded() == parameter.value ? 0 : 1)
            out += " \(parameter.id) = \(value) \(parameter.unit.rawValue)  [\(text(MessageKey("sim.basis." + parameter.basis.rawValue)))]\n"
            out += SimTable.wrap(parameter.figure, indent: "     ", firstIndent: "     ")
            out += SimTable.wrap(text(.simSourceLine, ["source": parameter.source]), indent: "     ", firstIndent: "     ")
        }
        out += "\n" + text(.simFactsTitle) + "\n"
        for fact in PublishedFigures.facts {
            out += SimTable.wrap(fact.statement, indent: "     ", firstIndent: " • ")
            out += SimTable.wrap(text(.simSourceLine, ["source": fact.source]), indent: "     ", firstIndent: "     ")
        }
        out += "\n" + text(.simReferencesTitle) + "\n"
        for reference in PublishedFigures.references {
            out += SimTable.wrap(reference.citation, indent: "     ", firstIndent: " " + reference.tag + " ")
        }
        Terminal.write(out)
    }
}
