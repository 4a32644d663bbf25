import BoxJSON
import BoxOS

/// Reads the Dockerfile subset boxlab builds:
/// - one instruction per line, keywords in any case;
/// - a line ending in `\` continues on the next (comment and blank lines
///   inside a continued instruction are skipped, as docker does);
/// - `#` at the start of a line is a comment;
/// - RUN, CMD, ENTRYPOINT, COPY and ADD in shell form or exec (JSON) form.
/// Every error names FILE:LINE. The whole file is checked before any step
/// runs, variables expanded as empty, so a typo on line 9 does not cost
/// eight RUN steps first.
public enum BoxfileParser {
    public static func parse(_ text: String, file: String) throws -> Boxfile {
        var steps: [BoxfileStep] = []
        var pending: (line: Int, text: String)?
        var lineNumber = 0
        // Split on bytes: in Swift "\r\n" is one Character, which "\n" would not match.
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(String(decoding: rawLine.last == 0x0D ? rawLine.dropLast() : rawLine, as: UTF8.self))
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") { continue }
            if trimmed.isEmpty {
                continue  // blank lines (also inside a continuation, as docker tolerates)
            }
            var body = String(line)
            while let last = body.last, last == " " || last == "\t" { body.removeLast() }
            let continues = body.hasSuffix("\\")
            if continues { body.removeLast() }
            if var current = pending {
                current.text += body
                pending = current
            } else {
                pending = (lineNumber, String(body.drop { $0 == " " || $0 == "\t" }))
            }
            if !continues, let done = pending {
                steps.append(try step(done.text, SourceLocation(file: file, line: done.line)))
                pending = nil
            }
        }
        if let done = pending, !done.text.allSatisfy({ $0 == " " || $0 == "\t" }) {
            // A file ending in "\": docker takes what is there.
            steps.append(try step(done.text, SourceLocation(file: file, line: done.line)))
        }
        guard let first = steps.first else { throw ImageMessage("build.empty", ["file": file], exitCode: 1) }
        if first.keyword != "FROM" {
            throw ImageMessage.build("build.missingFrom", first.location, ["instruction": first.keyword])
        }
        for step in steps.dropFirst() where step.keyword == "FROM" {
            throw ImageMessage.build("build.secondFrom", step.location)
        }
        let boxfile = Boxfile(file: file, steps: steps)
        // Check every step's arguments now, with variables expanding to "".
        var environment: [String] = []
        for step in steps {
            if case let .env(pairs) = try step.resolve(environment: environment, workingDir: "/") {
                environment += pairs.map { $0.key + "=" + $0.value }
            }
        }
        return boxfile
    }

    /// Splits "KEYWORD arguments" and checks the keyword.
    static func step(_ text: String, _ location: SourceLocation) throws -> BoxfileStep {
        let keywordText = text.prefix { $0 != " " && $0 != "\t" }
        let keyword = keywordText.uppercased()
        let arguments = String(text.dropFirst(keywordText.count).drop { $0 == " " || $0 == "\t" })
        if Boxfile.unsupported.contains(keyword) {
            throw ImageMessage.build("build.unsupportedInstruction", location, ["instruction": keyword])
        }
        guard Boxfile.supported.contains(keyword) else {
            throw ImageMessage.build("build.unknownInstruction", location, ["instruction": String(keywordText)])
        }
        return BoxfileStep(location: location, keyword: keyword, arguments: arguments)
    }
}

