#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxJSON
import BoxOS
import BoxSim

/// `vm run|ps|stop|exec|rm`: simulated virtual machines the student can
/// drive like containers. Nothing boots: each stage is narrated with its
/// simulated duration (numbered like a container's narration, labelled
/// simulated) and a record under ROOT/sim/ lets later commands see it.
struct VMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vm",
        abstract: "Simulated virtual machines (vm, microvm) driven like containers: run, ps, stop, exec, rm.",
        subcommands: [VMRunCommand.self, VMPsCommand.self, VMStopCommand.self, VMExecCommand.self, VMRmCommand.self])

    @OptionGroup var global: GlobalOptions
}

/// `unikernel run`: a simulated unikernel (listed by `vm ps`, stopped by `vm stop`).
struct UnikernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unikernel",
        abstract: "Simulated unikernels: one app linked with a library OS (run; `vm ps`/`vm stop` manage them).",
        subcommands: [UnikernelRunCommand.self])

    @OptionGroup var global: GlobalOptions
}

// MARK: - run

struct VMRunCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Boot a simulated VM or microVM from an image, stage by stage.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "vm (firmware, bootloader, distribution) or microvm (direct kernel boot).") var kind = "vm"
    @Option(name: .long, help: "Name (default: vm-1, microvm-1, …).") var name: String?
    @Option(name: .long, help: "Guest RAM (default: 1g for vm, 128m for microvm).") var mem: String?
    @Option(name: .long, help: "Seed for simulated variety.") var seed: UInt64?
    @Flag(name: .long, help: "Take each stage's simulated time for real while narrating.") var realtime = false
    @Argument(help: "The image (a label: nothing is read from it).") var image: String

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            guard let kind = MachineKind(rawValue: self.kind), kind == .vm || kind == .microVM else {
                throw SimError.unknownKind(self.kind)
            }
            try SimMachines.boot(kind: kind, name: name, image: image, workload: (try? Workload.named(image)) ?? .web,
                                 guestRAM: try mem.map(Size.parse), seed: seed, realtime: realtime, context: context, text: text)
        }
    }
}

struct UnikernelRunCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Boot a simulated unikernel: VMM, library OS, app — one program, one address space.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Name (default: unikernel-1, …).") var name: String?
    @Option(name: .long, help: "Seed for simulated variety.") var seed: UInt64?
    @Flag(name: .long, help: "Take each stage's simulated time for real while narrating.") var realtime = false
    @Argument(help: "The app (hello, web, sleep, or any label).") var app: String

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            try SimMachines.boot(kind: .unikernel, name: name, image: app, workload: (try? Workload.named(app)) ?? .web,
                                 guestRAM: nil, seed: seed, realtime: realtime, context: context, text: text)
        }
    }
}

// MARK: - ps

struct VMPsCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List simulated machines (running only, unless -a).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show stopped machines too.") var all = false
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run(context: CommandContext) throws {
        let text = SimText(context)
        let store = MachineStore(root: try context.makeRuntime().root)
        let machines = store.all().filter { all || $0.status == .running }
        if json {
            Terminal.write(JSON.array(machines.map(\.json)).pretty(indent: 2) + "\n")
            return
        }
        Terminal.write(SimTable.wrap(text(.simPsTitle, ["label": text.simulatedLabel, "directory": store.directory])))
        let now = Clock.nowNanos()
        var rows = [[text(.simColName), text(.simColKind), text(.simColImage), text(.simColRAM), text(.simColBoot),
                     text(.simColStatus), text(.simColCreated)]]
        for machine in machines {
            rows.append([machine.name, text.kind(machine.kind), machine.image, Size.format(machine.memory.reserved),
                         text.duration(machine.bootMs), text(MessageKey("sim.status." + machine.status.rawValue)),
                         text.ago(now - machine.createdNanos)])
        }
        Terminal.write(SimTable.render(rows, gap: 3))
    }
}

// MARK: - stop, rm

struct VMStopCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Shut down simulated machines (their guest RAM returns to the host).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Machine names.") var names: [String]

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let store = MachineStore(root: try context.makeRuntime().root)
            for name in names {
                let machine = try store.withLock { () throws -> SimMachine in
                    var machine = try store.load(name)
                    if machine.status == .running {
                        machine.status = .stopped
                        machine.stoppedNanos = Clock.nowNanos()
                        try store.save(machine)
                    }
                    return machine
                }
                SimMachines.say(text(MessageKey("sim.stop." + machine.kind.rawValue), [
                    "label": text.simulatedLabel, "name": machine.name, "ram": Size.format(machine.memory.reserved),
                ]), context: context)
                Terminal.line(machine.name)
            }
        }
    }
}

