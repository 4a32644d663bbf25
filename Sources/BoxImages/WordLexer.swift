/// Shell-like word processing for Boxfile arguments, with the rules of
/// docker's own lexer (buildkit's frontend/dockerfile/shell), so a Boxfile
/// means here what it means to `docker build`:
/// - whitespace splits words; '…' is literal; "…" expands `$`, and in it the
///   escape character escapes only `"`, `$` and itself;
/// - the escape character (`\`, or a backtick after `# escape=`) takes the
///   next character literally; at the very end it is dropped;
/// - `$NAME`, `${NAME}`; `$1x` is `$1` then "x" (a name starting with a digit
///   is all its digits); `$@ $* $# $? $- $$ $! $0` are one-character names,
///   never set in a build, so they expand to "";
/// - `${V-w}` / `${V:-w}` w if V is unset / unset or empty; `${V+w}` /
///   `${V:+w}` w if V is set / set and not empty; `${V?m}` / `${V:?m}` fail
///   with m (or docker's words) if V is unset / unset or empty; w and m are
///   words themselves (quotes, escapes and `$` inside);
/// - `${V#p}` `${V##p}` `${V%p}` `${V%%p}` remove the shortest / longest
///   prefix / suffix matching the shell pattern p; `${V/p/r}` `${V//p/r}`
///   replace the first / every longest match (see ShellPattern).
/// Anything else in `${…}` fails as docker fails it.
struct WordLexer {
    var variables: [String: String]
    var location: SourceLocation
    var escape: Character = "\\"
    /// The parse-time check: `${V?}` does not fail there, as V may come from the base image.
    var checking = false

    /// All words of `text`.
    func words(_ text: String) throws -> [String] {
        var scanner = Scanner(lexer: self, text: text)
        return try scanner.words(split: true)
    }

    /// `text` as one word: quotes removed, variables expanded, spaces kept.
    func word(_ text: String) throws -> String {
        var scanner = Scanner(lexer: self, text: text)
        return try scanner.words(split: false).joined()
    }

    private struct Scanner {
        let lexer: WordLexer
        let text: String
        let chars: [Character]
        var index = 0

        init(lexer: WordLexer, text: String) {
            self.lexer = lexer
            self.text = text
            chars = Array(text)
        }

        var peek: Character? { index < chars.count ? chars[index] : nil }

        mutating func next() -> Character? {
            defer { index += 1 }
            return peek
        }

        func fail(_ key: String, _ values: [String: String] = [:]) -> ImageError {
            .build(key, lexer.location, values.merging(["text": text]) { mine, _ in mine })
        }

        /// Whitespace outside quotes splits words (when `split`); what an
        /// expansion yields is never split.
        mutating func words(split: Bool) throws -> [String] {
            var words: [String] = []
            var current = ""
            var inWord = false
            while let c = peek {
                if split && (c == " " || c == "\t" || c == "\n") {
                    if inWord { words.append(current); current = ""; inWord = false }
                    index += 1
                    continue
                }
                inWord = true
                current += try piece(raw: false)
            }
            if inWord { words.append(current) }
            return words
        }

        /// One quoted string, expansion, escaped or plain character. `raw`
        /// keeps escape characters (in patterns, as docker's rawEscapes).
        mutating func piece(raw: Bool) throws -> String {
            guard let c = peek else { return "" }
            if c == "$" { return try dollar() }
            index += 1
            switch c {
            case "'":
                guard let end = chars[index...].firstIndex(of: "'") else { throw fail("build.unterminatedQuote") }
                defer { index = end + 1 }
                return String(chars[index..<end])
            case "\"":
                return try doubleQuoted(raw: raw)
            case lexer.escape:
                guard let escaped = next() else { return raw ? String(c) : "" }
                return raw ? String([c, escaped]) : String(escaped)
            default:
                return String(c)
            }
        }

        mutating func doubleQuoted(raw: Bool) throws -> String {
            var result = ""
            while true {
                guard let c = peek else { throw fail("build.unterminatedQuote") }
                if c == "$" { result += try dollar(); continue }
                index += 1
                if c == "\"" { return result }
                var kept = c
                if c == lexer.escape {
                    if raw { result.append(c) }
                    if let escaped = peek, escaped == "\"" || escaped == "$" || escaped == lexer.escape {
                        kept = escaped
                        index += 1
                    } else if peek == nil {
                        continue  // the end: unterminated
                    }
                }
                result.append(kept)
            }
        }

        /// The text up to `stop` (consumed), as a word of its own.
        mutating func word(until stop: Character, raw: Bool) throws -> String {
            var result = ""
            do {
                while let c = peek {
                    if c == stop { index += 1; return result }
                    result += try piece(raw: raw)
                }
            } catch let error as ImageError where peek != nil {
                throw error
            } catch {
                // docker: an error that reaches the end is "missing '}'".
            }
            throw fail("build.badSubstitution")
        }

        static func isDigit(_ c: Character) -> Bool {
            c.unicodeScalars.count == 1 && c.unicodeScalars.first!.properties.generalCategory == .decimalNumber
        }

        mutating func name() -> String {
            guard let first = peek else { return "" }
            if Self.isDigit(first) {
                var digits = ""
                while let c = peek, Self.isDigit(c) { digits.append(c); index += 1 }
                return digits
            }
            if "@*#?-$!0".contains(first) { index += 1; return String(first) }
            var name = ""
            while let c = peek, c.isLetter || Self.isDigit(c) || c == "_" { name.append(c); index += 1 }
            return name
        }