extension BoxfileStep {
    /// The instruction with its words split and variables expanded from
    /// `environment` ("KEY=value" entries, as in an image config).
    /// `workingDir` makes relative WORKDIR paths absolute.
    public func resolve(environment: [String], workingDir: String) throws -> Instruction {
        var variables: [String: String] = [:]
        for entry in environment {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            variables[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let lexer = WordLexer(variables: variables, location: location)
        func requireArguments() throws {
            if arguments.isEmpty {
                throw ImageMessage.build("build.needsArguments", location, ["instruction": keyword, "count": "1"])
            }
        }
        switch keyword {
        case "FROM":
            let words = try lexer.words(arguments)
            if words.count == 3, words[1].uppercased() == "AS" { throw ImageMessage.build("build.fromAlias", location) }
            guard words.count == 1 else {
                throw ImageMessage.build("build.needsOneArgument", location, ["instruction": keyword])
            }
            return .from(image: words[0])
        case "RUN":
            try requireArguments()
            return .run(try commandForm(arguments))
        case "CMD":
            try requireArguments()
            return .cmd(try commandForm(arguments))
        case "ENTRYPOINT":
            try requireArguments()
            return .entrypoint(try commandForm(arguments))
        case "COPY", "ADD":
            return .copy(try copySpec(lexer))
        case "ENV":
            try requireArguments()
            return .env(try keyValues(lexer))
        case "LABEL":
            try requireArguments()
            return .label(try keyValues(lexer))
        case "WORKDIR":
            try requireArguments()
            let path = try lexer.word(arguments)
            return .workdir(Path.normalize(path.hasPrefix("/") ? path : workingDir + "/" + path))
        case "USER":
            let words = try lexer.words(arguments)
            guard words.count == 1 else {
                throw ImageMessage.build("build.needsOneArgument", location, ["instruction": keyword])
            }
            return .user(words[0])
        case "EXPOSE":
            try requireArguments()
            return .expose(try lexer.words(arguments).map { try port($0) })
        default:
            throw ImageMessage.build("build.unknownInstruction", location, ["instruction": keyword])
        }
    }

    /// Exec form when the text starts with "[", which must then be a JSON
    /// array of strings (docker would quietly run it through the shell
    /// instead; an error teaches more than a baffling "[: not found").
    func commandForm(_ text: String) throws -> CommandForm {
        guard text.hasPrefix("[") else { return .shell(text) }
        return .exec(try jsonArray(text))
    }

    func jsonArray(_ text: String) throws -> [String] {
        let json: JSON
        do { json = try JSON.parse(text) } catch {
            throw ImageMessage.build("build.badJSON", location, ["instruction": keyword, "reason": error.description])
        }
        guard let items = json.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw ImageMessage.build("build.badJSON", location, ["instruction": keyword, "reason": "an element is not a string"])
        }
        return items.compactMap(\.stringValue)
    }

    /// `[--chown=U:G] [--chmod=MODE] SRC… DEST`, shell words or JSON array.
    func copySpec(_ lexer: WordLexer) throws -> CopySpec {
        var rest = Substring(arguments)
        var owner: (uid: Int, gid: Int)?
        var mode: UInt32?
        while rest.hasPrefix("--") {
            let flag = String(rest.prefix { $0 != " " && $0 != "\t" })
            rest = rest.dropFirst(flag.count).drop { $0 == " " || $0 == "\t" }
            let value = flag.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            if flag.hasPrefix("--chown=") {
                let parts = try lexer.word(value).split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count <= 2, let uid = Int(parts[0]), uid >= 0,
                      let gid = parts.count == 2 ? Int(parts[1]) : uid, gid >= 0 else {
                    throw ImageMessage.build("build.badChown", location, ["value": value])
                }
                owner = (uid, gid)
            } else if flag.hasPrefix("--chmod=") {
                guard let parsed = UInt32(value, radix: 8), parsed <= 0o7777 else {
                    throw ImageMessage.build("build.badFlag", location, ["flag": flag, "instruction": keyword])
                }
                mode = parsed
            } else {
                throw ImageMessage.build("build.badFlag", location, ["flag": flag, "instruction": keyword])
            }
        }
        let words = rest.hasPrefix("[") ? try jsonArray(String(rest)).map { try lexer.word($0) } : try lexer.words(String(rest))
        guard words.count >= 2 else {
            throw ImageMessage.build("build.needsArguments", location, ["instruction": keyword, "count": "2"])
        }
        return CopySpec(isAdd: keyword == "ADD", sources: Array(words.dropLast()), destination: words.last!, owner: owner, mode: mode)
    }

    /// `KEY=VALUE …`, or the legacy `KEY VALUE WITH SPACES` form.
    func keyValues(_ lexer: WordLexer) throws -> [KeyValue] {
        let firstRaw = arguments.prefix { $0 != " " && $0 != "\t" }
        if !firstRaw.contains("=") {
            let key = String(firstRaw)
            let value = try lexer.word(String(arguments.dropFirst(firstRaw.count).drop { $0 == " " || $0 == "\t" }))
            if value.isEmpty && keyword == "ENV" {
                throw ImageMessage.build("build.badKeyValue", location, ["instruction": keyword, "word": key])
            }
            return [KeyValue(key, value)]
        }
        return try lexer.words(arguments).map { word in
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw ImageMessage.build("build.badKeyValue", location, ["instruction": keyword, "word": word])
            }
            return KeyValue(String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
    }

    /// "80" → "80/tcp"; "53/udp" stays.
    func port(_ word: String) throws -> String {
        let parts = word.split(separator: "/", omittingEmptySubsequences: false)
        let number = parts[0]
        let digitsOK = number.split(separator: "-", omittingEmptySubsequences: false).allSatisfy {
            guard let value = Int($0) else { return false }
            return (1...65535).contains(value)
        }
        guard parts.count <= 2, digitsOK, parts.count == 1 || ["tcp", "udp", "sctp"].contains(parts[1].lowercased()) else {
            throw ImageMessage.build("build.badPort", location, ["port": word])
        }
        return String(number) + "/" + (parts.count == 2 ? parts[1].lowercased() : "tcp")
    }
}

/// Shell-like word processing for Boxfile arguments: whitespace splits
/// words, quotes group them ('…' literal, "…" with $ expansion), a
/// backslash escapes, and $NAME, ${NAME}, ${NAME:-default},
/// ${NAME:+alternative} expand from the build's environment.
struct WordLexer {
    var variables: [String: String]
    var location: SourceLocation

    /// All words of `text`.
    func words(_ text: String) throws -> [String] {
        try process(text, split: true)
    }

    /// `text` as one word: quotes removed, variables expanded, spaces kept.
    func word(_ text: String) throws -> String {
        try process(text, split: false).joined()
    }

    private func process(_ text: String, split: Bool) throws -> [String] {
        let chars = Array(text)
        var words: [String] = []
        var current = ""
        var inWord = false
        var index = 0
        func fail(_ key: String) -> ImageMessage { .build(key, location, ["text": text]) }
        while index < chars.count {
            let c = chars[index]
            if split && (c == " " || c == "\t" || c == "\n") {
                if inWord { words.append(current); current = ""; inWord = false }
                index += 1
                continue
            }
            inWord = true
            switch c {
            case "\\":
                if index + 1 < chars.count { current.append(chars[index + 1]); index += 2 } else { current.append(c); index += 1 }
            case "'":
                guard let end = chars[(index + 1)...].firstIndex(of: "'") else { throw fail("build.unterminatedQuote") }
                current += String(chars[(index + 1)..<end])
                index = end + 1
            case "\"":
                index += 1
                var closed = false
                while index < chars.count {
                    let d = chars[index]
                    if d == "\"" { closed = true; index += 1; break }
                    if d == "\\", index + 1 < chars.count, "\"\\$`".contains(chars[index + 1]) {
                        current.append(chars[index + 1])
                        index += 2
                    } else if d == "$" {
                        current += try expand(chars, &index, text: text)
                    } else {
                        current.append(d)
                        index += 1
                    }
                }
                if !closed { throw fail("build.unterminatedQuote") }
            case "$":
                current += try expand(chars, &index, text: text)
            default:
                current.append(c)
                index += 1
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Expands the variable at chars[index] ("$"); advances past it.
    private func expand(_ chars: [Character], _ index: inout Int, text: String) throws -> String {
        let start = index
        index += 1
        guard index < chars.count else { return "$" }
        func isNameChar(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }
        if chars[index] == "{" {
            guard let close = chars[index...].firstIndex(of: "}") else {
                throw ImageMessage.build("build.badSubstitution", location, ["text": text])
            }
            let inner = String(chars[(index + 1)..<close])
            index = close + 1
            var name = Substring(inner)
            var modifier: (String, String)?
            if let colon = inner.firstIndex(of: ":") {
                name = inner[..<colon]
                let rest = inner[inner.index(after: colon)...]
                guard let op = rest.first, op == "-" || op == "+" else {
                    throw ImageMessage.build("build.badSubstitution", location, ["text": text])
                }
                modifier = (String(op), String(rest.dropFirst()))
            }
            guard !name.isEmpty, name.allSatisfy(isNameChar) else {
                throw ImageMessage.build("build.badSubstitution", location, ["text": String(chars[start..<index])])
            }
            let value = variables[String(name)]
            switch modifier {
            case let ("-", word)?: return (value ?? "").isEmpty ? word : value!
            case let ("+", word)?: return (value ?? "").isEmpty ? "" : word
            default: return value ?? ""
            }
        }
        let nameStart = index
        while index < chars.count, isNameChar(chars[index]) { index += 1 }
        if index == nameStart { return "$" }
        return variables[String(chars[nameStart..<index])] ?? ""
    }
}