struct VMRmCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove simulated machines' records (-f also for running ones).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove running machines too.") var force = false
    @Argument(help: "Machine names.") var names: [String]

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let store = MachineStore(root: try context.makeRuntime().root)
            for name in names {
                try store.withLock {
                    let machine = try store.load(name)
                    if machine.status == .running && !force { throw SimError.machineRunning(name) }
                    try store.remove(name)
                }
                Terminal.line(name)
            }
        }
    }
}

// MARK: - exec

struct VMExecCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run a command in a simulated machine (refused for a unikernel, with the reason).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Machine name.") var name: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run(context: CommandContext) throws {
        let text = SimText(context)
        try simulating(text) {
            let machine = try MachineStore(root: try context.makeRuntime().root).load(name)
            let argv = command.first == "--" ? Array(command.dropFirst()) : command
            guard machine.status == .running else { throw SimError.machineNotRunning(name) }
            let model = machine.kind.model
            _ = try model.exec()  // a unikernel throws .unsupported(.singleAddressSpace) here
            let guestKernel = model.kernelRelease(host: ProcFS.kernelRelease())
            SimMachines.say(text(.simExecRoute, [
                "label": text.simulatedLabel, "name": machine.name, "guest": guestKernel, "host": ProcFS.kernelRelease(),
            ]), context: context)
            switch argv {
            case ["uname", "-r"]: Terminal.line(guestKernel)
            case ["uname"], ["uname", "-s"]: Terminal.line("Linux")
            case ["hostname"]: Terminal.line(machine.name)
            default:
                Terminal.write(SimTable.wrap(text(.simExecOther, ["command": argv.joined(separator: " ")])), fd: 2)
            }
        }
    }
}

// MARK: - Booting and narrating

enum SimMachines {
    static let numbers = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨"]

    /// Checks the name and the host's room, records the machine, then
    /// narrates its stages (and with `realtime`, takes their time).
    static func boot(kind: MachineKind, name: String?, image: String, workload: Workload, guestRAM: Int64?,
                     seed: UInt64?, realtime: Bool, context: CommandContext, text: SimText) throws {
        let model = kind.model
        let memory = try model.memory(workload, guestRAM: guestRAM)
        let stages = try model.stages(workload, jitter: Jitter(seed: seed))
        let store = MachineStore(root: try context.makeRuntime().root)
        let machine = try store.withLock { () throws -> SimMachine in
            let name = name ?? store.nextName(for: kind)
            guard MachineStore.isValidName(name) else { throw SimError.invalidName(name) }
            guard !store.exists(name) else { throw SimError.nameInUse(name) }
            let host = HostFacts.memoryBytes()
            let used = store.reservedByRunning()
            if used + memory.reserved > host {
                throw SimError.hostOutOfMemory(requested: memory.reserved, available: host - used)
            }
            let machine = SimMachine(name: name, kind: kind, image: image, memory: memory, stages: stages,
                                     status: .running, createdNanos: Clock.nowNanos(), seed: seed)
            try store.save(machine)
            return machine
        }
        narrate(machine, workload: workload, realtime: realtime, context: context, text: text)
        Terminal.line(machine.name)
    }

    static func narrate(_ machine: SimMachine, workload: Workload, realtime: Bool, context: CommandContext, text: SimText) {
        let host = ProcFS.kernelRelease()
        let guest = machine.kind.model.kernelRelease(host: host)
        say(text(MessageKey("sim.run.head." + machine.kind.rawValue), [
            "label": text.simulatedLabel, "name": machine.name, "image": machine.image,
            "ram": Size.format(machine.memory.reserved - machine.memory.runtime),
            "vmm": Size.format(machine.memory.runtime),
        ]), context: context)
        let width = Stage.ID.allCases.map { text.stage($0).displayWidth }.max() ?? 8
        for (index, stage) in machine.stages.enumerated() {
            if realtime { usleep(UInt32(min(stage.ms, 60_000) * 1000)) }
            let line = text(MessageKey("sim.narr.\(machine.kind.rawValue).\(stage.id.rawValue)"), [
                "guest": guest, "host": host, "image": machine.image, "app": workload.argv.joined(separator: " "),
            ])
            let number = index < numbers.count ? numbers[index] : "·"
            let head = " \(number) " + text.stage(stage.id).padded(to: width) + " "
            let wrapped = SimTable.wrap(line + "  (" + text.duration(stage.ms) + ")", width: max(60, Terminal.width(fd: 2)),
                                        indent: String(repeating: " ", count: head.displayWidth), firstIndent: head)
            say(String(wrapped.dropLast()), context: context)
        }
        say(text(.simRunReady, ["label": text.simulatedLabel, "ms": text.duration(machine.bootMs)]), context: context)
    }

    /// Narration goes to stderr and follows --narrate (quiet says nothing).
    static func say(_ line: String, context: CommandContext) {
        guard context.level != .quiet else { return }
        Terminal.write(line + "\n", fd: 2)
    }
}
