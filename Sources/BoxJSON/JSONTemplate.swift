/// The subset of Go's text/template that `docker inspect -f` users type,
/// applied to a `JSON` value: `{{.State.Pid}}`, `{{json .Config}}`,
/// `{{range .Mounts}}{{.Source}} {{end}}`, `{{index .X "key"}}`, pipes
/// (`{{.Name | upper}}`), variables (`{{range $k, $v := .X}}`), `if`/`with`/
/// `else`, trim markers (`{{- … -}}`) and comments, with docker's functions
/// (json, join, split, upper, lower, title, pad, truncate) and Go's
/// builtins (index, len, print, println, printf, eq, ne, lt, le, gt, ge,
/// and, or, not).
///
/// Hand-written because Swift has no Go template library, and the data is
/// always JSON (docker itself falls back to running the template on the
/// decoded JSON with `missingkey=error`, which is what this does). Values
/// print as Go's fmt prints decoded JSON: strings bare, `[a b]`, `map[k:v]`
/// with sorted keys, `<no value>` for a null result. Errors carry Go's
/// wording and position (`template: :1:8: …`; parse errors add the column
/// Go leaves out); `define`, `template` and `block` are not supported;
/// printf prints every verb but %q and %% as %v; join takes any list.
/// Rendering only walks the data, so it always ends.
public struct JSONTemplate: Sendable {
    let nodes: [TemplateNode]
    let source: [UInt8]

    public init(_ text: String) throws(TemplateError) {
        source = Array(text.utf8)
        var parser = TemplateParser(source)
        nodes = try parser.parseAll()
    }
}

/// A template that does not parse, or fails on the data.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable { case parse, execute }
    public let kind: Kind
    /// Go's text: `template: :1:8: executing "" at <.Nope>: map has no entry for key "Nope"`.
    public let description: String
    /// Set when the template uses a part of text/template boxlab lacks.
    public let unsupported: String?

    init(_ kind: Kind, _ description: String, unsupported: String? = nil) {
        self.kind = kind
        self.description = description
        self.unsupported = unsupported
    }
}

// MARK: - The tree

struct TemplateArg: Sendable {
    indirect enum Kind: Sendable {
        case dot
        case field([String])                    // .A.B on dot
        case variable(String, [String])         // $x.A.B
        case function(String)
        case literal(JSON)
        case pipeline(TemplatePipeline, [String])  // (…).A
    }
    var kind: Kind
    var pos: Int
    var text: String
}

struct TemplateCommand: Sendable {
    var args: [TemplateArg]
    var pos: Int
    var text: String
}

struct TemplatePipeline: Sendable {
    var declarations: [String] = []
    var isAssignment = false
    var commands: [TemplateCommand] = []
    var pos: Int
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    case action(TemplatePipeline)
    case range(TemplatePipeline, [TemplateNode], [TemplateNode]?)
    /// if, or with when `rebindsDot`.
    case conditional(TemplatePipeline, [TemplateNode], [TemplateNode]?, rebindsDot: Bool)
}

// MARK: - Lexing and parsing

struct TemplateParser {
    enum Token: Equatable {
        case field(String), dot, variable(String), identifier(String)
        case string(String), number(Double), leftParen, rightParen, pipe, declare, assign, comma, end
    }

    static let functions: Set<String> = [
        "json", "join", "split", "upper", "lower", "title", "pad", "truncate",
        "index", "len", "print", "println", "printf", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not",
    ]
    static let maxDepth = 100

    let bytes: [UInt8]
    var offset = 0
    /// Variables in scope, innermost last ($ is always there).
    var variables: [String] = ["$"]
    var depth = 0
    /// Where the action being parsed opened (its `{{`), for "unclosed action".
    var actionOpen = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Positions and errors

    /// Go's ErrorContext: line, and the byte column counted from 0.
    static func location(_ bytes: [UInt8], _ pos: Int) -> String {
        let before = bytes[..<min(pos, bytes.count)]
        let line = 1 + before.filter { $0 == UInt8(ascii: "\n") }.count
        let column = before.lastIndex(of: UInt8(ascii: "\n")).map { pos - $0 - 1 } ?? pos
        return ":\(line):\(column)"
    }

