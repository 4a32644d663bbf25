import ArgumentParser
import BoxBuild
import BoxImages

/// docker diff CONTAINER: what the container changed, read from its
/// read-write layer: A added, C changed, D deleted.
struct DiffCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "List the files a container added (A), changed (C) or deleted (D).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The container (name or id).") var container: String

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            for change in try ContainerImages.diff(runtime, container: container) { Terminal.line(change.description) }
        }
    }
}
