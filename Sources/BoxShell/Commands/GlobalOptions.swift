#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxOS
import BoxRuntime

/// Options every verb takes: where state lives and how much to narrate.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "State directory (default $BOXLAB_ROOT or /var/lib/boxlab).")
    var root: String?

    @Option(name: .long, help: "Narration: quiet (docker's output only), normal, or deep.")
    var narrate: NarrationLevel?

    /// docker takes global flags before the verb (`boxlab --root X ps`);
    /// ArgumentParser wants them on the subcommand, so they are moved
    /// after the verb before parsing.
    static func movingLeadingGlobals(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--root" || argument == "--narrate" {
                globals.append(argument)
                if index + 1 < arguments.count { globals.append(arguments[index + 1]) }
                index += 2
            } else if argument.hasPrefix("--root=") || argument.hasPrefix("--narrate=") {
                globals.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + globals + arguments[(index + 1)...]
    }

    /// The process environment as a dictionary (no Foundation ProcessInfo).
    static func environment() -> [String: String] {
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

    /// The runtime on the chosen root, made if missing (`create: false` for
    /// internal helpers such as `_reap`, which must not bring back a root
    /// that was removed meanwhile).
    func makeRuntime(create: Bool = true) throws -> Runtime {
        let path = rootPath
        if create { try FS.makeDirectories(path, mode: 0o711, stage: "state") }
        return Runtime(root: path, environment: Self.environment())
    }

    /// The state directory: --root, else $BOXLAB_ROOT, else /var/lib/boxlab.
    var rootPath: String {
        Path.absolute(root ?? Self.environment()["BOXLAB_ROOT"] ?? "/var/lib/boxlab")
    }

    /// quiet when stderr is not a terminal, so scripts see docker's output only.
    var level: NarrationLevel {
        if let narrate { return narrate }
        if let value = Self.environment()["BOXLAB_NARRATE"], let level = NarrationLevel(rawValue: value) { return level }
        return isatty(2) != 0 ? .normal : .quiet
    }

    /// `run --step`, or the crash-recovery tests' hold at a creation stage
    /// (BoxRuntime's DebugHold; `run --step` is the interactive form).
    func stepper(step: Bool = false) -> Stepper? {
        if step { return { stage in StepPrompt.pause(at: stage) } }
        let environment = Self.environment()
        guard let hold = environment[DebugHold.variable], CreationStage(rawValue: hold) != nil else { return nil }
        return { reached in
            DebugHold.at(reached.rawValue, environment: environment)
            return true
        }
    }

    /// The narrator for this command: level from --narrate / BOXLAB_NARRATE,
    /// language from BOXLAB_LANG (the shell's `lang` sets it), paths shown
    /// relative to this command's root.
    func narrator() -> Narrator {
        Narrator(level: level, color: Terminal.colorEnabled(fd: 2), language: Language.from(environment: Self.environment()),
                 root: rootPath)
    }

    func sink() -> EventSink {
        let narrator = narrator()
        return EventSink(wantsEvidence: level != .quiet) { event in narrator.render(event) }
    }
}

enum NarrationLevel: String, ExpressibleByArgument, CaseIterable, Sendable {
    case quiet, normal, deep
}
