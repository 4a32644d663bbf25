import CLibYAML

/// A place in a YAML text, counted from 1 (libyaml counts from 0; lesson
/// diagnostics, like Yams before, count from 1). Columns count Unicode scalars.
struct YAMLMark: Equatable, Sendable {
    var line: Int
    var column: Int

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line) + 1
        column = Int(mark.column) + 1
    }

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// One node of a composed YAML document: what `LessonParser` reads. The
/// readings (`string`, `int`, `bool`) resolve scalars the way Yams 6 did, so
/// lesson files mean what they meant: a quoted `"1"` is no number, a quoted
/// `"yes"` no flag.
struct YAMLNode: Sendable {
    enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping(YAMLMapping)
    }

    var content: Content
    /// Where the node starts.
    var mark: YAMLMark

    var scalar: YAMLScalar? {
        if case let .scalar(scalar) = content { return scalar }
        return nil
    }

    var sequence: [YAMLNode]? {
        if case let .sequence(items) = content { return items }
        return nil
    }

    var mapping: YAMLMapping? {
        if case let .mapping(mapping) = content { return mapping }
        return nil
    }

    /// A scalar's text, whatever its type (`3` reads as "3" too).
    var string: String? { scalar?.string }
    var int: Int? { scalar?.int }
    var bool: Bool? { scalar?.bool }
}

struct YAMLScalar: Sendable {
    enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    var string: String
    var style: Style
    /// The tag written in the file (`!!str` is `tag:yaml.org,2002:str`), nil when none.
    var tag: String?

    static let strTag = "tag:yaml.org,2002:str"

    /// Quoted and block scalars, and `!!str` ones, are strings (libyaml's
    /// quoted_implicit; Yams tagged them `str`).
    var isString: Bool { tag == Self.strTag || (tag == nil && style != .plain) }

    /// `true/yes/on`, `false/no/off` in any case, unless the scalar is a string.
    var bool: Bool? {
        if isString { return nil }
        switch string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A plain scalar as a YAML 1.1 integer: `_` separators, a sign, the
    /// prefixes 0x, 0b, 0o and 0 (octal), and sexagesimal `1:30` (Yams' rules).
    var int: Int? {
        guard style == .plain else { return nil }
        let signed = string.filter { $0 != "_" }
        if signed == "0" { return 0 }
        let negative = signed.hasPrefix("-")
        let hasSign = negative || signed.hasPrefix("+")
        let sign = negative ? "-" : ""
        let digits = signed.dropFirst(hasSign ? 1 : 0)
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where digits.hasPrefix(prefix) {
            return Int(sign + digits.dropFirst(prefix.count), radix: radix)
        }
        if digits.contains(":") {
            var value = 0
            for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
                guard let component = Int(part), component >= 0 else { return nil }
                let (times, overflow) = value.multipliedReportingOverflow(by: 60)
                guard !overflow, case let (sum, false) = times.addingReportingOverflow(component) else { return nil }
                value = sum
            }
            return negative ? -value : value
        }
        return Int(signed)
    }

    /// The type a plain scalar resolves to under YAML 1.1's core rules (null,
    /// bool, int, float, else str), for telling keys apart: `1:` and `"1":`
    /// are two keys, `a:` and `"a":` one.
    var resolvedTag: String {
        if let tag { return tag }
        if style != .plain { return Self.strTag }
        if ["", "~", "null", "Null", "NULL"].contains(string) { return "tag:yaml.org,2002:null" }
        let bools = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"]
        if bools.contains(string) { return "tag:yaml.org,2002:bool" }
        if int != nil { return "tag:yaml.org,2002:int" }
        if Double(string.filter { $0 != "_" }) != nil { return "tag:yaml.org,2002:float" }
        return Self.strTag
    }
}

/// A mapping's pairs in file order.
struct YAMLMapping: RandomAccessCollection, Sendable {
    var pairs: [(key: YAMLNode, value: YAMLNode)]

    var startIndex: Int { pairs.startIndex }
    var endIndex: Int { pairs.endIndex }
    subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) { pairs[position] }

    /// The value under the plain-text key `key` (the last one, as Yams looked up).
    subscript(key: String) -> YAMLNode? {
        pairs.last { pair in
            guard let scalar = pair.key.scalar else { return false }
            return scalar.string == key && scalar.resolvedTag == YAMLScalar.strTag
        }?.value
    }
}

/// Why a text is not one YAML document: libyaml's problem and where it is.
struct YAMLError: Error, Sendable {
    var problem: String
    var mark: YAMLMark
}

