import ArgumentParser
import BoxBuild
import BoxImages

/// docker diff CONTAINER: what the container changed, read from its
/// read-write layer: A added, C changed, D deleted.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "List the files a container added (A), changed (C) or deleted (D).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The container (name or id).") var container: String

    func run() throws {
        let runtime = try global.makeRuntime()
        try ImageCommandSupport.reporting {
            for change in try ContainerImages.diff(runtime, container: container) { Terminal.line(change.description) }
        }
    }
}
