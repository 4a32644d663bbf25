#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxRuntime

/// Entry point. Parses with `parseAsRoot` (no exiting inside the parser), so
/// every failure, a bad flag included, ends like docker's: one line on
/// stderr and exit code 125.
public enum BoxlabMain {
    public static func main() -> Never {
        // A shim that already exited must not kill boxlab when it writes a
        // control byte; a closed stdout shows up as EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        let arguments = GlobalOptions.movingLeadingGlobals(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try BoxlabCommand.parseAsRoot(arguments)
            try command.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let error as RuntimeError {
            Terminal.error(error.description)
            exit(error.exitCode)
        } catch {
            let message = BoxlabCommand.fullMessage(for: error)
            let code = BoxlabCommand.exitCode(for: error)
            if code == .success {
                // --help and --version print to stdout and succeed.
                print(message)
                exit(0)
            }
            Terminal.error(message.isEmpty ? "\(error)" : message)
            exit(125)
        }
    }
}

struct BoxlabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxlab",
        abstract: "A container lab: run real Linux containers and watch each stage the kernel performs.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CreateCommand.self, StartCommand.self, PsCommand.self, StopCommand.self,
            KillCommand.self, PauseCommand.self, UnpauseCommand.self, RmCommand.self, WaitCommand.self,
            LogsCommand.self, ExecCommand.self, InspectCommand.self, ImagesCommand.self, ReapCommand.self,
        ]
    )
}