    func error(_ message: String, at pos: Int, unsupported: String? = nil) -> TemplateError {
        TemplateError(.parse, "template: \(Self.location(bytes, pos)): \(message)", unsupported: unsupported)
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    // MARK: The list of text and actions

    mutating func parseAll() throws(TemplateError) -> [TemplateNode] {
        let (nodes, stop) = try parseList()
        if let stop { throw error("unexpected {{\(stop.word)}}", at: stop.pos) }
        return nodes
    }

    struct Stop { var word: String; var pos: Int; var elseIf: Bool = false }

    /// Nodes up to `{{end}}`/`{{else}}` (returned) or the end of the input (nil).
    mutating func parseList() throws(TemplateError) -> ([TemplateNode], Stop?) {
        var nodes: [TemplateNode] = []
        while offset < bytes.count {
            let open = find("{{", from: offset) ?? bytes.count
            var textEnd = open
            var actionStart = open + 2
            if open < bytes.count, at(actionStart, "- ") || at(actionStart, "-\t") || at(actionStart, "-\n") || at(actionStart, "-\r") {
                while textEnd > offset, Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
                actionStart += 2
            }
            if textEnd > offset { nodes.append(.text(Array(bytes[offset..<textEnd]))) }
            offset = actionStart
            guard open < bytes.count else { break }
            actionOpen = open
            skipSpaces()
            if at(offset, "/*") {
                guard let close = find("*/", from: offset + 2) else { throw error("unclosed comment", at: open) }
                offset = close + 2
                try closeAction(open: open, comment: true)
                continue
            }
            let start = offset
            if case let .identifier(word) = try peekToken().token,
               ["end", "else", "range", "if", "with", "define", "template", "block", "break", "continue"].contains(word) {
                _ = try nextToken()
                switch word {
                case "end":
                    try closeAction(open: open)
                    return (nodes, Stop(word: "end", pos: start))
                case "else":
                    if case .identifier("if") = try peekToken().token {
                        _ = try nextToken()
                        return (nodes, Stop(word: "else", pos: start, elseIf: true))
                    }
                    try closeAction(open: open)
                    return (nodes, Stop(word: "else", pos: start))
                case "range", "if", "with":
                    nodes.append(try parseBlock(word, at: start))
                default:
                    throw error("{{\(word)}} is not supported", at: start, unsupported: word)
                }
                continue
            }
            let pipeline = try parsePipeline(context: "command", allowDeclaration: true)
            try closeAction(open: open)
            nodes.append(.action(pipeline))
        }
        return (nodes, nil)
    }

    /// range/if/with: the pipeline, the body, an optional else (or else if), end.
    mutating func parseBlock(_ word: String, at start: Int) throws(TemplateError) -> TemplateNode {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        let pipeline = try parsePipeline(context: word, allowDeclaration: true, allowTwo: word == "range")
        try closeAction(open: start)
        let (body, stop) = try parseList()
        guard let stop else { throw error("unexpected EOF", at: bytes.count) }
        var elseList: [TemplateNode]?
        if stop.word == "else" {
            if stop.elseIf {
                // {{else if …}} is an if nested in the else list, sharing its {{end}}.
                elseList = [try parseBlock("if", at: stop.pos)]
            } else {
                let (list, end) = try parseList()
                guard let end else { throw error("unexpected EOF", at: bytes.count) }
                guard end.word == "end" else { throw error("expected end; found {{else}}", at: end.pos) }
                elseList = list
            }
        }
        if word == "range" { return .range(pipeline, body, elseList) }
        return .conditional(pipeline, body, elseList, rebindsDot: word == "with")
    }

    /// Expects `}}` (or ` -}}`, which trims the whitespace after it).
    mutating func closeAction(open: Int, comment: Bool = false) throws(TemplateError) {
        skipSpaces()
        if at(offset, "-}}") && offset > 0 && Self.isSpace(bytes[offset - 1]) {
            offset += 3
            while offset < bytes.count, Self.isSpace(bytes[offset]) { offset += 1 }
            return
        }
        if at(offset, "}}") {
            offset += 2
            return
        }
        if comment { throw error("comment ends before closing delimiter", at: open) }
        if offset >= bytes.count { throw error("unclosed action", at: open) }
        let (token, pos) = try peekToken()
        throw error("unexpected \(describe(token, at: pos)) in command", at: pos)
    }

    // MARK: Pipelines and commands

    mutating func parsePipeline(context: String, allowDeclaration: Bool, allowTwo: Bool = false) throws(TemplateError) -> TemplatePipeline {
        skipSpaces()
        var pipeline = TemplatePipeline(pos: offset)
        // $x := …, $x = …, range $k, $v := …
        if allowDeclaration, case let .variable(name) = try peekToken().token {
            let saved = offset
            _ = try nextToken()
            var names = [name]
            if allowTwo, case .comma = try peekToken().token {
                _ = try nextToken()
                if case let .variable(second) = try peekToken().token {
                    _ = try nextToken()
                    names.append(second)
                } else {
                    throw error("range can only initialize variables", at: offset)
                }
            }
            let (token, _) = try peekToken()
            if token == .declare || (token == .assign && names.count == 1) {
                _ = try nextToken()
                pipeline.declarations = names
                pipeline.isAssignment = token == .assign
                if token == .assign && !variables.contains(name) { throw error("undefined variable \"\(name)\"", at: saved) }
            } else if names.count == 2 {
                throw error("expected :=; found \(describe(token, at: offset))", at: offset)
            } else {
                offset = saved
            }
        }
        if case .end = try peekToken().token, offset < bytes.count {
            throw error("missing value for \(context)", at: pipeline.pos)
        }
        while true {
            let command = try parseCommand()
            pipeline.commands.append(command)
            skipSpaces()
            guard case .pipe = try peekToken().token else { break }
            _ = try nextToken()
        }
        if pipeline.commands.isEmpty { throw error("missing value for \(context)", at: pipeline.pos) }
        if !pipeline.isAssignment { variables += pipeline.declarations }
        return pipeline
    }

    mutating func parseCommand() throws(TemplateError) -> TemplateCommand {
        skipSpaces()
        let start = offset
        var args: [TemplateArg] = []
        while true {
            skipSpaces()
            let (token, _) = try peekToken()
            switch token {
            case .pipe, .rightParen, .end: break
            default:
                args.append(try parseOperand())
                continue
            }
            break
        }
        var end = offset
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        if args.isEmpty {
            if offset >= bytes.count { throw error("unclosed action", at: actionOpen) }
            throw error("missing value for command", at: start)
        }
        return TemplateCommand(args: args, pos: start, text: text(start..<end))
    }

    mutating func parseOperand() throws(TemplateError) -> TemplateArg {
        let (token, pos) = try nextToken()
        var arg: TemplateArg
        switch token {
        case .dot: arg = TemplateArg(kind: .dot, pos: pos, text: ".")
        case let .field(name): arg = TemplateArg(kind: .field([name]), pos: pos, text: "")
        case let .variable(name):
            guard variables.contains(name) else { throw error("undefined variable \"\(name)\"", at: pos) }
            arg = TemplateArg(kind: .variable(name, []), pos: pos, text: "")
        case let .identifier(name):
            switch name {
            case "true", "false": arg = TemplateArg(kind: .literal(.bool(name == "true")), pos: pos, text: name)
            case "nil": arg = TemplateArg(kind: .literal(.null), pos: pos, text: name)
            default:
                guard Self.functions.contains(name) else { throw error("function \"\(name)\" not defined", at: pos) }
                arg = TemplateArg(kind: .function(name), pos: pos, text: name)
            }
        case let .string(value): arg = TemplateArg(kind: .literal(.string(value)), pos: pos, text: "")
        case let .number(value): arg = TemplateArg(kind: .literal(.number(value)), pos: pos, text: "")
        case .leftParen:
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("max expression depth exceeded", at: pos) }
            let inner = try parsePipeline(context: "parenthesized pipeline", allowDeclaration: false)
            skipSpaces()
            guard case .rightParen = try nextToken().token else { throw error("unclosed left paren", at: pos) }
            arg = TemplateArg(kind: .pipeline(inner, []), pos: pos, text: "")
        default:
            throw error("unexpected \(describe(token, at: pos)) in operand", at: pos)
        }
        // A chain of fields: .A.B, $x.A, (…).A. Go places it at its second field.
        var chained: [String] = []
        var chainPos = pos
        while case let .field(name) = try peekToken(spaces: false).token {
            if chained.isEmpty { chainPos = offset }
            _ = try nextToken(spaces: false)
            chained.append(name)
        }
        if !chained.isEmpty {
            switch arg.kind {
            case let .field(first): arg.kind = .field(first + chained)
            case let .variable(name, _): arg.kind = .variable(name, chained)
            case let .pipeline(inner, _): arg.kind = .pipeline(inner, chained)
            default: throw error("unexpected . after term \(describe(token, at: pos))", at: chainPos)
            }
            arg.pos = chainPos
        }
        arg.text = text(pos..<offset)
        return arg
    }

