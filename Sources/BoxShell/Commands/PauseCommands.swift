import ArgumentParser
import BoxRuntime

/// docker pause: the cgroup freezer, not SIGSTOP.
struct PauseCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Freeze all processes of containers (cgroup freezer).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try forEach(containers, text: context.text) { try runtime.pause($0); Terminal.line($0) }
    }
}

struct UnpauseCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Thaw paused containers.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try forEach(containers, text: context.text) { try runtime.unpause($0); Terminal.line($0) }
    }
}
