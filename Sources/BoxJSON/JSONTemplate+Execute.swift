/// Running a parsed `JSONTemplate` on data: Go's evaluation rules (dot,
/// variables, truth, sorted map ranges) and fmt's way of printing values.
extension JSONTemplate {
    /// The template's text for `data`; throws Go's "executing" errors.
    public func render(_ data: JSON) throws(TemplateError) -> String {
        var run = TemplateRun(source: source, variables: [("$", data)])
        var out = ""
        try run.walk(nodes, dot: data, into: &out)
        return out
    }

    /// How Go's fmt prints a decoded JSON value (`%v`): a null result of an
    /// action is `<no value>`, a null inside a list or map `<nil>`.
    public static func goString(_ value: JSON, top: Bool = true) -> String {
        switch value {
        case .null: return top ? "<no value>" : "<nil>"
        case let .bool(flag): return flag ? "true" : "false"
        case let .number(number): return JSON.format(number)
        case let .string(text): return text
        case let .array(items): return "[" + items.map { goString($0, top: false) }.joined(separator: " ") + "]"
        case let .object(members):
            let sorted = members.sorted { $0.0 < $1.0 }
            return "map[" + sorted.map { $0.0 + ":" + goString($0.1, top: false) }.joined(separator: " ") + "]"
        }
    }

    /// Go's truth: false, 0, nil and empty strings, lists and maps are false.
    static func truth(_ value: JSON) -> Bool {
        switch value {
        case .null: return false
        case let .bool(flag): return flag
        case let .number(number): return number != 0
        case let .string(text): return !text.isEmpty
        case let .array(items): return !items.isEmpty
        case let .object(members): return !members.isEmpty
        }
    }

    /// The Go type a decoded JSON value has, for error messages.
    static func goType(_ value: JSON) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .number: return "json.Number"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }
}

struct TemplateRun {
    let source: [UInt8]
    var variables: [(String, JSON)]

    /// A function's failure, before `call` places it in the template.
    struct Failure: Error { var message: String }

    /// Go's "executing" error at `pos`, the node's text cut at 20 characters as Go does.
    func error(_ message: String, at pos: Int, context: String) -> TemplateError {
        let shown = context.count > 20 ? String(context.prefix(20)) + "..." : context
        return TemplateError(.execute, "template: \(TemplateParser.location(source, pos)): executing \"\" at <\(shown)>: \(message)")
    }

