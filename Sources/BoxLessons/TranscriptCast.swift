import BoxJSON

/// A transcript as an asciicast v2 recording, for asciinema's player: a
/// header line {version: 2, width, height, timestamp, title, env}, then one
/// event per line, [seconds, code, data]: "o" what the terminal showed (the
/// prompt, the echoed command, its output), "i" what the student typed, and
/// an "m" marker at each lesson step completed, so the player can jump
/// from step to step.
public enum TranscriptCast {
    public static let prompt = "boxlab> "

    public static func render(_ transcript: Transcript, title: String? = nil) -> String {
        let header = transcript.header ?? TranscriptHeader()
        let who = header.student.isEmpty ? "" : " — " + header.student
        let lessons = header.lessons.isEmpty ? "" : " — " + header.lessons.joined(separator: ", ")
        var members: [(String, JSON)] = [
            ("version", .int(2)), ("width", .int(max(1, header.cols))), ("height", .int(max(1, header.rows))),
        ]
        if let timestamp = unixSeconds(rfc3339: header.started) { members.append(("timestamp", .int(timestamp))) }
        members.append(("title", .string(title ?? "boxlab" + who + lessons)))
        members.append(("env", .object([("SHELL", .string("boxlab shell")), ("TERM", .string("xterm-256color"))])))
        var lines = [JSON.object(members).serialized()]
        var clock = 0.0
        func event(_ seconds: Double, _ code: String, _ data: String) {
            clock = max(clock, seconds)
            let rounded = (clock * 1_000_000).rounded() / 1_000_000
            lines.append(JSON.array([.number(rounded), .string(code), .string(data)]).serialized())
        }
        for command in transcript.commands {
            let start = Double(command.startedMs) / 1000
            event(start, "o", prompt)
            event(start, "i", command.line + "\r")
            event(start, "o", command.line + "\r\n")
            let end = Double(command.startedMs + command.durationMs) / 1000
            if let output = command.output, !output.isEmpty { event(end, "o", crlf(output)) }
            for checkpoint in command.checkpoints { event(end, "m", checkpoint.description) }
        }
        event(clock, "o", prompt)
        return lines.joined(separator: "\n") + "\n"
    }

    /// "\n" → "\r\n", as a terminal in cooked mode shows output.
    static func crlf(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var previous: Character?
        for character in text {
            if character == "\n" && previous != "\r" { out.append("\r") }
            out.append(character)
            previous = character
        }
        return out
    }

    /// Seconds since the epoch of "2026-11-25T15:04:17.123Z" (nil if it is not RFC 3339 UTC).
    public static func unixSeconds(rfc3339 text: String) -> Int? {
        let digits = Array(text.utf8)
        guard digits.count >= 19, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              digits[10] == UInt8(ascii: "T"), digits[13] == UInt8(ascii: ":"), digits[16] == UInt8(ascii: ":") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in digits[from..<(from + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        // Days from the civil date (proleptic Gregorian), Howard Hinnant's method.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86400 + hour * 3600 + minute * 60 + second
    }
}
