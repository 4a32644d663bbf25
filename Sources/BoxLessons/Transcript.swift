#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS

/// A recorded lab session: what a student typed, what each command printed,
/// how it ended and which lesson steps it completed.
///
/// On disk it is JSON lines (one object per line, appended and written with
/// one write() per line, so a crash keeps every command that finished):
///
///     {"type":"header","version":1,"boxlab":"0.2.0","lessons":["06-lifecycle"],"student":"kim",
///      "started":"2026-11-25T15:04:17.123456789Z","terminal":{"cols":80,"rows":24},
///      "root":"/home/kim/lab","narrate":"normal","lang":"en"}
///     {"type":"command","line":"create --name cycle busybox sleep 300","output":"…","status":0,
///      "started_ms":5120,"duration_ms":48,"checkpoints":[{"lesson":"06-lifecycle","step":1}],"input_line":3}
///     {"type":"resume","started":"…","offset_ms":90210}      (a later shell went on recording)
///     {"type":"end","ended":"…","commands":6}                  (record stop / end of the shell)
///
/// `started_ms` counts from the header's start; `step` is 1-based, as the
/// shell shows it. `root`, `narrate` and `lang` let a replay compare outputs
/// like with like. A grader never trusts `output` or `checkpoints`: it
/// replays `line`s and compares.
public struct Transcript: Sendable {
    public static let version = 1
    /// Larger transcripts are refused (a session's outputs are capped at 1 MiB each).
    public static let maxBytes = 16 << 20

    public var file: String
    /// nil for a plain command script (one command per line).
    public var header: TranscriptHeader?
    public var commands: [TranscriptCommand]
    /// Set when the recording was stopped cleanly.
    public var ended: String?

    public var isScript: Bool { header == nil }

    public init(file: String, header: TranscriptHeader?, commands: [TranscriptCommand], ended: String? = nil) {
        self.file = file
        self.header = header
        self.commands = commands
        self.ended = ended
    }

    /// Every checkpoint the transcript claims, in order.
    public var claimedCheckpoints: [(command: Int, checkpoint: Checkpoint)] {
        commands.enumerated().flatMap { index, command in command.checkpoints.map { (index, $0) } }
    }
}

public struct TranscriptHeader: Sendable, Equatable {
    public var version: Int = Transcript.version
    public var boxlab: String = ""
    public var lessons: [String] = []
    public var student: String = ""
    public var started: String = ""
    public var cols: Int = 80
    public var rows: Int = 24
    /// The boxlab root the session ran in (its lessons' sandboxes are under it).
    public var root: String?
    public var narrate: String?
    public var lang: String?

    public init() {}

    public var json: JSON {
        .object([
            ("type", .string("header")), ("version", .int(version)), ("boxlab", .string(boxlab)),
            ("lessons", .strings(lessons)), ("student", .string(student)), ("started", .string(started)),
            ("terminal", .object([("cols", .int(cols)), ("rows", .int(rows))])),
            ("root", .optional(root)), ("narrate", .optional(narrate)), ("lang", .optional(lang)),
        ])
    }
}

/// A lesson step a command completed (1-based step).
public struct Checkpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var lesson: String
    public var step: Int

    public init(lesson: String, step: Int) {
        self.lesson = lesson
        self.step = step
    }

    public static func < (a: Checkpoint, b: Checkpoint) -> Bool { (a.lesson, a.step) < (b.lesson, b.step) }
    public var description: String { "\(lesson) step \(step)" }
    public var json: JSON { .object([("lesson", .string(lesson)), ("step", .int(step))]) }
}

public struct TranscriptCommand: Sendable, Equatable {
    public var line: String
    /// nil in a plain script (nothing was recorded).
    public var output: String?
    public var status: Int?
    public var startedMs: Int = 0
    public var durationMs: Int = 0
    public var checkpoints: [Checkpoint] = []
    /// The shell's input line number (a script's line); nil if not recorded.
    public var inputLine: Int?
    /// The output was not captured (a -t command owns the terminal).
    public var tty = false
    /// Where it is in its file (for messages).
    public var fileLine: Int = 0

    public init(line: String, output: String? = nil, status: Int? = nil) {
        self.line = line
        self.output = output
        self.status = status
    }

    public var json: JSON {
        var members: [(String, JSON)] = [
            ("type", .string("command")), ("line", .string(line)), ("output", .optional(output)),
            ("status", status.map { .int($0) } ?? .null), ("started_ms", .int(startedMs)), ("duration_ms", .int(durationMs)),
            ("checkpoints", .array(checkpoints.map(\.json))),
        ]
        if let inputLine { members.append(("input_line", .int(inputLine))) }
        if tty { members.append(("tty", .bool(true))) }
        return .object(members)
    }
}

