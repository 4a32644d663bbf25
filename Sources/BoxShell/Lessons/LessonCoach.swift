#if canImport(Glibc)
import Glibc
#endif
import BoxLessons
import BoxOS

/// The shell's side of lessons: which root commands act on (the active
/// lesson's sandbox), what to print when a step completes, and the `hint`,
/// `check` and `next` words.
struct LessonCoach {
    let context: CommandContext
    /// Parsed once per shell session (the files do not change under a student).
    let library: LessonLibrary?

    init(context: CommandContext, library: LessonLibrary? = nil) {
        self.context = context
        self.library = library
    }

    var environment: [String: String] { context.environment }
    var text: Localizer { context.text }
    var language: String { context.language.rawValue }

    /// The root outside lessons (a lesson's sandbox lies under it).
    var homeRoot: String { context.lessonHome }

    var user: String { environment["SUDO_USER"] ?? environment["USER"] ?? "uid\(getuid())" }

    func engine() -> LessonEngine {
        LessonEngine(library: library ?? Self.loadLibrary(environment), homeRoot: homeRoot, user: user, environment: environment)
    }

    static func loadLibrary(_ environment: [String: String]) -> LessonLibrary {
        LessonLibrary(files: LessonLibrary.files(in: LessonLibrary.defaultDirectory(environment: environment)))
    }

    /// `context` pointed at the active lesson's sandbox (or back home), so
    /// every command of the shell acts inside the lesson.
    func followingLesson() -> CommandContext {
        var context = context
        if context.homeRoot == nil { context.homeRoot = context.root }
        let engine = LessonCoach(context: context, library: library).engine()
        context.root = engine.active().map(engine.sandboxRoot) ?? context.lessonHome
        return context
    }

    func showCurrentStep(_ lesson: Lesson, engine: LessonEngine) {
        guard let index = engine.progress().currentStep(lesson) else { return }
        let step = lesson.steps[index]
        if lesson.isExercise {
            Terminal.line(text("lesson.goal", ["text": step.text.text(language)]))
        } else {
            Terminal.line(text("lesson.step", ["number": String(index + 1), "total": String(lesson.steps.count),
                                               "text": step.text.text(language)]))
        }
        for command in step.commands { Terminal.line(text("lesson.try", ["command": command])) }
    }

    /// After every command: complete steps whose checks now pass.
    func afterCommand(output: String, status: Int32) {
        let engine = engine()
        guard let lesson = engine.active(),
              let done = try? engine.advance(lesson, lastOutput: output, lastStatus: status), !done.isEmpty else { return }
        for (index, _) in done {
            Terminal.line(text("lesson.stepDone", ["number": String(index + 1), "points": String(lesson.steps[index].points)]))
        }
        let progress = engine.progress()
        if progress.currentStep(lesson) == nil {
            Terminal.line(text("lesson.complete", ["id": lesson.id, "points": String(progress.points(lesson)),
                                                   "total": String(lesson.totalPoints)]))
        } else {
            showCurrentStep(lesson, engine: engine)
        }
    }

    /// `hint`, `check`, `next`: nil when `word` is none of them.
    func builtin(_ word: String, lastOutput: String, lastStatus: Int32) -> Int32? {
        guard ["hint", "check", "next"].contains(word) else { return nil }
        let engine = engine()
        guard let lesson = engine.active() else {
            Terminal.error(text("lesson.none"))
            return 2
        }
        guard let index = engine.progress().currentStep(lesson) else {
            Terminal.line(text("lesson.complete", ["id": lesson.id, "points": String(engine.progress().points(lesson)),
                                                   "total": String(lesson.totalPoints)]))
            return 0
        }
        switch word {
        case "hint":
            Terminal.line(lesson.steps[index].hint?.text(language) ?? text("lesson.noHint"))
            return 0
        case "check":
            let results = engine.results(lesson, lastOutput: lastOutput, lastStatus: lastStatus)
            for result in results {
                Terminal.line(text(result.passed ? "lesson.checkPass" : "lesson.checkFail", ["detail": result.detail]))
            }
            afterCommand(output: lastOutput, status: lastStatus)
            return results.allSatisfy(\.passed) ? 0 : 1
        default:
            Terminal.line(text("lesson.next"))
            showCurrentStep(lesson, engine: engine)
            return 0
        }
    }
}
