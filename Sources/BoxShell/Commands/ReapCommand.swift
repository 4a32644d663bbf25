import ArgumentParser
import BoxRuntime

/// Internal: the monitor execs this after a detached container's PID 1 ends,
/// so its exit code, OOM kill and --rm are recorded at once, even though the
/// boxlab that started it is long gone.
struct ReapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_reap", shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Argument var id: String

    func run() throws {
        try global.makeRuntime().finalize(id, events: .none)
    }
}
