import ArgumentParser
import BoxRuntime

/// docker wait: block until each container stops, print its exit code.
struct WaitCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for containers to stop and print their exit codes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try forEach(containers, text: context.text) { Terminal.line(String(try runtime.wait($0))) }
    }
}
