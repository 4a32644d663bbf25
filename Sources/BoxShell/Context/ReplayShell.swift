#if canImport(Glibc)
import Glibc
#endif
import BoxLessons
import BoxOS
import CBoxShim

extension ReplayShell {
    /// This shell as replays see it: its verbs (and `exit`, `quit`), its default root, its tokenizer.
    static var boxlab: ReplayShell {
        var verbs = Set(Completer.commandNames())
        verbs.formUnion(["exit", "quit"])
        return ReplayShell(knownVerbs: verbs, defaultRoot: CommandContext.defaultRoot, split: { try? LineTokenizer.split($0) })
    }
}

extension SessionRecorder {
    /// Starts recording the shell of `context` into `path`: the header says
    /// who, which lesson, the terminal's size and the root outside lessons.
    static func start(path: String, context: CommandContext) throws(TranscriptError) -> SessionRecorder {
        let environment = context.environment
        let coach = LessonCoach(context: context)
        var header = TranscriptHeader()
        header.boxlab = BoxlabCommand.version
        header.lessons = coach.engine().active().map { [$0.id] } ?? []
        header.student = student(environment)
        header.started = Clock.rfc3339(Clock.nowNanos())
        var rows: UInt16 = 0, cols: UInt16 = 0
        if bs_ioctl_get_winsize(1, &rows, &cols) == 0 && cols > 0 && rows > 0 {
            header.cols = Int(cols)
            header.rows = Int(rows)
        }
        header.root = coach.homeRoot
        header.narrate = environment["BOXLAB_NARRATE"] ?? "normal"
        header.lang = context.language.rawValue
        let recorder = try SessionRecorder(path: path, header: header, split: { try? LineTokenizer.split($0) }) {
            guard let capture = OutputCapture() else { return nil }
            return { capture.finish() }
        }
        context.recording?.lastPath = recorder.path
        return recorder
    }
}
