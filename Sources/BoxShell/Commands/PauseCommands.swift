import ArgumentParser
import BoxRuntime

/// docker pause: the cgroup freezer, not SIGSTOP.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Freeze all processes of containers (cgroup freezer).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run() throws {
        let runtime = try global.makeRuntime()
        try forEach(containers) { try runtime.pause($0); Terminal.line($0) }
    }
}

struct UnpauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Thaw paused containers.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run() throws {
        let runtime = try global.makeRuntime()
        try forEach(containers) { try runtime.unpause($0); Terminal.line($0) }
    }
}