/// A transcript that cannot be used, with the place: "class/kim.jsonl:7: …".
public struct TranscriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

extension Transcript {
    /// How a file that does not look like JSON lines is taken.
    public enum ScriptMode: Sendable {
        /// Only FILE.boxlab is a plain command script (grading: anything else must be a transcript).
        case byExtension
        /// Also any file whose first character is not "{" (replay).
        case sniff
    }

    /// Reads and checks a transcript (or a plain script), refusing files over `maxBytes`.
    public static func load(_ path: String, scripts: ScriptMode = .byExtension) throws(TranscriptError) -> Transcript {
        let status: FileStatus
        do { status = try FS.status(path) } catch {
            throw TranscriptError(file: path, line: 1, message: "cannot read the file: \(error)")
        }
        if status.isDirectory { throw TranscriptError(file: path, line: 1, message: "a directory, not a transcript") }
        if status.size > Int64(maxBytes) {
            throw TranscriptError(file: path, line: 1, message: "the transcript is \(megabytes(Int(status.size))) MiB, over the \(maxBytes >> 20) MiB limit")
        }
        let bytes: [UInt8]
        do { bytes = try FS.read(path) } catch {
            throw TranscriptError(file: path, line: 1, message: "cannot read the file: \(error)")
        }
        return try parse(bytes, file: path, scripts: scripts)
    }

    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10)"
    }

    public static func parse(_ bytes: [UInt8], file: String, scripts: ScriptMode = .byExtension) throws(TranscriptError) -> Transcript {
        if bytes.count > maxBytes {
            throw TranscriptError(file: file, line: 1, message: "the transcript is \(megabytes(bytes.count)) MiB, over the \(maxBytes >> 20) MiB limit")
        }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard let first else { throw TranscriptError(file: file, line: 1, message: "the transcript is empty") }
        let isScript = file.hasSuffix(".boxlab") || (scripts == .sniff && first != UInt8(ascii: "{"))
        return isScript ? parseScript(bytes, file: file) : try parseLines(bytes, file: file)
    }

    /// A plain command script: one command per line; blank lines and # comments skipped.
    static func parseScript(_ bytes: [UInt8], file: String) -> Transcript {
        var commands: [TranscriptCommand] = []
        for (index, raw) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            var command = TranscriptCommand(line: line)
            command.fileLine = index + 1
            command.inputLine = index + 1
            commands.append(command)
        }
        return Transcript(file: file, header: nil, commands: commands)
    }

    static func parseLines(_ bytes: [UInt8], file: String) throws(TranscriptError) -> Transcript {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = bytes.last == UInt8(ascii: "\n")
        if endsWithNewline { lines.removeLast() }
        var transcript = Transcript(file: file, header: nil, commands: [])
        var header: TranscriptHeader?
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let isLast = index == lines.count - 1
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                if header == nil { throw TranscriptError(file: file, line: number, message: "the first line must be the header") }
                continue
            }
            let json: JSON
            do { json = try JSON.parse(Array(raw)) } catch {
                if isLast && !endsWithNewline {
                    throw TranscriptError(file: file, line: number, message: "truncated: the last line is cut off (\(error.message))")
                }
                throw TranscriptError(file: file, line: number, message: "not JSON: \(error.message) at column \(error.column)")
            }
            guard json.objectValue != nil, let type = json["type"]?.stringValue else {
                throw TranscriptError(file: file, line: number, message: "expected a JSON object with a \"type\"")
            }
            if header == nil {
                guard type == "header" else {
                    throw TranscriptError(file: file, line: number, message: "the first line must be the header ({\"type\":\"header\",\"version\":\(version),…}), not \"\(type)\"")
                }
                header = try parseHeader(json, file: file, line: number)
                continue
            }
            if transcript.ended != nil && type != "resume" {
                throw TranscriptError(file: file, line: number, message: "\"\(type)\" after the end of the recording")
            }
            switch type {
            case "command":
                var command = try parseCommand(json, file: file, line: number)
                command.fileLine = number
                transcript.commands.append(command)
            case "end":
                transcript.ended = json["ended"]?.stringValue ?? ""
            case "resume":
                transcript.ended = nil
            case "header":
                throw TranscriptError(file: file, line: number, message: "a second header (two transcripts joined?)")
            default:
                break  // a later minor format may add kinds of lines; they do not change the grade
            }
        }
        guard let header else { throw TranscriptError(file: file, line: 1, message: "the transcript is empty") }
        transcript.header = header
        return transcript
    }

    static func parseHeader(_ json: JSON, file: String, line: Int) throws(TranscriptError) -> TranscriptHeader {
        guard let version = json["version"]?.intValue else {
            throw TranscriptError(file: file, line: line, message: "the header has no \"version\"")
        }
        guard version == Transcript.version else {
            throw TranscriptError(file: file, line: line, message: "transcript version \(version) is not supported (this boxlab reads version \(Transcript.version))")
        }
        var header = TranscriptHeader()
        header.version = version
        header.boxlab = json["boxlab"]?.stringValue ?? ""
        header.lessons = json["lessons"]?.stringArray ?? []
        header.student = json["student"]?.stringValue ?? ""
        header.started = json["started"]?.stringValue ?? ""
        header.cols = json["terminal"]?["cols"]?.intValue ?? 80
        header.rows = json["terminal"]?["rows"]?.intValue ?? 24
        header.root = json["root"]?.stringValue
        header.narrate = json["narrate"]?.stringValue
        header.lang = json["lang"]?.stringValue
        return header
    }

    static func parseCommand(_ json: JSON, file: String, line: Int) throws(TranscriptError) -> TranscriptCommand {
        guard let text = json["line"]?.stringValue else {
            throw TranscriptError(file: file, line: line, message: "a command without a \"line\" string")
        }
        var command = TranscriptCommand(line: text, output: json["output"]?.stringValue, status: json["status"]?.intValue)
        command.startedMs = json["started_ms"]?.intValue ?? 0
        command.durationMs = json["duration_ms"]?.intValue ?? 0
        command.inputLine = json["input_line"]?.intValue
        command.tty = json["tty"]?.boolValue ?? false
        for item in json["checkpoints"]?.arrayValue ?? [] {
            guard let lesson = item["lesson"]?.stringValue, let step = item["step"]?.intValue else {
                throw TranscriptError(file: file, line: line, message: "a checkpoint needs \"lesson\" and \"step\"")
            }
            command.checkpoints.append(Checkpoint(lesson: lesson, step: step))
        }
        return command
    }
}

