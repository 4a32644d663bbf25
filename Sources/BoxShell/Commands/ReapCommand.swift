import ArgumentParser
import BoxOS
import BoxRuntime

/// Internal: the monitor execs this after a detached container's PID 1 ends,
/// so its exit code, OOM kill and --rm are recorded at once, even though the
/// boxlab that started it is long gone.
struct ReapCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "_reap", shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Argument var id: String

    func run(context: CommandContext) throws {
        let runtime = try context.runtime()
        guard FS.isDirectory(runtime.root) else { return }  // the root is gone: nothing to record
        try runtime.finalize(id, events: .none)
    }
}
