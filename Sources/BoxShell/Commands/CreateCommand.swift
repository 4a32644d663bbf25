import ArgumentParser
import BoxRuntime

/// docker create: prepare a container (directories, config) without running it.
struct CreateCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a container without starting it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var container: ContainerOptions

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let created = try runtime.create(try container.createOptions(), events: context.sink())
        Terminal.line(created.id)
    }
}
