#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxLessons
import BoxOS
import CBoxShim

/// Records the shell's commands into a transcript (see `Transcript`): each
/// command's line, output, exit status, timing and the lesson steps it
/// completed, appended as it finishes.
final class SessionRecorder {
    let writer: TranscriptWriter
    var path: String { writer.path }

    init(path: String, context: CommandContext) throws(TranscriptError) {
        let environment = context.environment
        let coach = LessonCoach(context: context)
        var header = TranscriptHeader()
        header.boxlab = BoxlabCommand.version
        header.lessons = coach.engine().active().map { [$0.id] } ?? []
        header.student = Self.student(environment)
        header.started = Clock.rfc3339(Clock.nowNanos())
        var rows: UInt16 = 0, cols: UInt16 = 0
        if bs_ioctl_get_winsize(1, &rows, &cols) == 0 && cols > 0 && rows > 0 {
            header.cols = Int(cols)
            header.rows = Int(rows)
        }
        header.root = coach.homeRoot
        header.narrate = environment["BOXLAB_NARRATE"] ?? "normal"
        header.lang = context.language.rawValue
        writer = try TranscriptWriter(path: Path.absolute(path), header: header)
        context.recording?.lastPath = writer.path
    }

    static func student(_ environment: [String: String]) -> String {
        for key in ["BOXLAB_STUDENT", "USER", "SUDO_USER"] { if let value = environment[key], !value.isEmpty { return value } }
        return "uid\(getuid())"
    }

    /// Whether a line goes into the transcript: not blank lines and
    /// comments, not the `record` word itself.
    static func records(_ words: [String]) -> Bool {
        var words = words
        if let first = words.first, first == "docker" || first == "boxlab" { words.removeFirst() }
        guard let verb = words.first else { return false }
        return verb != "record"
    }

    /// Runs `perform` for `line` and appends what it did.
    func record(_ line: String, inputLine: Int, progress: () -> [String: Set<Int>], perform: () -> Int32) -> Int32 {
        let words = (try? LineTokenizer.split(line)) ?? [line]
        guard Self.records(words) else { return perform() }
        var command = TranscriptCommand(line: line)
        command.inputLine = inputLine
        command.startedMs = writer.elapsedMs()
        let verb = words.first { $0 != "docker" && $0 != "boxlab" }
        if verb == "exit" || verb == "quit" {
            // The shell ends inside perform(): write the line first.
            command.output = ""
            command.status = 0
            writer.append(command)
            writer.finish()
            return perform()
        }
        let before = progress()
        // -t gives the command the terminal itself (`stop -t 1` is a timeout, not a terminal).
        command.tty = ["run", "create", "exec"].contains(verb ?? "") && words.contains { ["-t", "-it", "-ti", "--tty"].contains($0) }
        let capture = command.tty ? nil : OutputCapture()
        let status = perform()
        command.output = capture?.finish() ?? ""
        command.status = Int(status)
        command.durationMs = writer.elapsedMs() - command.startedMs
        let after = progress()
        for lesson in after.keys.sorted() {
            for step in (after[lesson] ?? []).subtracting(before[lesson] ?? []).sorted() {
                command.checkpoints.append(Checkpoint(lesson: lesson, step: step + 1))
            }
        }
        writer.append(command)
        return status
    }

    func finish() { writer.finish() }
}

/// record start [FILE] | stop | export --cast FILE [TRANSCRIPT].
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record the shell session as a transcript, or export one for asciinema.",
        subcommands: [Start.self, Stop.self, Export.self])

    struct Start: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start recording (in the lab shell).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The transcript file (default: transcript-STUDENT-TIME.jsonl here).") var file: String?
        func run(context: CommandContext) throws {
            let text = context.text
            guard let session = context.recording else {
                Terminal.error(text("record.notInShell"))
                throw ExitCode(125)
            }
            if let recorder = session.recorder {
                Terminal.error(text("record.already", ["file": recorder.path]))
                throw ExitCode(1)
            }
            let path = file ?? Self.defaultName(context)
            do {
                session.recorder = try SessionRecorder(path: path, context: context)
            } catch {
                Terminal.error(text("record.cannot", ["reason": error.description]))
                throw ExitCode(125)
            }
            Terminal.line(text("record.started", ["file": session.recorder!.path]))
        }

        static func defaultName(_ context: CommandContext) -> String {
            let stamp = Clock.rfc3339(Clock.nowNanos()).prefix(19).filter { $0 != "-" && $0 != ":" }
            return "transcript-\(SessionRecorder.student(context.environment))-\(stamp).jsonl"
        }
    }

    struct Stop: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop recording.")
        @OptionGroup var global: GlobalOptions
        func run(context: CommandContext) throws {
            let text = context.text
            guard let session = context.recording, let recorder = session.recorder else {
                Terminal.error(text("record.notRecording"))
                throw ExitCode(1)
            }
            recorder.finish()
            session.recorder = nil
            Terminal.line(text("record.stopped", ["file": recorder.path, "count": String(recorder.writer.count)]))
        }
    }

    struct Export: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write a transcript as an asciicast v2 file (markers at lesson steps).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("cast"), help: "The asciicast file to write.") var cast: String
        @Option(name: .long, help: "The recording's title.") var title: String?
        @Argument(help: "The transcript (default: the one being or last recorded).") var transcript: String?
        func run(context: CommandContext) throws {
            let text = context.text
            guard let source = transcript ?? context.recording?.recorder?.path ?? context.recording?.lastPath else {
                Terminal.error(text("record.noTranscript"))
                throw ExitCode(125)
            }
            do {
                let parsed = try Transcript.load(source)
                guard !parsed.isScript else {
                    Terminal.error(text("record.scriptNoCast", ["file": source]))
                    throw ExitCode(1)
                }
                try FS.writeAtomically(cast, TranscriptCast.render(parsed, title: title), stage: "record")
                Terminal.line(text("record.exported", ["file": cast, "count": String(parsed.commands.count)]))
            } catch let error as TranscriptError {
                Terminal.error(error.description)
                throw ExitCode(1)
            }
        }
    }
}
