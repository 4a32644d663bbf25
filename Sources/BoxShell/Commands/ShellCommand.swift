#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxLessons
import BoxOS

/// boxlab shell: the lab's REPL, or a script of the same commands.
struct ShellCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "The lab shell: type boxlab commands (docker's, too) and watch them work.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Run the commands in FILE instead of reading a terminal.") var script: String?
    @Flag(name: .long, help: "In a script, go on after a failing command.") var keepGoing = false
    @Option(name: .long, help: "Language of messages: en or ko.") var lang: Language?
    @Option(name: .long, help: "Record the session as a transcript (JSON lines) in FILE; an existing transcript is continued.")
    var record: String?

    func run(context: CommandContext) throws {
        var context = context
        if let lang { context.language = lang }
        let session = try Self.session(script: script, keepGoing: keepGoing, context: context)
        if let record {
            do { session.recorder = try SessionRecorder.start(path: record, context: session.context) } catch {
                throw ValidationError("cannot record: \(error)")
            }
        }
        throw ExitCode(session.run())
    }

    /// `boxlab` with no arguments.
    static func startDefault(context: CommandContext) -> Int32 {
        (try? session(script: nil, keepGoing: false, context: context).run()) ?? 125
    }

    /// `run --step` from the plain CLI: each stage reads its commands from
    /// a one-off shell session on the terminal (or stdin).
    static func oneOffStagePrompt(_ context: CommandContext) -> StagePrompt {
        StagePrompt { stage in
            let session = (try? Self.session(script: nil, keepGoing: true, context: context))
                ?? ShellSession(source: LineSource(fd: 0, name: "stdin"), keepGoing: true, context: context)
            return session.pause(at: stage)
        }
    }

    static func session(script: String?, keepGoing: Bool, context: CommandContext) throws -> ShellSession {
        var context = context
        // The shell narrates by default; scripts say only what docker would, unless asked.
        if context.environment["BOXLAB_NARRATE"] == nil {
            context.level = script == nil && context.terminal.stdin ? .normal : .quiet
        }
        if let script {
            let fd = open(script, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw ValidationError("cannot open script \(script): \(String(cString: strerror(errno)))") }
            return ShellSession(source: LineSource(fd: fd, name: script), keepGoing: keepGoing, context: context)
        }
        if context.terminal.stdin {
            try FS.makeDirectories(context.root + "/history", stage: "shell")
            let user = context.environment["SUDO_USER"] ?? context.environment["USER"] ?? "uid\(getuid())"
            return ShellSession(source: LineSource(editor: LineEditor(historyPath: context.root + "/history/" + user)),
                                keepGoing: keepGoing, context: context)
        }
        return ShellSession(source: LineSource(fd: 0, name: "stdin"), keepGoing: keepGoing, context: context)
    }
}

extension Language: ExpressibleByArgument {}
