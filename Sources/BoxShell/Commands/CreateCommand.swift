import ArgumentParser
import BoxRuntime

/// docker create: prepare a container (directories, config) without running it.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a container without starting it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var container: ContainerOptions

    func run() throws {
        let runtime = try global.makeRuntime()
        let created = try runtime.create(try container.createOptions(), events: global.sink())
        Terminal.line(created.id)
    }
}
