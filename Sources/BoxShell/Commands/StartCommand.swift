import ArgumentParser
import BoxRuntime

/// docker start [-a].
struct StartCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start one or more created or stopped containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Attach to the container's output and wait for it.") var attach = false
    @Flag(name: .shortAndLong, help: "Attach stdin.") var interactive = false
    @Flag(name: .long, help: "Pause after each creation stage (inspect meanwhile; `continue` or `abort`).") var step = false
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let sink = context.sink()
        if attach {
            guard containers.count == 1 else {
                throw RuntimeError.invalidArgument(flag: "-a", value: containers.joined(separator: " "),
                                                   reason: "you cannot attach to more than one container")
            }
            let container = try runtime.container(containers[0])
            let code = try Attached.run(runtime: runtime, id: container.id, tty: container.config.tty,
                                        interactive: interactive && container.config.openStdin, events: sink,
                                        stepper: context.stepper(step: step))
            throw ExitCode(code)
        }
        try forEach(containers, text: context.text) { reference in
            try runtime.start(reference, attachment: .detached, events: sink, stepper: context.stepper(step: step))
            Terminal.line(reference)
        }
    }
}

/// Runs `body` for each container like docker: every one is tried, errors
/// are printed, and the command fails if any failed.
func forEach(_ references: [String], text: Localizer, _ body: (String) throws -> Void) throws {
    var failed = false
    for reference in references {
        do { try body(reference) } catch let error as RuntimeError {
            Terminal.error(error, text)
            failed = true
        }
    }
    if failed { throw ExitCode(1) }
}
