#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxLessons
import BoxOS
import BoxRuntime

/// What one command runs with. The CLI builds it once from argv and the
/// process environment; the shell passes its own for each line. Nothing
/// below reads the environment or a global to learn where or how to run.
struct CommandContext {
    /// The state directory when neither --root nor $BOXLAB_ROOT says.
    static let defaultRoot = "/var/lib/boxlab"

    /// The process environment with this context's settings written in
    /// (as setenv once did), so children and the runtime see the same.
    private(set) var environment: [String: String]
    /// Where this command's state lives: a lesson's sandbox while one is active in the shell.
    var root: String { didSet { environment["BOXLAB_ROOT"] = root } }
    /// The root outside lessons, once the shell or --root fixed it.
    var homeRoot: String? { didSet { environment["BOXLAB_HOME_ROOT"] = homeRoot } }
    var language: Language { didSet { environment["BOXLAB_LANG"] = language.rawValue } }
    var level: NarrationLevel { didSet { environment["BOXLAB_NARRATE"] = level.rawValue } }
    var terminal: TerminalFacts
    /// `run --step`'s prompt: the shell's own input, or a one-off prompt from the CLI.
    var stagePrompt: StagePrompt?
    /// The shell's transcript recording; nil outside the shell.
    var recording: Recording?

    init(environment: [String: String], terminal: TerminalFacts = .current()) {
        self.environment = environment
        self.terminal = terminal
        root = Path.absolute(environment["BOXLAB_ROOT"] ?? Self.defaultRoot)
        homeRoot = environment["BOXLAB_HOME_ROOT"].map(Path.absolute)
        language = Language.from(environment: environment)
        // quiet when stderr is not a terminal, so scripts see docker's output only.
        level = environment["BOXLAB_NARRATE"].flatMap(NarrationLevel.init) ?? (terminal.stderr ? .normal : .quiet)
    }

    /// The context of a process: its environment, its terminal.
    static func process() -> CommandContext { CommandContext(environment: processEnvironment()) }

    /// This context with a command's --root and --narrate laid over it.
    func applying(_ global: GlobalOptions) -> CommandContext {
        var context = self
        if let root = global.root {
            context.root = Path.absolute(root)
            if context.homeRoot == nil { context.homeRoot = context.root }
        }
        if let narrate = global.narrate { context.level = narrate }
        return context
    }

    var text: Localizer { Localizer(language) }

    /// The root lessons start from: home, else the current root.
    var lessonHome: String { homeRoot ?? root }

    /// The runtime on this root, as it is (internal helpers such as `_reap`
    /// must not bring back a root that was removed meanwhile).
    func runtime() -> Runtime { Runtime(root: root, environment: environment) }

    /// The runtime on this root, made if missing.
    func makeRuntime() throws -> Runtime {
        try FS.makeDirectories(root, mode: 0o711, stage: "state")
        return runtime()
    }

    /// `run --step`, or the crash-recovery tests' hold at a creation stage
    /// (BoxRuntime's DebugHold; `run --step` is the interactive form).
    func stepper(step: Bool = false) -> Stepper? {
        if step, let stagePrompt { return { stage in stagePrompt.pause(stage) } }
        let environment = environment
        guard let hold = environment[DebugHold.variable], CreationStage(rawValue: hold) != nil else { return nil }
        return { reached in
            DebugHold.at(reached.rawValue, environment: environment)
            return true
        }
    }

    /// The narrator for this command, paths shown relative to its root.
    func narrator() -> Narrator {
        Narrator(level: level, color: terminal.colorErr, language: language, root: root)
    }

    func sink() -> EventSink {
        let narrator = narrator()
        return EventSink(wantsEvidence: level != .quiet) { event in narrator.render(event) }
    }

    /// The process environment as a dictionary (no Foundation ProcessInfo).
    private static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// What the standard descriptors are, read when the context is made (the
/// shell makes one per line, after it may have captured stdout).
struct TerminalFacts {
    var stdin: Bool
    var stdout: Bool
    var stderr: Bool
    var colorOut: Bool
    var colorErr: Bool

    static func current() -> TerminalFacts {
        TerminalFacts(stdin: isatty(0) != 0, stdout: isatty(1) != 0, stderr: isatty(2) != 0,
                      colorOut: Terminal.colorEnabled(fd: 1), colorErr: Terminal.colorEnabled(fd: 2))
    }
}

/// `run --step`'s pause at a stage; false aborts the creation. The runtime
/// calls it synchronously on the command's own thread, so the session
/// behind it need not be Sendable.
struct StagePrompt: @unchecked Sendable {
    let pause: (CreationStage) -> Bool
}

/// The shell's recording, which `record start|stop|export` reach through the context.
final class Recording {
    var recorder: SessionRecorder?
    /// The last transcript this session recorded (for `record export` after `record stop`).
    var lastPath: String?
}

/// A verb that does its work with a context. ArgumentParser calls `run()`;
/// the shell calls `run(context:)` with its own.
protocol ContextCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func run(context: CommandContext) throws
}

extension ContextCommand {
    func run() throws { try run(context: BoxlabMain.processContext().applying(global)) }
}

enum NarrationLevel: String, ExpressibleByArgument, CaseIterable, Sendable {
    case quiet, normal, deep
}
