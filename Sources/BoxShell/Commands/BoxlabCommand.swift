#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxRuntime

/// Entry point. Parses with `parseAsRoot` (no exiting inside the parser), so
/// every failure, a bad flag included, ends like docker's: one line on
/// stderr and exit code 125. `boxlab` alone starts the lab shell.
public enum BoxlabMain {
    public static func main() -> Never {
        // A shim that already exited must not kill boxlab when it writes a
        // control byte; a closed stdout shows up as EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty { exit(ShellCommand.startDefault(context: processContext())) }
        // The port proxy skips the command tree: it lives as long as its
        // container, and every page it touches at start stays in its RSS.
        if arguments.first == "_proxy" { exit(ProxyCommand.direct(Array(arguments.dropFirst()))) }
        exit(execute(arguments, context: processContext()))
    }

    /// The context of a CLI command: the process's, with `run --step`
    /// pausing at a one-off prompt on the terminal.
    static func processContext() -> CommandContext {
        var context = CommandContext.process()
        context.stagePrompt = ShellCommand.oneOffStagePrompt(context)
        return context
    }

    /// Parses and runs one command line in `context`; returns the exit
    /// status. The shell calls this for every line, so CLI and shell share
    /// one command tree and one output.
    static func execute(_ words: [String], context: CommandContext) -> Int32 {
        do {
            var command = try BoxlabCommand.parseAsRoot(GlobalOptions.movingLeadingGlobals(words))
            if let verb = command as? any ContextCommand {
                try verb.run(context: context.applying(verb.global))
            } else {
                try command.run()
            }
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch let error as RuntimeError {
            Terminal.error(error, context.text)
            return error.exitCode
        } catch {
            let message = BoxlabCommand.fullMessage(for: error)
            if BoxlabCommand.exitCode(for: error) == .success {
                // --help and --version print to stdout and succeed.
                Terminal.line(message)
                return 0
            }
            Terminal.error(message.isEmpty ? "\(error)" : message)
            return 125
        }
    }
}

struct BoxlabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxlab",
        abstract: "A container lab: run real Linux containers and watch each stage the kernel performs.",
        version: BoxlabCommand.version,
        subcommands: [
            RunCommand.self, CreateCommand.self, StartCommand.self, PsCommand.self, StopCommand.self,
            KillCommand.self, PauseCommand.self, UnpauseCommand.self, RmCommand.self, WaitCommand.self,
            LogsCommand.self, ExecCommand.self, InspectCommand.self, ImagesCommand.self, ShellCommand.self,
            BuildCommand.self, CommitCommand.self, HistoryCommand.self, DiffCommand.self, TagCommand.self,
            RmiCommand.self, ImageCommand.self, ContainerCommand.self, SystemCommand.self, SaveCommand.self, LoadCommand.self,
            PushCommand.self, PullCommand.self,
            LessonCommand.self, RecordCommand.self, ReplayCommand.self, GradeCommand.self,
            CompareCommand.self, SimCommand.self, VMCommand.self, UnikernelCommand.self,
            PortCommand.self,
            ReapCommand.self, ProxyCommand.self,
        ]
    )

    static let version = "0.2.0"
}
