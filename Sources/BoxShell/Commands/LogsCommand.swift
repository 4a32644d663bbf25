import ArgumentParser
import BoxRuntime

/// docker logs [-f].
struct LogsCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a container's output.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Follow the output until the container stops.") var follow = false
    @Argument(help: "Container (name or id).") var container: String

    func run(context: CommandContext) throws {
        try context.makeRuntime().logs(container, follow: follow, to: 1)
    }
}
