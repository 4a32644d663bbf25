#if canImport(Glibc)
import Glibc
#endif
import BoxLessons
import BoxOS

/// The shell's side of lessons: which root commands act on (the active
/// lesson's sandbox), what to print when a step completes, and the `hint`,
/// `check` and `next` words.
struct LessonCoach {
    let environment: [String: String]
    /// Parsed once per shell session (the files do not change under a student).
    let library: LessonLibrary?

    init(environment: [String: String] = GlobalOptions.environment(), library: LessonLibrary? = nil) {
        self.environment = environment
        self.library = library
    }

    /// From a command with --root: that root is home (and, without a lesson, current).
    init(root: String?) {
        var environment = GlobalOptions.environment()
        if let root {
            environment["BOXLAB_ROOT"] = Path.absolute(root)
            if environment["BOXLAB_HOME_ROOT"] == nil { environment["BOXLAB_HOME_ROOT"] = Path.absolute(root) }
        }
        self.init(environment: environment)
    }

    var text: Localizer { Localizer(Language.from(environment: environment)) }
    var language: String { text.language.rawValue }

    /// The root outside lessons: BOXLAB_HOME_ROOT once the shell set it.
    var homeRoot: String {
        Path.absolute(environment["BOXLAB_HOME_ROOT"] ?? environment["BOXLAB_ROOT"] ?? "/var/lib/boxlab")
    }

    var user: String { environment["SUDO_USER"] ?? environment["USER"] ?? "uid\(getuid())" }

    func engine() -> LessonEngine {
        LessonEngine(library: library ?? Self.loadLibrary(environment), homeRoot: homeRoot, user: user, environment: environment)
    }

    static func loadLibrary(_ environment: [String: String]) -> LessonLibrary {
        LessonLibrary(files: LessonLibrary.files(in: LessonLibrary.defaultDirectory(environment: environment)))
    }

    /// Points BOXLAB_ROOT at the active lesson's sandbox (or back home), so
    /// every command of the shell acts inside the lesson.
    static func applyRoot(library: LessonLibrary? = nil) {
        let coach = LessonCoach(library: library)
        if coach.environment["BOXLAB_HOME_ROOT"] == nil { setenv("BOXLAB_HOME_ROOT", coach.homeRoot, 1) }
        let engine = coach.engine()
        let root = engine.active().map(engine.sandboxRoot) ?? coach.homeRoot
        setenv("BOXLAB_ROOT", root, 1)
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
