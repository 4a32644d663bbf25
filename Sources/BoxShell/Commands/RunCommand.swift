#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxRuntime

/// docker run: create + start, in the foreground unless -d.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create and start a container from an image.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Run in the background and print the container id.") var detach = false
    @OptionGroup var container: ContainerOptions

    func run() throws {
        let runtime = try global.makeRuntime()
        let sink = global.sink()
        let options = try container.createOptions()
        if options.tty && options.openStdin && isatty(0) == 0 {
            throw RuntimeError.invalidArgument(flag: "-t", value: "", reason: "the input device is not a TTY")
        }
        let created = try runtime.create(options, events: sink)
        if detach {
            try runtime.start(created.id, attachment: .detached, events: sink, stepper: global.stepper())
            Terminal.line(created.id)
            return
        }
        let code = try Attached.run(runtime: runtime, id: created.id, tty: options.tty,
                                    interactive: options.openStdin, events: sink, stepper: global.stepper())
        throw ExitCode(code)
    }
}

/// Foreground plumbing shared by run, start -a and exec: raw terminal for
/// -it, and boxlab ignores the terminal's signals while the shim proxies them.
enum Attached {
    static func run(runtime: Runtime, id: String, tty: Bool, interactive: Bool, events: EventSink,
                    stepper: Stepper?) throws -> Int32 {
        try withForeground(tty: tty && interactive) {
            try runtime.start(id, attachment: .attached(stdin: interactive ? 0 : devNull(), stdout: 1, stderr: 2),
                              events: events, stepper: stepper) ?? 0
        }
    }

    static func withForeground<T>(tty: Bool, _ body: () throws -> T) throws -> T {
        let saved = (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN), signal(SIGTTOU, SIG_IGN))
        let settings = tty && isatty(0) != 0 ? Terminal.makeRaw(0) : nil
        defer {
            Terminal.restore(0, settings)
            signal(SIGINT, saved.0)
            signal(SIGQUIT, saved.1)
            signal(SIGTTOU, saved.2)
        }
        return try body()
    }

    static func devNull() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
