#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxOS
import BoxRuntime

/// docker run: create + start, in the foreground unless -d.
struct RunCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create and start a container from an image.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Run in the background and print the container id.") var detach = false
    @Flag(name: .long, help: "Pause after each creation stage (inspect meanwhile; `continue` or `abort`).") var step = false
    @OptionGroup var container: ContainerOptions

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let sink = context.sink()
        let options = try container.createOptions()
        if options.tty && options.openStdin && !context.terminal.stdin {
            throw RuntimeError.invalidArgument(flag: "-t", value: "", reason: "the input device is not a TTY")
        }
        let created = try runtime.create(options, events: sink)
        if detach {
            do {
                try runtime.start(created.id, attachment: .detached, events: sink, stepper: context.stepper(step: step))
            } catch RuntimeError.aborted {
                try? runtime.remove(created.id, force: true, events: sink)
                throw RuntimeError.aborted
            }
            Terminal.line(created.id)
            return
        }
        do {
            let code = try Attached.run(runtime: runtime, id: created.id, tty: options.tty,
                                        interactive: options.openStdin, events: sink, stepper: context.stepper(step: step))
            throw ExitCode(code)
        } catch RuntimeError.aborted {
            // run made it, so an aborted run leaves nothing: no state, no cgroup.
            try? runtime.remove(created.id, force: true, events: sink)
            throw RuntimeError.aborted
        }
    }
}

/// Foreground plumbing shared by run, start -a and exec: raw terminal for
/// -it, and boxlab ignores the terminal's signals while the shim proxies them.
enum Attached {
    static func run(runtime: Runtime, id: String, tty: Bool, interactive: Bool, events: EventSink,
                    stepper: Stepper?) throws -> Int32 {
        try withForeground(tty: tty && interactive) {
            try runtime.start(id, attachment: .attached(stdin: interactive ? 0 : devNull(), stdout: 1, stderr: 2),
                              events: events, stepper: stepper,
                              interruptFD: Interrupts.fd) ?? 0
        }
    }

    /// Ctrl-C goes to the interrupt pipe (boxlab must not die of it: the
    /// shim forwards it to the container, and the runtime escalates if PID 1
    /// ignores it); SIGQUIT and SIGTTOU are ignored meanwhile.
    static func withForeground<T>(tty: Bool, _ body: () throws -> T) throws -> T {
        Interrupts.install()
        Interrupts.drain()
        let saved = (signal(SIGQUIT, SIG_IGN), signal(SIGTTOU, SIG_IGN))
        let settings = tty && isatty(0) != 0 ? Terminal.makeRaw(0) : nil
        defer {
            Terminal.restore(0, settings)
            signal(SIGQUIT, saved.0)
            signal(SIGTTOU, saved.1)
        }
        return try body()
    }

    static func devNull() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
