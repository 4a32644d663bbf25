#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxOS
import BoxSim

/// What the simulation commands share: the localized names of kinds,
/// stages and reasons, an 80-column table that counts Hangul as two
/// columns, word wrapping, and the host facts they read live.
struct SimText {
    let text: Localizer

    init(_ context: CommandContext) {
        text = context.text
    }

    init(language: Language) { text = Localizer(language) }

    func callAsFunction(_ key: MessageKey, _ values: [String: String] = [:]) -> String { text(key, values) }

    func kind(_ kind: MachineKind) -> String { text(MessageKey("sim.kind." + kind.rawValue)) }
    func stage(_ id: Stage.ID) -> String { text(MessageKey("sim.stage." + id.rawValue)) }
    func reason(_ reason: Unsupported) -> String { text(MessageKey("sim.reason." + reason.rawValue)) }
    func why(_ why: CrashWhy) -> String { text(MessageKey("sim.why." + why.rawValue)) }
    func state(_ state: InstanceState) -> String { text(MessageKey("sim.state." + state.rawValue)) }
    func guest(_ guest: GuestOS) -> String { text(MessageKey("sim.guest." + guest.rawValue)) }
    func yes(_ flag: Bool) -> String { text(flag ? .simYes : .simNo) }

    /// "1.4 MiB", or "—" for nothing.
    func size(_ bytes: Int64?) -> String {
        guard let bytes, bytes > 0 else { return "—" }
        return Size.format(bytes)
    }

    func duration(_ ms: Double) -> String { Size.duration(ms) }

    /// "3 minutes ago" in the language (Clock.humanDuration is English only).
    func ago(_ nanos: Int64) -> String {
        let seconds = max(0, nanos / 1_000_000_000)
        let (value, unit): (Int64, String) =
            seconds < 60 ? (seconds, "s") : seconds < 3600 ? (seconds / 60, "m") : seconds < 86400 ? (seconds / 3600, "h") : (seconds / 86400, "d")
        return text(MessageKey("sim.ago." + unit), ["n": String(value)])
    }

    /// The "(simulated)" banner every simulated output starts with.
    var simulatedLabel: String { text(.simLabel) }
}

/// Tables for the simulation: columns sized by display width (Hangul is
/// two columns wide), two spaces between columns, trailing spaces cut.
enum SimTable {
    static func render(_ rows: [[String]], gap: Int = 2) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) } }
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell.padded(to: widths[index] + gap)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// Joins `items` with `separator`, breaking lines only between items.
    static func wrapItems(_ items: [String], separator: String, width: Int = 80, indent: String) -> String {
        var lines: [String] = []
        var current = indent
        for item in items {
            let candidate = current == indent ? current + item : current + separator + item
            if candidate.displayWidth > width && current != indent {
                lines.append(current)
                current = indent + item
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Word-wraps `text` to `width` display columns; continuation lines get `indent`.
    static func wrap(_ text: String, width: Int = 80, indent: String = "", firstIndent: String = "") -> String {
        var lines: [String] = []
        var current = firstIndent
        var currentHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = currentHasWord ? current + " " + word : current + word
            if candidate.displayWidth > width && currentHasWord {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
            currentHasWord = true
        }
        if currentHasWord || lines.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Facts about this host, read now.
enum HostFacts {
    /// MemTotal from /proc/meminfo, in bytes.
    static func memoryBytes() -> Int64 {
        guard let text = FS.readTextIfPresent("/proc/meminfo") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let number = line.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
            return number * 1024
        }
        return 0
    }

    static func cpus() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs a simulation command body, turning `SimError` into a localized
/// one-line error and docker-like exit codes: 1 for an operation the model
/// refuses (`.unsupported`), 125 for everything else.
func simulating(_ text: SimText, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as SimError {
        Terminal.error(error, text.text)
        throw ExitCode(error.exitCode)
    }
}
