#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Records the shell's commands into a transcript (see `Transcript`): each
/// command's line, output, exit status, timing and the lesson steps it
/// completed, appended as it finishes.
public final class SessionRecorder {
    public let writer: TranscriptWriter
    let split: (String) -> [String]?
    let capture: () -> (() -> String)?
    public var path: String { writer.path }

    /// Begins the transcript at `path` (made absolute) with `header`.
    /// `split` is the shell's tokenizer; `capture` starts capturing what a
    /// command prints and answers how to stop and read it (nil: it could not).
    public init(path: String, header: TranscriptHeader, split: @escaping (String) -> [String]?,
                capture: @escaping () -> (() -> String)?) throws(TranscriptError) {
        writer = try TranscriptWriter(path: Path.absolute(path), header: header)
        self.split = split
        self.capture = capture
    }

    /// Who is recording: $BOXLAB_STUDENT, else the user, else the uid.
    public static func student(_ environment: [String: String]) -> String {
        for key in ["BOXLAB_STUDENT", "USER", "SUDO_USER"] { if let value = environment[key], !value.isEmpty { return value } }
        return "uid\(getuid())"
    }

    /// Whether a line goes into the transcript: not blank lines and
    /// comments, not the `record` word itself.
    public static func records(_ words: [String]) -> Bool {
        var words = words
        if let first = words.first, first == "docker" || first == "boxlab" { words.removeFirst() }
        guard let verb = words.first else { return false }
        return verb != "record"
    }

    /// Runs `perform` for `line` and appends what it did.
    public func record(_ line: String, inputLine: Int, progress: () -> [String: Set<Int>], perform: () -> Int32) -> Int32 {
        let words = split(line) ?? [line]
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
        let finish = command.tty ? nil : capture()
        let status = perform()
        command.output = finish?() ?? ""
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

    public func finish() { writer.finish() }
}