    mutating func walk(_ nodes: [TemplateNode], dot: JSON, into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case let .text(bytes):
                out += String(decoding: bytes, as: UTF8.self)
            case let .action(pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declarations.isEmpty { out += JSONTemplate.goString(value) }
            case let .conditional(pipeline, body, elseList, rebindsDot):
                // if, or with (which also makes the value dot inside).
                let mark = variables.count
                let value = try evaluate(pipeline, dot: dot)
                if JSONTemplate.truth(value) { try walk(body, dot: rebindsDot ? value : dot, into: &out) }
                else if let elseList { try walk(elseList, dot: dot, into: &out) }
                variables.removeLast(variables.count - mark)
            case let .range(pipeline, body, elseList):
                try range(pipeline, body, elseList, dot: dot, into: &out)
            }
        }
    }

    mutating func range(_ pipeline: TemplatePipeline, _ body: [TemplateNode], _ elseList: [TemplateNode]?, dot: JSON,
                        into out: inout String) throws(TemplateError) {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        var plain = pipeline
        plain.declarations = []
        let value = try evaluate(plain, dot: dot)
        var items: [(JSON, JSON)] = []
        switch value {
        case let .array(elements): items = elements.enumerated().map { (.int($0.offset), $0.element) }
        case let .object(members): items = members.sorted { $0.0 < $1.0 }.map { (.string($0.0), $0.1) }
        case .null: break  // Go: an invalid value (a nil map) ranges zero times
        default:
            throw error("range can't iterate over \(JSONTemplate.goString(value))", at: pipeline.pos,
                        context: pipeline.commands.map(\.text).joined(separator: " | "))
        }
        let declared = pipeline.declarations
        for name in declared { variables.append((name, .null)) }
        let bodyMark = variables.count
        for (key, element) in items {
            if declared.count == 1 { variables[bodyMark - 1].1 = element }
            if declared.count == 2 {
                variables[bodyMark - 2].1 = key
                variables[bodyMark - 1].1 = element
            }
            try walk(body, dot: element, into: &out)
            variables.removeLast(variables.count - bodyMark)
        }
        if items.isEmpty, let elseList { try walk(elseList, dot: dot, into: &out) }
    }

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: JSON) throws(TemplateError) -> JSON {
        var value: JSON?
        for command in pipeline.commands { value = try evaluate(command, dot: dot, final: value) }
        let result = value ?? .null
        for name in pipeline.declarations {
            if pipeline.isAssignment, let index = variables.lastIndex(where: { $0.0 == name }) {
                variables[index].1 = result
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    mutating func evaluate(_ command: TemplateCommand, dot: JSON, final: JSON?) throws(TemplateError) -> JSON {
        let first = command.args[0]
        if case let .function(name) = first.kind {
            var args: [JSON] = []
            for arg in command.args.dropFirst() { args.append(try evaluate(arg, dot: dot)) }
            if let final { args.append(final) }
            return try call(name, args, at: command.pos, context: command.text)
        }
        if command.args.count > 1 || final != nil {
            throw error("can't give argument to non-function \(first.text)", at: first.pos, context: first.text)
        }
        return try evaluate(first, dot: dot)
    }

    mutating func evaluate(_ arg: TemplateArg, dot: JSON) throws(TemplateError) -> JSON {
        switch arg.kind {
        case .dot: return dot
        case let .literal(value): return value
        case let .field(chain): return try fields(chain, of: dot, arg)
        case let .variable(name, chain):
            let value = variables.last { $0.0 == name }?.1 ?? .null
            return try fields(chain, of: value, arg)
        case let .pipeline(inner, chain):
            return try fields(chain, of: try evaluate(inner, dot: dot), arg)
        case let .function(name):
            return try call(name, [], at: arg.pos, context: arg.text)
        }
    }

    /// .A.B.C on a value, with docker's missingkey=error.
    func fields(_ chain: [String], of value: JSON, _ arg: TemplateArg) throws(TemplateError) -> JSON {
        var current = value
        for name in chain {
            switch current {
            case .object:
                guard let next = current[name] else {
                    throw error("map has no entry for key \"\(name)\"", at: arg.pos, context: arg.text)
                }
                current = next
            case .null:
                throw error("nil pointer evaluating interface {}.\(name)", at: arg.pos, context: arg.text)
            default:
                throw error("can't evaluate field \(name) in type \(JSONTemplate.goType(current))", at: arg.pos, context: arg.text)
            }
        }
        return current
    }

    // MARK: - Functions

    func call(_ name: String, _ args: [JSON], at pos: Int, context: String) throws(TemplateError) -> JSON {
        do {
            return try TemplateFunctions.call(name, args)
        } catch let failure {
            throw error(failure.message, at: pos, context: context)
        }
    }
}

/// docker's template functions and Go's builtins, on JSON values.
enum TemplateFunctions {
    typealias Failure = TemplateRun.Failure

    static func call(_ name: String, _ args: [JSON]) throws(Failure) -> JSON {
        func arity(_ count: Int) throws(Failure) {
            if args.count != count { throw Failure(message: "wrong number of args for \(name): want \(count) got \(args.count)") }
        }
        switch name {
        case "json":
            try arity(1)
            return .string(args[0].serialized())
        case "upper", "lower", "title":
            try arity(1)
            let text = try string(args[0])
            return .string(name == "upper" ? text.uppercased() : name == "lower" ? text.lowercased() : title(text))
        case "split":
            try arity(2)
            let text = try string(args[0]), separator = try string(args[1])
            if separator.isEmpty { return .strings(text.map(String.init)) }
            return .strings(text.split(separator: separator, omittingEmptySubsequences: false).map(String.init))
        case "join":
            try arity(2)
            guard case let .array(items) = args[0] else { throw wrongType("[]string", args[0]) }
            return .string(items.map { JSONTemplate.goString($0, top: false) }.joined(separator: try string(args[1])))
        case "pad":
            try arity(3)
            let text = try string(args[0])
            if text.isEmpty { return .string(text) }
            return .string(String(repeating: " ", count: max(0, try integer(args[1]))) + text
                + String(repeating: " ", count: max(0, try integer(args[2]))))
        case "truncate":
            try arity(2)
            return .string(String(try string(args[0]).prefix(max(0, try integer(args[1])))))
        case "len":
            try arity(1)
            switch args[0] {
            case let .string(text): return .int(text.utf8.count)
            case let .array(items): return .int(items.count)
            case let .object(members): return .int(members.count)
            case .null: throw Failure(message: "error calling len: len of untyped nil")
            default: throw Failure(message: "error calling len: len of type \(JSONTemplate.goType(args[0]))")
            }
        case "index":
            guard var item = args.first else { throw Failure(message: "wrong number of args for index: want at least 1 got 0") }
            for key in args.dropFirst() { item = try index(item, key) }
            return item
        case "print": return .string(sprint(args))
        case "println": return .string(args.map { JSONTemplate.goString($0, top: false) }.joined(separator: " ") + "\n")
        case "printf":
            guard let format = args.first else { throw Failure(message: "wrong number of args for printf: want at least 1 got 0") }
            return .string(printf(try string(format), Array(args.dropFirst())))
        case "not":
            try arity(1)
            return .bool(!JSONTemplate.truth(args[0]))
        case "and", "or":
            guard !args.isEmpty else { throw Failure(message: "wrong number of args for \(name): want at least 1 got 0") }
            let stop = args.first { JSONTemplate.truth($0) == (name == "or") }
            return stop ?? args[args.count - 1]
        case "eq":
            guard args.count >= 2 else { throw Failure(message: "wrong number of args for eq: want at least 1 got \(args.count)") }
            for other in args.dropFirst() {
                if try compare(args[0], other, equality: true) == 0 { return .bool(true) }
            }
            return .bool(false)
        case "ne":
            try arity(2)
            return .bool(try compare(args[0], args[1], equality: true) != 0)
        case "lt", "le", "gt", "ge":
            try arity(2)
            let order = try compare(args[0], args[1], equality: false)
            switch name {
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            throw Failure(message: "function \"\(name)\" not defined")
        }
    }

    static func wrongType(_ expected: String, _ value: JSON) -> Failure {
        Failure(message: "wrong type for value; expected \(expected); got \(JSONTemplate.goType(value))")
    }

    /// A string argument; numbers pass as their text (json.Number is a string in Go).
    static func string(_ value: JSON) throws(Failure) -> String {
        switch value {
        case let .string(text): return text
        case let .number(number): return JSON.format(number)
        default: throw wrongType("string", value)
        }
    }

    static func integer(_ value: JSON) throws(Failure) -> Int {
        if let number = value.intValue { return number }
        if case let .string(text) = value, let number = Int(text) { return number }
        throw wrongType("int", value)
    }

    /// strings.Title: the first letter of each word in upper case.
    static func title(_ text: String) -> String {
        var out = ""
        var previousIsLetter = false
        for character in text {
            let isLetter = character.isLetter || character.isNumber || character == "_" || character == "'"
            out += !previousIsLetter && isLetter ? character.uppercased() : String(character)
            previousIsLetter = isLetter
        }
        return out
    }

    static func index(_ item: JSON, _ key: JSON) throws(Failure) -> JSON {
        switch item {
        case let .array(items):
            guard case .number = key, let position = key.intValue else {
                throw Failure(message: "error calling index: cannot index slice/array with type \(JSONTemplate.goType(key))")
            }
            guard items.indices.contains(position) else {
                throw Failure(message: "error calling index: index out of range: \(position)")
            }
            return items[position]
        case .object:
            guard case let .string(name) = key else {
                throw Failure(message: "error calling index: value has type \(JSONTemplate.goType(key)); should be string")
            }
            return item[name] ?? .null  // a missing key gives the zero value, as in Go
        case .null:
            throw Failure(message: "error calling index: index of untyped nil")
        default:
            throw Failure(message: "error calling index: can't index item of type \(JSONTemplate.goType(item))")
        }
    }

    /// fmt.Sprint: a space between operands when neither is a string.
    static func sprint(_ args: [JSON]) -> String {
        var out = ""
        for (position, arg) in args.enumerated() {
            if position > 0, arg.stringValue == nil, args[position - 1].stringValue == nil { out += " " }
            out += JSONTemplate.goString(arg, top: false)
        }
        return out
    }

    /// fmt.Sprintf with the verbs inspect formats use: %v %s %d %q %t %%.
    static func printf(_ format: String, _ args: [JSON]) -> String {
        var out = ""
        var remaining = args[...]
        var characters = format[...]
        while let character = characters.popFirst() {
            guard character == "%", let verb = characters.popFirst() else {
                out.append(character)
                continue
            }
            if verb == "%" { out += "%"; continue }
            guard let arg = remaining.popFirst() else { out += "%!\(verb)(MISSING)"; continue }
            switch verb {
            case "q": out += arg.stringValue.map { JSON.string($0).serialized() } ?? JSONTemplate.goString(arg, top: false)
            default: out += JSONTemplate.goString(arg, top: false)
            }
        }
        if !remaining.isEmpty {
            out += "%!(EXTRA " + remaining.map { JSONTemplate.goType($0) + "=" + JSONTemplate.goString($0, top: false) }
                .joined(separator: ", ") + ")"
        }
        return out
    }

    /// -1, 0 or 1; eq/ne compare any two values of one kind, lt… numbers and strings.
    static func compare(_ left: JSON, _ right: JSON, equality: Bool) throws(Failure) -> Int {
        switch (left, right) {
        case let (.number(a), .number(b)): return a < b ? -1 : a > b ? 1 : 0
        case let (.string(a), .string(b)): return a < b ? -1 : a > b ? 1 : 0
        case let (.bool(a), .bool(b)) where equality: return a == b ? 0 : 1
        case (.null, .null) where equality: return 0
        default:
            throw Failure(message: "error calling \(equality ? "eq" : "lt"): incompatible types for comparison")
        }
    }
}
