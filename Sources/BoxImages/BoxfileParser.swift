import BoxJSON
import BoxOS

/// Reads the Dockerfile subset boxlab builds, split into lines as docker's
/// parser (buildkit's frontend/dockerfile/parser) splits them:
/// - parser directives first: `# escape=` (`\` or a backtick) and
///   `# syntax=` / `# check=` (read and ignored), keys in any case, only
///   before any instruction, comment or blank line (after those they are
///   comments); a byte-order mark on line 1 is skipped;
/// - one instruction per line, keywords in any case; `#` first on a line is
///   a comment;
/// - a line ending in the escape character (spaces and tabs after it
///   allowed) continues on the next, unless that character is itself
///   escaped (`\\`); comment and blank lines inside a continued instruction
///   are dropped (a blank one with a warning, as docker warns); a file that
///   ends inside a continuation keeps what is there;
/// - RUN, CMD, ENTRYPOINT, COPY and ADD in shell form or exec (JSON) form;
///   words and `$` expansion as docker's shell lexer (see WordLexer).
/// Every error names FILE:LINE. The whole file is checked before any step
/// runs, variables unknown until then expanded as empty, so a typo on line
/// 9 does not cost eight RUN steps first.
public enum BoxfileParser {
    public static func parse(_ text: String, file: String) throws -> Boxfile {
        var steps: [BoxfileStep] = []
        var warnings: [ImageError] = []
        var directives = Directives()
        var pending: (line: Int, text: String, hadBlank: Bool)?
        var lineNumber = 0
        // Split on bytes: in Swift "\r\n" is one Character, which "\n" would not match.
        var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        if text.utf8.last == 0x0A { lines.removeLast() }  // a final newline ends a line, it starts none
        for var rawLine in lines {
            lineNumber += 1
            if lineNumber == 1, rawLine.starts(with: [0xEF, 0xBB, 0xBF]) { rawLine = rawLine.dropFirst(3) }
            while rawLine.last == 0x0D { rawLine = rawLine.dropLast() }
            let line = String(decoding: rawLine, as: UTF8.self)
            let location = SourceLocation(file: file, line: lineNumber)
            let trimmed = String(line.drop(while: isSpace))
            if var current = pending {
                if trimmed.hasPrefix("#") { continue }
                if trimmed.isEmpty { current.hadBlank = true; pending = current; continue }
                let (part, continues) = directives.trimContinuation(line)
                current.text += part
                pending = continues ? current : nil
                if !continues {
                    try finish(current, &steps, &warnings, directives.escape, file)
                }
                continue
            }
            try directives.read(trimmed, location)
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            let (part, continues) = directives.trimContinuation(trimmed)
            let started = (line: lineNumber, text: part, hadBlank: false)
            if continues { pending = started } else { try finish(started, &steps, &warnings, directives.escape, file) }
        }
        if let done = pending, !done.text.allSatisfy(isSpace) {
            // A file ending in a continuation: docker takes what is there.
            try finish(done, &steps, &warnings, directives.escape, file)
        }
        guard let first = steps.first else { throw ImageError("build.empty", ["file": file], exitCode: 1) }
        if first.keyword != "FROM" {
            throw ImageError.build("build.missingFrom", first.location, ["instruction": first.keyword])
        }
        for step in steps.dropFirst() where step.keyword == "FROM" {
            throw ImageError.build("build.secondFrom", step.location)
        }
        let boxfile = Boxfile(file: file, steps: steps, warnings: warnings)
        // Check every step's arguments now, with unknown variables "" (and
        // `${V?}` not failing: the base image may set V).
        var environment: [String] = []
        for step in steps {
            if case let .env(pairs) = try step.resolve(environment: environment, workingDir: "/", checking: true) {
                environment += pairs.map { $0.key + "=" + $0.value }
            }
        }
        return boxfile
    }

    private static func finish(_ done: (line: Int, text: String, hadBlank: Bool), _ steps: inout [BoxfileStep],
                               _ warnings: inout [ImageError], _ escape: Character, _ file: String) throws {
        let location = SourceLocation(file: file, line: done.line)
        var text = done.text
        while let last = text.last, isSpace(last) { text.removeLast() }
        if done.hadBlank {
            // docker: "[WARNING]: Empty continuation line found in: …" (to become an error).
            warnings.append(.build("build.emptyContinuationLine", location, ["instruction": text]))
        }
        var made = try step(text, location)
        made.escape = escape
        steps.append(made)
    }

    /// unicode.IsSpace, which docker trims lines with.
    static func isSpace(_ c: Character) -> Bool { c.unicodeScalars.allSatisfy(\.properties.isWhitespace) }

    /// Parser directives and the escape character they set.
    struct Directives {
        var escape: Character = "\\"
        private var done = false
        private var seen: Set<String> = []

        /// Reads `line` (left-trimmed) as a possible directive; the first line
        /// that is not one ends the directives.
        mutating func read(_ line: String, _ location: SourceLocation) throws {
            guard !done else { return }
            guard let (key, value) = Self.directive(line), ["escape", "syntax", "check"].contains(key) else {
                done = true
                return
            }
            guard seen.insert(key).inserted else {
                throw ImageError.build("build.repeatedDirective", location, ["directive": key])
            }
            if key == "escape" {
                guard value == "\\" || value == "`" else {
                    throw ImageError.build("build.badEscapeToken", location, ["token": value])
                }
                escape = Character(value)
            }
        }

