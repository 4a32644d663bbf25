#if canImport(Glibc)
import Glibc
#endif
import BoxLessons
import BoxOS
import BoxRuntime

/// The lab shell: reads lines, runs builtins or the shared command tree, and
/// keeps going after errors (interactive) or stops at the first failure
/// (scripts, unless --keep-going).
final class ShellSession {
    let source: LineSource
    let keepGoing: Bool
    /// The stage `run --step` is paused at, shown in the prompt.
    private var steppingAt: CreationStage?
    /// What the last command printed and how it ended (lesson checks read them).
    private var lastOutput = ""
    private var lastStatus: Int32 = 0
    /// What every line runs with: the shell's root (the active lesson's
    /// sandbox), language, narration, and this session as `run --step`'s prompt.
    private(set) var context: CommandContext
    /// The curriculum, parsed once for this session.
    private lazy var lessons = LessonCoach.loadLibrary(context.environment)

    private func coach() -> LessonCoach { LessonCoach(context: context, library: lessons) }
    /// The transcript being recorded (`record start`, `shell --record FILE`).
    private let recording = Recording()
    var recorder: SessionRecorder? {
        get { recording.recorder }
        set { recording.recorder = newValue }
    }
    /// Set by `exit`/`quit`: the session ends after this line, as at end of
    /// input; `exit N` also sets the status.
    private var leaving = false
    private var exitStatus: Int32?

    init(source: LineSource, keepGoing: Bool, context: CommandContext) {
        self.source = source
        self.keepGoing = keepGoing
        self.context = context
        self.context.recording = recording
        // unowned: the session owns its context, and the prompt lives no longer than a line of it.
        self.context.stagePrompt = StagePrompt { [unowned self] stage in self.pause(at: stage) }
    }

    var text: Localizer { context.text }

    /// Runs until end of input (or the first failure of a script).
    func run() -> Int32 {
        defer { recorder?.finish() }
        Interrupts.install()
        context = coach().followingLesson()
        if source.isInteractive {
            Terminal.line(text(.shellWelcome, ["version": BoxlabCommand.version]))
            prepareDefaultImage()
        }
        var status: Int32 = 0
        while let line = source.next(prompt: prompt(), completer: Completer(context: context)) {
            Interrupts.drain()
            let result = execute(line)
            if leaving { break }
            status = result
            if result != 0 && !source.isInteractive && !keepGoing { return result }
        }
        if source.isInteractive { sayGoodbye() }
        return exitStatus ?? (keepGoing ? status : 0)
    }

    /// The lab starts on the embedded busybox image: make it now (once) so
    /// the first `run` is not the slow one, and say where it came from.
    func prepareDefaultImage() {
        do {
            let image = try context.runtime().images.ensureDefaultImage()
            Terminal.line(text(.shellDefaultImage, ["id": String(image.id.dropFirst(7).prefix(12)),
                                                    "layers": String(image.layers.count)]))
        } catch {
            Terminal.error("\(error)")
        }
    }

    func prompt() -> String {
        var stage = steppingAt.map { " [step: \($0.rawValue)]" } ?? ""
        let engine = coach().engine()
        if steppingAt == nil, let lesson = engine.active() {
            let current = engine.progress().currentStep(lesson).map { "\($0 + 1)/\(lesson.steps.count)" } ?? "done"
            stage = " [\(lesson.id) \(current)]"
        }
        return Terminal.colorEnabled(fd: 1) ? "\u{1B}[1;36mboxlab\(stage)>\u{1B}[0m " : "boxlab\(stage)> "
    }

    /// One line, recorded into the transcript when one is being recorded.
    func execute(_ line: String) -> Int32 {
        guard let recorder else { return perform(line) }
        return recorder.record(line, inputLine: source.lineNumber, progress: { self.coach().engine().progress().completed }) {
            perform(line)
        }
    }

