import ArgumentParser
import BoxRuntime

/// docker wait: block until each container stops, print its exit code.
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for containers to stop and print their exit codes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run() throws {
        let runtime = try global.makeRuntime()
        try forEach(containers) { Terminal.line(String(try runtime.wait($0))) }
    }
}
