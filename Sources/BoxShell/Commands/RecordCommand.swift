#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxLessons
import BoxOS

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
                session.recorder = try SessionRecorder.start(path: path, context: context)
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