        /// The expansion at "$" (chars[index]).
        mutating func dollar() throws -> String {
            index += 1
            guard peek == "{" else {
                let name = name()
                return name.isEmpty ? "$" : lexer.variables[name] ?? ""
            }
            index += 1
            guard let first = peek, first != "{", first != "}", first != ":" else { throw fail("build.badSubstitution") }
            let name = name()
            let value = lexer.variables[name]
            guard let op = next() else { throw fail("build.badSubstitution") }
            switch op {
            case "}":
                return value ?? ""
            case "/":
                let all = peek == "/"
                if all { index += 1 }
                let patternText = try word(until: "/", raw: true)
                let replacement = try word(until: "}", raw: true)
                return try pattern(patternText).replacing(in: value ?? "", with: replacement, all: all)
            case ":", "-", "+", "?", "#", "%":
                var kind = op
                var modifier = String(op)
                let colon = op == ":"
                if colon {
                    guard let second = next() else { throw fail("build.badSubstitution") }
                    kind = second
                    modifier.append(second)
                    if kind == "#" || kind == "%" { throw fail("build.unsupportedModifier", ["modifier": modifier]) }
                }
                let word = try word(until: "}", raw: kind == "#" || kind == "%")
                let isUnset = value == nil || (colon && value == "")
                switch kind {
                case "-": return isUnset ? word : value!
                case "+": return isUnset ? "" : word
                case "?":
                    if isUnset && !lexer.checking {
                        let key = !word.isEmpty ? "build.variableMessage" : value == nil ? "build.variableUnset" : "build.variableEmpty"
                        throw fail(key, ["name": name, "message": word])
                    }
                    return value ?? ""
                case "#", "%":
                    var patternText = Substring(word)
                    let longest = patternText.first == kind
                    if longest { patternText = patternText.dropFirst() }
                    let found = try pattern(String(patternText))
                    return kind == "#" ? found.trimmingPrefix(value ?? "", longest: longest)
                        : found.trimmingSuffix(value ?? "", longest: longest)
                default:
                    throw fail("build.unsupportedModifier", ["modifier": modifier])
                }
            default:
                throw fail("build.unsupportedModifier", ["modifier": String(op)])
            }
        }

        func pattern(_ text: String) throws -> ShellPattern {
            guard let pattern = ShellPattern(text) else { throw fail("build.badPattern", ["pattern": text]) }
            return pattern
        }
    }
}

/// A shell pattern as docker's lexer reads one (convertShellPatternToRegex):
/// `*` any text, `?` any one character, `\*` `\?` `\\` those characters,
/// `\}` `\/` the character; no bracket expressions, any other `\` refused.
/// Matching walks the pattern as a small automaton, so long values cost
/// length × pattern, not backtracking.
struct ShellPattern {
    enum Token: Equatable {
        case char(Character)
        case any
        case star
    }

    var tokens: [Token]

    init?(_ text: String) {
        tokens = []
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*": tokens.append(.star)
            case "?": tokens.append(.any)
            case "\\":
                if chars.first == "}" || chars.first == "/" { continue }
                guard let escaped = chars.popFirst(), "*?\\".contains(escaped) else { return nil }
                tokens.append(.char(escaped))
            default: tokens.append(.char(c))
            }
        }
    }

    /// The end of the shortest or longest match of the whole pattern that starts at `start`.
    func matchEnd(in chars: [Character], from start: Int, longest: Bool) -> Int? {
        var states = Array(repeating: false, count: tokens.count + 1)
        states[0] = true
        states = closure(states)
        var found: Int?
        var position = start
        while true {
            if states[tokens.count] {
                found = position
                if !longest { return found }
            }
            guard position < chars.count, states.contains(true) else { return found }
            var nextStates = Array(repeating: false, count: tokens.count + 1)
            for (state, on) in states.enumerated() where on && state < tokens.count {
                switch tokens[state] {
                case .star: nextStates[state] = true
                case .any: nextStates[state + 1] = true
                case let .char(c): if c == chars[position] { nextStates[state + 1] = true }
                }
            }
            states = closure(nextStates)
            position += 1
        }
    }

    /// A star also matches nothing.
    private func closure(_ states: [Bool]) -> [Bool] {
        var states = states
        for state in tokens.indices where states[state] && tokens[state] == .star { states[state + 1] = true }
        return states
    }

    func trimmingPrefix(_ value: String, longest: Bool) -> String {
        let chars = Array(value)
        guard let end = matchEnd(in: chars, from: 0, longest: longest) else { return value }
        return String(chars[end...])
    }

    /// The prefix match of the reversed pattern in the reversed value, as docker does it.
    func trimmingSuffix(_ value: String, longest: Bool) -> String {
        let reversed = ShellPattern(tokens: tokens.reversed())
        return String(reversed.trimmingPrefix(String(value.reversed()), longest: longest).reversed())
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    /// The leftmost longest match replaced (every one, if `all`).
    func replacing(in value: String, with replacement: String, all: Bool) -> String {
        let chars = Array(value)
        var out = ""
        var position = 0
        var lastEnd = -1
        while position <= chars.count {
            guard let (start, end) = (position...chars.count).lazy
                .compactMap({ start in self.matchEnd(in: chars, from: start, longest: true).map { (start, $0) } })
                .first else { break }
            out += String(chars[position..<start])
            if !(start == end && start == lastEnd) { out += replacement }  // an empty match next to the last one is none
            lastEnd = end
            if start == end {
                if start < chars.count { out.append(chars[start]) }
                position = start + 1
            } else {
                position = end
            }
            if !all { break }
        }
        if position < chars.count { out += String(chars[position...]) }
        return out
    }
}