        /// `# key = value` (docker: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`), key lowercased.
        static func directive(_ line: String) -> (String, String)? {
            func regexSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{0C}" || c == "\r" }
            guard line.hasPrefix("#") else { return nil }
            let afterHash = line.dropFirst().drop(while: regexSpace)
            guard let first = afterHash.first, first.isASCII, first.isLetter else { return nil }
            let key = afterHash.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            let rest = afterHash.dropFirst(key.count).drop(while: regexSpace)
            guard rest.first == "=" else { return nil }
            let afterEquals = rest.dropFirst()
            var value = afterEquals.drop(while: regexSpace)
            while let last = value.last, regexSpace(last) { value = value.dropLast() }
            // Only spaces: the regex's `(.+?)` still takes the last one ("invalid escape token ' '").
            if value.isEmpty { return afterEquals.last.map { (key.lowercased(), String($0)) } }
            return (key.lowercased(), String(value))
        }

        /// docker's lineContinuationRegex, `([^E])E[ \t]*$|^E[ \t]*$` for the
        /// escape E: the line without its continuation, and whether it continues.
        func trimContinuation(_ line: String) -> (String, Bool) {
            var body = Substring(line)
            while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
            guard body.last == escape else { return (line, false) }
            body = body.dropLast()
            if let before = body.last, before == escape { return (line, false) }
            return (String(body), true)
        }
    }

    /// Splits "KEYWORD arguments" and checks the keyword.
    static func step(_ text: String, _ location: SourceLocation) throws -> BoxfileStep {
        let keywordText = text.prefix { $0 != " " && $0 != "\t" }
        let keyword = keywordText.uppercased()
        let arguments = String(text.dropFirst(keywordText.count).drop { $0 == " " || $0 == "\t" })
        if Boxfile.unsupported.contains(keyword) {
            throw ImageError.build("build.unsupportedInstruction", location, ["instruction": keyword])
        }
        guard Boxfile.supported.contains(keyword) else {
            throw ImageError.build("build.unknownInstruction", location, ["instruction": String(keywordText)])
        }
        return BoxfileStep(location: location, keyword: keyword, arguments: arguments)
    }
}

extension BoxfileStep {
    /// The instruction with its words split and variables expanded from
    /// `environment` ("KEY=value" entries, as in an image config).
    /// `workingDir` makes relative WORKDIR paths absolute. `checking` is the
    /// parse-time pass, where the base image's variables are not known yet.
    public func resolve(environment: [String], workingDir: String, checking: Bool = false) throws -> Instruction {
        var variables: [String: String] = [:]
        for entry in environment {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            variables[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let lexer = WordLexer(variables: variables, location: location, escape: escape, checking: checking)
        func requireArguments() throws {
            if arguments.isEmpty {
                throw ImageError.build("build.needsArguments", location, ["instruction": keyword, "count": "1"])
            }
        }
        switch keyword {
        case "FROM":
            let words = try lexer.words(arguments)
            if words.count == 3, words[1].uppercased() == "AS" { throw ImageError.build("build.fromAlias", location) }
            guard words.count == 1 else {
                throw ImageError.build("build.needsOneArgument", location, ["instruction": keyword])
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
                throw ImageError.build("build.needsOneArgument", location, ["instruction": keyword])
            }
            return .user(words[0])
        case "EXPOSE":
            try requireArguments()
            return .expose(try lexer.words(arguments).map { try port($0) })
        default:
            throw ImageError.build("build.unknownInstruction", location, ["instruction": keyword])
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
            throw ImageError.build("build.badJSON", location, ["instruction": keyword, "reason": error.description])
        }
        guard let items = json.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw ImageError.build("build.badJSON", location, ["instruction": keyword, "reason": "an element is not a string"])
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
                    throw ImageError.build("build.badChown", location, ["value": value])
                }
                owner = (uid, gid)
            } else if flag.hasPrefix("--chmod=") {
                guard let parsed = UInt32(value, radix: 8), parsed <= 0o7777 else {
                    throw ImageError.build("build.badFlag", location, ["flag": flag, "instruction": keyword])
                }
                mode = parsed
            } else {
                throw ImageError.build("build.badFlag", location, ["flag": flag, "instruction": keyword])
            }
        }
        let words = rest.hasPrefix("[") ? try jsonArray(String(rest)).map { try lexer.word($0) } : try lexer.words(String(rest))
        guard words.count >= 2 else {
            throw ImageError.build("build.needsArguments", location, ["instruction": keyword, "count": "2"])
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
                throw ImageError.build("build.badKeyValue", location, ["instruction": keyword, "word": key])
            }
            return [KeyValue(key, value)]
        }
        return try lexer.words(arguments).map { word in
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw ImageError.build("build.badKeyValue", location, ["instruction": keyword, "word": word])
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
            throw ImageError.build("build.badPort", location, ["port": word])
        }
        return String(number) + "/" + (parts.count == 2 ? parts[1].lowercased() : "tcp")
    }
}