/// Appends a transcript one line at a time (O_APPEND, one write() per line).
public final class TranscriptWriter {
    public let path: String
    private let fd: Int32
    /// CLOCK_MONOTONIC ms at the header's start (shifted back when resuming).
    private let base: Int64
    public private(set) var count = 0
    public private(set) var isOpen = true

    /// Starts `path`, or goes on with it when it already holds a transcript
    /// (a shell restarted after a crash): commands are appended after a
    /// "resume" line, their times continuing from the last one.
    public init(path: String, header: TranscriptHeader) throws(TranscriptError) {
        self.path = path
        var existing: Transcript?
        if let status = try? FS.status(path), status.size > 0 {
            do { existing = try Transcript.load(path) } catch {
                throw TranscriptError(file: path, line: error.line, message: "exists and is not a transcript to go on with: \(error.message)")
            }
            if existing?.isScript == true {
                throw TranscriptError(file: path, line: 1, message: "exists and is not a transcript to go on with")
            }
        }
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (existing == nil ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        if fd < 0 { throw TranscriptError(file: path, line: 1, message: "cannot write: \(SysError.current("record", "open", path).reason)") }
        self.fd = fd
        if let existing {
            let last = existing.commands.last.map { $0.startedMs + $0.durationMs } ?? 0
            let offset = last + 1000
            base = Clock.monotonicMs() - Int64(offset)
            count = existing.commands.count
            write(.object([("type", .string("resume")), ("started", .string(Clock.rfc3339(Clock.nowNanos()))),
                           ("offset_ms", .int(offset))]))
        } else {
            base = Clock.monotonicMs()
            write(header.json)
        }
    }

    deinit { if isOpen { close(fd) } }

    /// Milliseconds since the transcript's start.
    public func elapsedMs() -> Int { Int(Clock.monotonicMs() - base) }

    public func append(_ command: TranscriptCommand) {
        guard isOpen else { return }
        write(command.json)
        count += 1
    }

    /// Writes the "end" line and closes.
    public func finish() {
        guard isOpen else { return }
        write(.object([("type", .string("end")), ("ended", .string(Clock.rfc3339(Clock.nowNanos()))), ("commands", .int(count))]))
        close(fd)
        isOpen = false
    }

    private func write(_ json: JSON) {
        try? FS.writeAll(fd: fd, Array((json.serialized() + "\n").utf8), stage: "record", path: path)
    }
}
