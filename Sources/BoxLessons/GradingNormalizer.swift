/// Makes two runs' outputs comparable: what differs between any two runs of
/// the same commands (container and image ids, PIDs, namespace inode
/// numbers, times, durations, sizes, generated names, the root directory,
/// colours, column padding) is replaced by a placeholder, so a difference
/// left over is one the commands did not cause.
public struct OutputNormalizer: Sendable {
    /// Literal text replaced first (longest first): roots, the replay's host directory.
    public var literals: [(String, String)]

    public init(literals: [(String, String)] = []) {
        self.literals = literals.filter { !$0.0.isEmpty }.sorted { $0.0.count > $1.0.count }
    }

    static let phrases: [(String, String)] = [
        ("Less than a second", "<n>"), ("About a minute", "<n>"), ("About an hour", "<n>"),
        ("less than a second", "<n>"), ("about a minute", "<n>"), ("about an hour", "<n>"),
    ]
    static let units: Set<String> = [
        "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
        "week", "weeks", "month", "months", "year", "years", "B", "kB", "KB", "KiB", "MB", "MiB", "GB", "GiB", "K", "M", "G",
    ]

    /// The normalized, non-empty lines of `text`.
    public func lines(_ text: String) -> [String] {
        var text = Self.stripEscapes(text)
        for (from, to) in literals + Self.phrases { text = Self.replacing(text, from, to) }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { raw in
            let line = normalizeLine(Substring(raw))
            return line.isEmpty ? nil : line
        }
    }

    /// Removes ANSI escape sequences and carriage returns.
    static func stripEscapes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\r" { continue }
            guard scalar == "\u{1B}" else { out.append(scalar); continue }
            guard let next = iterator.next() else { break }
            if next == "[" {
                while let c = iterator.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
            } else if next == "]" {
                while let c = iterator.next(), c != "\u{07}", c != "\u{1B}" {}
            }
        }
        return String(out)
    }

    static func replacing(_ text: String, _ from: String, _ to: String) -> String {
        guard text.contains(from) else { return text }
        var out = ""
        var rest = text[...]
        while let range = rest.firstRange(of: from) {
            out += rest[..<range.lowerBound]
            out += to
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }

    static func isHex(_ word: Substring) -> Bool {
        word.allSatisfy { $0.isHexDigit }
    }

    /// "boxlab: /path/to/script.boxlab:8: exit status 1" → "boxlab: <script>: exit status 1":
    /// a script-mode shell names its input and line, which differ between a
    /// recorded script and the replay's.
    static func withoutScriptLocation(_ line: Substring) -> Substring {
        let prefix = "boxlab: "
        guard line.hasPrefix(prefix) else { return line }
        let rest = line.dropFirst(prefix.count)
        let token = rest.prefix { $0 != " " }
        guard token.hasSuffix(":") else { return line }
        let parts = token.dropLast().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let last = parts.last, !last.isEmpty, last.allSatisfy(\.isNumber) else { return line }
        return Substring(prefix + "<script>:" + rest.dropFirst(token.count))
    }

    /// One line: words classified and replaced, spacing collapsed.
    func normalizeLine(_ raw: Substring) -> String {
        let line = Self.withoutScriptLocation(raw)
        var tokens: [String] = []   // words and single punctuation characters; spaces dropped
        var index = line.startIndex
        var spaced: [Bool] = []     // whether a space came before each token
        var sawSpace = false
        while index < line.endIndex {
            let c = line[index]
            if c == " " || c == "\t" {
                sawSpace = true
                index = line.index(after: index)
                continue
            }
            if Self.isWordCharacter(c) {
                var end = index
                while end < line.endIndex, Self.isWordCharacter(line[end]) { end = line.index(after: end) }
                tokens.append(String(line[index..<end]))
                index = end
            } else {
                tokens.append(String(c))
                index = line.index(after: index)
            }
            spaced.append(sawSpace)
            sawSpace = false
        }
        var out: [String] = []
        var outSpaced: [Bool] = []
        var i = 0
        while i < tokens.count {
            let word = tokens[i]
            var replacement: String?
            var consumed = 1
            if let first = word.first, first.isASCII, first.isNumber || first.isLetter {
                let digits = word.prefix { $0.isNumber }
                let previous = out.suffix(2).joined()
                if word.count >= 12 && Self.isHex(word[...]) && word.contains(where: \.isNumber) {
                    replacement = "<id>"
                } else if word.count >= 2, word.contains("_"), word.split(separator: "_").count == 2,
                          word.allSatisfy({ $0 == "_" || ($0.isLowercase && $0.isLetter) }) {
                    replacement = "<name>"  // a generated container name, adjective_surname
                } else if !digits.isEmpty {
                    let suffix = word.dropFirst(digits.count)
                    if digits.count == word.count || Self.units.contains(String(suffix)) {
                        let pidLike = previous.hasSuffix("PID") || previous.hasSuffix("pid") || previous.hasSuffix(":[")
                        if digits.count >= 4 || pidLike || !suffix.isEmpty { replacement = "<n>" }
                        // 12.5, 15:04:17, 2.0 MiB, 48 ms
                        while i + consumed + 1 < tokens.count, [".", ":"].contains(tokens[i + consumed]),
                              !spaced[i + consumed], tokens[i + consumed + 1].first?.isNumber == true {
                            replacement = "<n>"
                            consumed += 2
                        }
                        if i + consumed < tokens.count, Self.units.contains(tokens[i + consumed]), replacement != nil || digits.count == word.count {
                            replacement = "<n>"
                            consumed += 1
                        }
                    }
                }
            }
            out.append(replacement ?? word)
            outSpaced.append(spaced[i])
            i += consumed
        }
        var result = ""
        for (index, token) in out.enumerated() {
            if index > 0 && outSpaced[index] { result += " " }
            result += token
        }
        return Self.sortingLists(result)
    }

    /// "second, first" → "first, second": lists whose order a run does not
    /// fix (the containers sharing a layer) compare equal in any order.
    static func sortingLists(_ line: String) -> String {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var index = 0
        while index < fields.count {
            guard fields[index].hasSuffix(","), fields[index].count > 1 else {
                out.append(fields[index])
                index += 1
                continue
            }
            var items: [String] = []
            while index < fields.count, fields[index].hasSuffix(","), fields[index].count > 1 {
                items.append(String(fields[index].dropLast()))
                index += 1
            }
            if index < fields.count { items.append(fields[index]); index += 1 }
            let sorted = items.sorted()
            out += sorted.enumerated().map { $0.offset < sorted.count - 1 ? $0.element + "," : $0.element }
        }
        return out.joined(separator: " ")
    }

    /// The first pair of lines that differ (nil when the outputs match).
    /// Lines compare as a set with repeats: the order of lines a run does
    /// not fix (processes, concurrent output) does not count; their content does.
    public func difference(recorded: String, replayed: String) -> (recorded: String, replayed: String)? {
        let a = lines(recorded), b = lines(replayed)
        if a == b || a.sorted() == b.sorted() { return nil }
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? a[index] : "(nothing)"
            let right = index < b.count ? b[index] : "(nothing)"
            if left != right { return (left, right) }
        }
        return nil
    }
}
