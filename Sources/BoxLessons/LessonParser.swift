/// Reads a lesson file into a `Lesson`, collecting every problem with its
/// line and column instead of stopping at the first (so `lesson validate`
/// shows a teacher all of them at once).
public struct LessonParser {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    /// Parses YAML text; returns nil when the file is unusable (diagnostics say why).
    public mutating func parse(_ text: String) -> Lesson? {
        let root: YAMLNode
        do {
            guard let node = try YAMLComposer.compose(text) else {
                report(line: 1, column: 1, "the file is empty")
                return nil
            }
            root = node
        } catch let error as YAMLError {
            report(line: error.mark.line, column: error.mark.column, "bad YAML: \(error.problem)")
            return nil
        } catch {
            report(line: 1, column: 1, "bad YAML: \(error)")
            return nil
        }
        guard let mapping = root.mapping else {
            report(root, "a lesson file is a mapping (id:, title:, steps: …)")
            return nil
        }
        checkKeys(mapping, allowed: ["id", "title", "level", "concepts", "steps", "goal", "checks", "hints", "points"], at: root)
        let id = string(mapping["id"], "id", at: root) ?? ""
        if !id.isEmpty && !id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            report(mapping["id"]!, "id \"\(id)\" may only use letters, digits, - and _")
        }
        let title = localized(mapping["title"], "title", at: root)
        let level = mapping["level"].flatMap { node -> Int? in
            guard let value = node.int else { report(node, "level must be a whole number"); return nil }
            return value
        } ?? 1
        let concepts = mapping["concepts"].map { strings($0, "concepts") } ?? []
        var steps: [Step] = []
        var goal: Localized?
        if let goalNode = mapping["goal"] {
            // An exercise: a goal, its checks, hints and points, no steps.
            goal = localized(goalNode, "goal", at: root)
            if mapping["steps"] != nil { report(mapping["steps"]!, "an exercise has a goal or steps, not both") }
            let checks = mapping["checks"].map { self.checks($0) } ?? []
            if checks.isEmpty { report(goalNode, "an exercise needs checks: to know when the goal is reached") }
            steps = [Step(text: goal ?? Localized(en: "", ko: ""), commands: [], checks: checks,
                          hint: mapping["hints"].map { localized($0, "hints", at: root) },
                          points: points(mapping["points"]), line: goalNode.mark.line)]
        } else if let stepsNode = mapping["steps"] {
            guard let sequence = stepsNode.sequence, !sequence.isEmpty else {
                report(stepsNode, "steps must be a non-empty list")
                return nil
            }
            for node in sequence { if let step = step(node) { steps.append(step) } }
        } else {
            report(root, "missing steps: (a lesson) or goal: (an exercise)")
        }
        return Lesson(id: id, title: title, level: level, concepts: concepts, steps: steps, goal: goal, file: file)
    }

    // MARK: - Parts

    mutating func step(_ node: YAMLNode) -> Step? {
        guard let mapping = node.mapping else {
            report(node, "each step is a mapping (text:, try:, checks:, hints:, points:)")
            return nil
        }
        checkKeys(mapping, allowed: ["text", "try", "checks", "hints", "points"], at: node)
        let text = localized(mapping["text"], "text", at: node)
        var commands: [String] = []
        if let tryNode = mapping["try"] {
            commands = tryNode.sequence != nil ? strings(tryNode, "try") : [string(tryNode, "try", at: node) ?? ""]
        }
        let checks = mapping["checks"].map { self.checks($0) } ?? []
        if mapping["checks"] == nil { report(node, "missing checks: (how boxlab knows the step is done)") }
        return Step(text: text, commands: commands, checks: checks,
                    hint: mapping["hints"].map { localized($0, "hints", at: node) },
                    points: points(mapping["points"]), line: node.mark.line)
    }

    mutating func points(_ node: YAMLNode?) -> Int {
        guard let node else { return 1 }
        guard let value = node.int, value >= 0 else {
            report(node, "points must be a whole number ≥ 0")
            return 1
        }
        return value
    }

    mutating func checks(_ node: YAMLNode) -> [Check] {
        guard let sequence = node.sequence else {
            report(node, "checks must be a list")
            return []
        }
        return sequence.compactMap { check($0) }
    }

    mutating func check(_ node: YAMLNode) -> Check? {
        guard let mapping = node.mapping, mapping.count == 1, let (keyNode, body) = mapping.first.map({ ($0.key, $0.value) }),
              let name = keyNode.string else {
            report(node, "a check is one of \(Check.names.joined(separator: ", ")) with its fields, e.g. `- container: {name: web, state: running}`")
            return nil
        }
        let line = node.mark.line, column = node.mark.column
        func field(_ key: String) -> YAMLNode? { body.mapping?[key] }
        func text(_ key: String) -> String? { field(key)?.string }
        func number(_ key: String) -> Int? {
            guard let node = field(key) else { return nil }
            if let value = node.int { return value }
            report(node, "\(key) must be a whole number")
            return nil
        }
        func flag(_ key: String) -> Bool? {
            guard let node = field(key) else { return nil }
            if let value = node.bool { return value }
            report(node, "\(key) must be true or false")
            return nil
        }
        func allow(_ keys: [String]) {
            if let mapping = body.mapping { checkKeys(mapping, allowed: keys, at: body) } else if body.scalar == nil {
                report(body, "\(name) takes a mapping of fields")
            }
        }
        func need(_ key: String) -> String? {
            guard let value = text(key) else { report(body, "\(name) needs \(key):"); return nil }
            return value
        }
        let kind: Check.Kind?
        switch name {
        case "container":
            allow(["name", "state", "exit_code", "oom_killed", "memory", "pids_limit", "count_at_least"])
            let state = text("state")
            if let state, !["running", "paused", "exited", "created", "absent"].contains(state) {
                report(field("state")!, "state must be running, paused, exited, created or absent")
            }
            kind = need("name").map {
                .container(name: $0, state: state, exitCode: number("exit_code"), oomKilled: flag("oom_killed"),
                           memory: text("memory"), pidsLimit: number("pids_limit"), minimumCount: number("count_at_least"))
            }
        case "containers_of":
            allow(["image", "at_least", "running"])
            kind = need("image").map { .containersOf(image: $0, atLeast: number("at_least") ?? 1, running: flag("running") ?? false) }
        case "image":
            allow(["ref", "exists", "layers", "has_file", "history_contains"])
            kind = need("ref").map {
                .image(reference: $0, exists: flag("exists") ?? true, layers: number("layers"), hasFile: text("has_file"),
                       historyContains: text("history_contains"))
            }
        case "file":
            allow(["container", "volume", "path", "contains"])
            if text("container") == nil && text("volume") == nil { report(body, "file needs container: or volume:") }
            kind = need("path").map { .file(container: text("container"), volume: text("volume"), path: $0, contains: text("contains")) }
        case "output":
            allow(["matches"])
            if let pattern = text("matches"), (try? Regex(pattern)) == nil {
                report(field("matches")!, "matches is not a valid regular expression")
            }
            kind = need("matches").map { .output(matches: $0) }
        case "exit_status":
            guard let value = body.int else { report(body, "exit_status takes a number"); return nil }
            kind = .exitStatus(value)
        case "namespace":
            allow(["container", "kind", "differs"])
            let nsKind = text("kind") ?? "pid"
            if !["pid", "mnt", "uts", "ipc", "net", "cgroup"].contains(nsKind) {
                report(field("kind")!, "kind must be pid, mnt, uts, ipc, net or cgroup")
            }
            kind = need("container").map { .namespace(container: $0, kind: nsKind, differs: flag("differs") ?? true) }
        case "sim_answer":
            allow(["question", "kind", "host_mem", "guest", "event"])
            let question = need("question")
            if let question, !["density", "kernel", "crash"].contains(question) {
                report(field("question")!, "question must be density, kernel or crash")
            }
            kind = question.map { .simAnswer(question: $0, kind: text("kind"), hostMem: text("host_mem"),
                                             guest: text("guest"), event: text("event")) }
        case "port":
            guard let value = body.int, (1...65535).contains(value) else { report(body, "port takes a port number"); return nil }
            kind = .port(value)
        default:
            report(keyNode, "unknown check \"\(name)\" (known: \(Check.names.joined(separator: ", ")))")
            return nil
        }
        return kind.map { Check(kind: $0, line: line, column: column) }
    }

    // MARK: - Scalars

    mutating func localized(_ node: YAMLNode?, _ key: String, at parent: YAMLNode) -> Localized {
        guard let node else {
            report(parent, "missing \(key): (with en: and ko:)")
            return Localized(en: "", ko: "")
        }
        guard let mapping = node.mapping else {
            report(node, "\(key) needs en: and ko: texts")
            return Localized(en: node.string ?? "", ko: "")
        }
        checkKeys(mapping, allowed: ["en", "ko"], at: node)
        let en = mapping["en"]?.string
        let ko = mapping["ko"]?.string
        if en?.isEmpty ?? true { report(node, "\(key) is missing its en text") }
        if ko?.isEmpty ?? true { report(node, "\(key) is missing its ko text") }
        return Localized(en: en ?? "", ko: ko ?? "")
    }

    mutating func string(_ node: YAMLNode?, _ key: String, at parent: YAMLNode) -> String? {
        guard let node else {
            report(parent, "missing \(key):")
            return nil
        }
        guard let value = node.scalar?.string, !value.isEmpty else {
            report(node, "\(key) must be a non-empty text")
            return nil
        }
        return value
    }

    mutating func strings(_ node: YAMLNode, _ key: String) -> [String] {
        guard let sequence = node.sequence else {
            report(node, "\(key) must be a list")
            return []
        }
        return sequence.compactMap { item in
            guard let value = item.scalar?.string else { report(item, "\(key) entries must be texts"); return nil }
            return value
        }
    }

    mutating func checkKeys(_ mapping: YAMLMapping, allowed: [String], at node: YAMLNode) {
        for (key, _) in mapping {
            guard let name = key.string else { continue }
            if !allowed.contains(name) { report(key, "unknown key \"\(name)\" (expected one of: \(allowed.joined(separator: ", ")))") }
        }
    }

    mutating func report(_ node: YAMLNode, _ message: String) {
        report(line: node.mark.line, column: node.mark.column, message)
    }

    mutating func report(line: Int, column: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
    }
}
