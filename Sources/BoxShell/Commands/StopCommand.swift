import ArgumentParser
import BoxRuntime

/// docker stop: SIGTERM, then SIGKILL after the grace period.
struct StopCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop running containers (SIGTERM, then SIGKILL after -t seconds).")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .customLong("time")], help: "Seconds to wait before SIGKILL.") var time = Runtime.defaultStopTimeout
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        guard time >= 0 else { throw RuntimeError.invalidArgument(flag: "-t", value: String(time), reason: "must not be negative") }
        try forEach(containers, text: context.text) { reference in
            let killed = try runtime.stop(reference, timeout: time, events: context.sink())
            if killed { context.narrator().note(.narrStopKilled, ["container": reference, "seconds": String(time)]) }
            Terminal.line(reference)
        }
    }
}