    /// One line: tokenize, drop a leading "docker"/"boxlab", run.
    private func perform(_ line: String) -> Int32 {
        var words: [String]
        do {
            words = try LineTokenizer.split(line)
        } catch {
            Terminal.error(text(.shellParseError, ["location": "\(source.name):\(source.lineNumber):\(error.column)",
                                                   "reason": error.reason]))
            return 2
        }
        if let first = words.first, first == "docker" || first == "boxlab" { words.removeFirst() }
        guard let verb = words.first else { return 0 }
        if verb == "exit" || verb == "quit" { return leave(words.dropFirst()) }
        if verb == "shell" {
            Terminal.error(text(.shellNested))
            return 2
        }
        if verb == "continue" || verb == "abort" {
            Terminal.error(text(.shellNotStepping, ["command": verb]))
            return 2
        }
        let coach = coach()
        if verb == "answer" {
            // The student's answer to a lesson's question (checked by sim_answer).
            lastOutput = words.dropFirst().joined(separator: " ")
            lastStatus = 0
            Terminal.line(text("lesson.answer", ["answer": lastOutput]))
            coach.afterCommand(output: lastOutput, status: 0)
            return 0
        }
        if let status = coach.builtin(verb, lastOutput: lastOutput, lastStatus: lastStatus) { return status }
        if let status = ShellBuiltins.run(words, context: &context) { return status }
        // In a lesson, keep a copy of the output for its checks (not for a
        // terminal session: -t needs the real terminal on stdout).
        let inLesson = coach.engine().active() != nil
        let capture = inLesson && !Self.wantsTerminal(words) ? OutputCapture() : nil
        var lineContext = context
        lineContext.terminal = .current()  // after the capture: the command sees where its output goes
        let status = BoxlabMain.execute(words, context: lineContext)
        lastOutput = capture?.finish() ?? ""
        lastStatus = status
        // `lesson start|stop|reset` move the shell into a sandbox or back home.
        if verb == "lesson" { context = self.coach().followingLesson() }
        if inLesson || verb == "lesson" { self.coach().afterCommand(output: lastOutput, status: status) }
        if status != 0 && !source.isInteractive {
            Terminal.error("\(source.name):\(source.lineNumber): " + text(.shellExitCode, ["code": String(status)]))
        }
        return status
    }

    /// run/create/exec/start with -t need the real terminal on stdout (not
    /// `build -t NAME`, `stop -t 5`, or a -t of the container's own command).
    static func wantsTerminal(_ words: [String]) -> Bool {
        guard let verb = words.first, ["run", "create", "exec", "start"].contains(verb) else { return false }
        let takesValue: Set<String> = ["--name", "-e", "--env", "-w", "--workdir", "-v", "--volume", "-m", "--memory",
                                       "--cpus", "--pids-limit", "--hostname", "--entrypoint", "-p", "--publish",
                                       "--network", "--root", "--narrate"]
        var index = 1
        while index < words.count, words[index].hasPrefix("-") {
            let word = words[index]
            if word == "--tty" || (!word.hasPrefix("--") && word.dropFirst().contains("t")) { return true }
            index += takesValue.contains(word) ? 2 : 1
        }
        return false  // the first positional (image or container) ends boxlab's flags
    }

    /// `run --step`: a nested prompt at a stage. Any command works here
    /// (inspect, ps, ls); `continue` goes on, `abort` tears down.
    func pause(at stage: CreationStage) -> Bool {
        steppingAt = stage
        defer { steppingAt = nil }
        Terminal.write(text(.shellStepWaiting, ["stage": stage.rawValue]) + "\n", fd: 2)
        while let line = source.next(prompt: prompt(), completer: Completer(context: context)) {
            let words = ((try? LineTokenizer.split(line)) ?? []).filter { $0 != "docker" && $0 != "boxlab" }
            switch words.first {
            case "continue": return true
            case "abort":
                Terminal.write(text(.shellStepAborted) + "\n", fd: 2)
                return false
            default:
                _ = execute(line)
                if leaving {
                    Terminal.write(text(.shellStepAborted) + "\n", fd: 2)
                    return false
                }
            }
        }
        Terminal.write(text(.shellStepNoInput) + "\n", fd: 2)
        return false
    }

    /// `exit [N]`: ends the session the way Ctrl-D does (the goodbye comes
    /// from `run`); N (0-255, as sh) becomes the shell's exit status.
    private func leave(_ arguments: ArraySlice<String>) -> Int32 {
        if let argument = arguments.first {
            guard arguments.count == 1, let code = Int32(argument), (0...255).contains(code) else {
                Terminal.error(text(.shellExitUsage, ["argument": arguments.joined(separator: " ")]))
                return 2
            }
            exitStatus = code
        }
        leaving = true
        return exitStatus ?? 0
    }

    /// Leaving the shell leaves detached containers running, and says so.
    func sayGoodbye() {
        let running = context.runtime().allContainers()
            .filter { $0.state.status.hasProcess }
        if running.isEmpty {
            Terminal.line(text(.shellBye))
        } else {
            Terminal.line(text(.shellByeRunning, ["count": String(running.count),
                                                  "names": running.map(\.name).joined(separator: ", ")]))
        }
    }
}
