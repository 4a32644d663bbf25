import ArgumentParser
import BoxRuntime

/// docker rm [-f]: the RW layer goes with the container; volumes stay.
struct RmCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove containers (their read-write layer goes too; volumes stay).")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Kill and remove a running container.") var force = false
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try forEach(containers, text: context.text) { try runtime.remove($0, force: force, events: context.sink()); Terminal.line($0) }
    }
}
