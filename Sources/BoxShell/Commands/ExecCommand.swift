#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxRuntime

/// docker exec: run another process inside a running container's namespaces.
struct ExecCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run a command in a running container.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Keep stdin open.") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-terminal.") var tty = false
    @Flag(name: .shortAndLong, help: "Run in the background.") var detach = false
    @Option(name: .shortAndLong, help: "Set an environment variable.") var env: [String] = []
    @Option(name: [.customShort("w"), .customLong("workdir")], help: "Working directory.") var workdir: String?
    @Option(name: .shortAndLong, help: "Username or UID, with an optional group: NAME|UID[:GROUP|GID] (default: the container's user).")
    var user: String?
    @Argument(help: "Container (name or id).") var container: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        var options = ExecOptions(command: command.first == "--" ? Array(command.dropFirst()) : command)
        options.env = env
        options.workingDir = workdir
        options.user = user
        options.tty = tty
        options.interactive = interactive
        options.detach = detach
        if detach {
            _ = try runtime.exec(container, options, attachment: .detached)
            return
        }
        let code = try Attached.withForeground(tty: tty && interactive) {
            try runtime.exec(container, options,
                             attachment: .attached(stdin: interactive ? 0 : Attached.devNull(), stdout: 1, stderr: 2)) ?? 0
        }
        throw ExitCode(code)
    }
}