/// Composes the single document of a YAML text into `YAMLNode`s from
/// libyaml's parser events (`yaml_parser_parse`), as Yams' `compose(yaml:)`
/// did: aliases stand for a copy of their anchor's node; an undefined alias,
/// a repeated key or a second document is an error. Returns nil for a text
/// with no document (empty, or only comments).
enum YAMLComposer {
    static func compose(_ text: String) throws -> YAMLNode? {
        let bytes = Array(text.utf8)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError(problem: "out of memory", mark: YAMLMark(line: 1, column: 1)) }
        defer { yaml_parser_delete(parser) }
        return try bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var events = Events(parser: parser)
            _ = try events.next()  // STREAM-START
            let first = try events.next()
            if first.type == YAML_STREAM_END_EVENT { return nil }
            let root = try events.node(try events.next())  // after DOCUMENT-START
            _ = try events.next()  // DOCUMENT-END
            let after = try events.next()
            if after.type != YAML_STREAM_END_EVENT {
                throw YAMLError(problem: "but found another document", mark: after.mark)
            }
            return root
        }
    }

    /// One event's parts, copied out of libyaml's (which is freed at once).
    struct Event {
        var type: yaml_event_type_t
        var mark: YAMLMark
        var anchor: String?
        var scalar: YAMLScalar?
    }

    struct Events {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        var anchors: [String: YAMLNode] = [:]

        mutating func next() throws -> Event {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else { throw error() }
            defer { yaml_event_delete(&event) }
            func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: $0) }
            }
            var copy = Event(type: event.type, mark: YAMLMark(event.start_mark))
            switch event.type {
            case YAML_ALIAS_EVENT:
                copy.anchor = text(event.data.alias.anchor)
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                copy.anchor = text(data.anchor)
                let value = String(decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
                let style: YAMLScalar.Style = switch data.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
                // A tag libyaml reports for a plain or quoted scalar it calls implicit is no written tag.
                let tag = data.plain_implicit == 1 || data.quoted_implicit == 1 ? nil : text(data.tag)
                copy.scalar = YAMLScalar(string: value, style: style, tag: tag)
            case YAML_SEQUENCE_START_EVENT:
                copy.anchor = text(event.data.sequence_start.anchor)
            case YAML_MAPPING_START_EVENT:
                copy.anchor = text(event.data.mapping_start.anchor)
            default:
                break
            }
            return copy
        }

        /// The node that starts with `event`, read to its end.
        mutating func node(_ event: Event) throws -> YAMLNode {
            let node: YAMLNode
            switch event.type {
            case YAML_ALIAS_EVENT:
                guard let anchor = event.anchor, let target = anchors[anchor] else {
                    throw YAMLError(problem: "found undefined alias", mark: event.mark)
                }
                return target
            case YAML_SCALAR_EVENT:
                node = YAMLNode(content: .scalar(event.scalar!), mark: event.mark)
            case YAML_SEQUENCE_START_EVENT:
                var items: [YAMLNode] = []
                while true {
                    let item = try next()
                    if item.type == YAML_SEQUENCE_END_EVENT { break }
                    items.append(try self.node(item))
                }
                node = YAMLNode(content: .sequence(items), mark: event.mark)
            case YAML_MAPPING_START_EVENT:
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                while true {
                    let keyEvent = try next()
                    if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                    let key = try self.node(keyEvent)
                    let value = try self.node(try next())
                    if let scalar = key.scalar, pairs.contains(where: {
                        $0.key.scalar.map { $0.string == scalar.string && $0.resolvedTag == scalar.resolvedTag } ?? false
                    }) {
                        throw YAMLError(problem: "duplicated key '\(scalar.string)' (keys must be unique)", mark: key.mark)
                    }
                    pairs.append((key, value))
                }
                node = YAMLNode(content: .mapping(YAMLMapping(pairs: pairs)), mark: event.mark)
            default:
                throw YAMLError(problem: "unexpected event \(event.type.rawValue)", mark: event.mark)
            }
            if let anchor = event.anchor { anchors[anchor] = node }
            return node
        }

        /// libyaml's error, at its problem mark (a reader error has none: 1:1).
        func error() -> YAMLError {
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unknown error"
            switch parser.pointee.error {
            case YAML_MEMORY_ERROR:
                return YAMLError(problem: "out of memory", mark: YAMLMark(line: 1, column: 1))
            case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
                return YAMLError(problem: problem, mark: YAMLMark(parser.pointee.problem_mark))
            default:
                return YAMLError(problem: problem, mark: YAMLMark(line: 1, column: 1))
            }
        }
    }
}
