#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxRuntime

/// docker kill [-s SIGNAL].
struct KillCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal (default SIGKILL) to containers' PID 1.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("s"), .customLong("signal")], help: "Signal name or number.") var signal = "KILL"
    @Argument(help: "Containers (name or id).") var containers: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        guard let number = Signals.parse(signal) else {
            throw RuntimeError.invalidArgument(flag: "-s, --signal", value: signal, reason: "unknown signal")
        }
        try forEach(containers, text: context.text) { reference in
            try runtime.kill(reference, signal: number, events: context.sink())
            Terminal.line(reference)
        }
    }
}

enum Signals {
    static let names: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "KILL": SIGKILL, "USR1": SIGUSR1, "USR2": SIGUSR2,
        "TERM": SIGTERM, "STOP": SIGSTOP, "CONT": SIGCONT, "ALRM": SIGALRM, "WINCH": SIGWINCH, "PIPE": SIGPIPE,
    ]

    static func parse(_ text: String) -> Int32? {
        if let number = Int32(text) { return (1...64).contains(number) ? number : nil }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name = String(name.dropFirst(3)) }
        return names[name]
    }
}