    /// A token as Go's errors show it: quoted source text, or EOF.
    func describe(_ token: Token, at pos: Int) -> String {
        if pos >= bytes.count { return "EOF" }
        var copy = self
        copy.offset = pos
        _ = try? copy.nextToken(spaces: false)
        let end = max(copy.offset, min(pos + (token == .end ? 2 : 1), bytes.count))
        return "\"" + text(pos..<end) + "\""
    }

    // MARK: Tokens

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    func at(_ pos: Int, _ literal: String) -> Bool {
        let pattern = Array(literal.utf8)
        return pos + pattern.count <= bytes.count && Array(bytes[pos..<pos + pattern.count]) == pattern
    }

    func find(_ literal: String, from start: Int) -> Int? {
        var pos = start
        while pos < bytes.count {
            if at(pos, literal) { return pos }
            pos += 1
        }
        return nil
    }

    mutating func skipSpaces() {
        while offset < bytes.count, Self.isSpace(bytes[offset]) { offset += 1 }
    }

    mutating func peekToken(spaces: Bool = true) throws(TemplateError) -> (token: Token, pos: Int) {
        let saved = offset
        defer { offset = saved }
        return try nextToken(spaces: spaces)
    }

    /// The next token of an action; `.end` at `}}`, ` -}}` or the end of input.
    mutating func nextToken(spaces: Bool = true) throws(TemplateError) -> (token: Token, pos: Int) {
        if spaces { skipSpaces() }
        let pos = offset
        guard offset < bytes.count else { return (.end, pos) }
        let byte = bytes[offset]
        if at(offset, "}}") || (at(offset, "-}}") && offset > 0 && Self.isSpace(bytes[offset - 1])) { return (.end, pos) }
        if !spaces && Self.isSpace(byte) { return (.end, pos) }
        switch byte {
        case UInt8(ascii: "."):
            offset += 1
            let start = offset
            while offset < bytes.count, Self.isIdentifier(bytes[offset]) { offset += 1 }
            if offset == start {
                if offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
                    offset = pos
                    return try number(pos)
                }
                return (.dot, pos)
            }
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[start]) { offset = pos; return try number(pos) }
            return (.field(text(start..<offset)), pos)
        case UInt8(ascii: "$"):
            offset += 1
            while offset < bytes.count, Self.isIdentifier(bytes[offset]) { offset += 1 }
            return (.variable(text(pos..<offset)), pos)
        case UInt8(ascii: "\""): return try quoted(pos)
        case UInt8(ascii: "`"):
            guard let close = find("`", from: offset + 1) else { throw error("unterminated raw quoted string", at: pos) }
            offset = close + 1
            return (.string(text(pos + 1..<close)), pos)
        case UInt8(ascii: "("): offset += 1; return (.leftParen, pos)
        case UInt8(ascii: ")"): offset += 1; return (.rightParen, pos)
        case UInt8(ascii: "|"): offset += 1; return (.pipe, pos)
        case UInt8(ascii: ","): offset += 1; return (.comma, pos)
        case UInt8(ascii: ":"):
            guard at(offset, ":=") else { throw error("expected :=", at: pos) }
            offset += 2
            return (.declare, pos)
        case UInt8(ascii: "="): offset += 1; return (.assign, pos)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(pos)
        default:
            if Self.isIdentifier(byte) {
                while offset < bytes.count, Self.isIdentifier(bytes[offset]) { offset += 1 }
                return (.identifier(text(pos..<offset)), pos)
            }
            let scalar = String(decoding: bytes[pos..<min(pos + 4, bytes.count)], as: UTF8.self).unicodeScalars.first ?? "?"
            let code = String(scalar.value, radix: 16, uppercase: true)
            throw error("bad character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) '\(scalar)'", at: pos)
        }
    }

    mutating func number(_ pos: Int) throws(TemplateError) -> (token: Token, pos: Int) {
        var end = offset
        while end < bytes.count, Self.isIdentifier(bytes[end]) || "+-.".utf8.contains(bytes[end]) { end += 1 }
        let literal = text(offset..<end)
        guard let value = Double(literal) else { throw error("bad number syntax: \"\(literal)\"", at: pos) }
        offset = end
        return (.number(value), pos)
    }

    mutating func quoted(_ pos: Int) throws(TemplateError) -> (token: Token, pos: Int) {
        var out: [UInt8] = []
        var index = offset + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                offset = index + 1
                return (.string(String(decoding: out, as: UTF8.self)), pos)
            }
            if byte == 0x0A { break }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(bytes[index])
                default: throw error("invalid syntax in string literal", at: pos)
                }
            } else {
                out.append(byte)
            }
            index += 1
        }
        throw error("unterminated quoted string", at: pos)
    }
}
