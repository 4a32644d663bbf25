import BoxOS

/// What a replay may run. A transcript is untrusted input: it is replayed
/// with boxlab's own commands only, inside a sandbox root, and nothing in it
/// may reach the grader's host beyond what the lesson itself does.
///
/// - Only boxlab commands and shell words run (the shell runs nothing else
///   anyway; refusing up front makes the report say so).
/// - `--root` / BOXLAB_ROOT, nested `shell`, `replay` and `grade` are refused.
/// - A host path (`-v /path:…`, `build DIR`, `build -f FILE`) is refused
///   unless the lesson's own commands (its `try:` lines and its solution)
///   use that path; an allowed one is moved under the replay's own
///   directory, so parallel replays of one lesson do not share it and the
///   host's copy is never touched. Relative paths land there too.
/// - `ls PATH` works inside the sandbox only: a path under the root the
///   student recorded in is moved to the replay's root.
/// - `record` lines are skipped (the replay records on its own), and
///   `run --step` runs without stepping (nobody types `continue`).
public struct ReplayPolicy: Sendable {
    public enum Decision: Sendable, Equatable {
        /// Run these words (maybe rewritten).
        case run([String])
        /// Not run; the reason is reported and flagged.
        case refuse(String)
        /// Not run, not a problem (blank line, a `record` word).
        case skip
    }

    /// Verbs the shell understands (boxlab commands and shell words).
    public var knownVerbs: Set<String>
    /// Host paths the lesson itself uses (normalized, absolute).
    public var allowedHostPaths: [String]
    /// The root the session was recorded in (its `ls` paths are moved to `replayRoot`).
    public var recordedRoot: String
    public var replayRoot: String
    /// Allowed host paths are moved under this directory.
    public var hostBase: String

    public init(knownVerbs: Set<String>, allowedHostPaths: [String], recordedRoot: String, replayRoot: String, hostBase: String) {
        self.knownVerbs = knownVerbs
        self.allowedHostPaths = allowedHostPaths.map(Path.normalize)
        self.recordedRoot = Path.normalize(recordedRoot)
        self.replayRoot = replayRoot
        self.hostBase = hostBase
    }

    static let nested: Set<String> = ["shell", "replay", "grade"]
    /// Options of run/create that take a value (the image is the first word that is not one).
    static let valueOptions: Set<String> = [
        "--name", "-e", "--env", "-w", "--workdir", "--hostname", "-v", "--volume", "-m", "--memory", "--pids-limit",
        "--cpus", "--entrypoint", "-p", "--publish", "--network", "--net", "--narrate", "--root", "--cidfile", "--env-file",
        "-u", "--user", "--label", "-l",
    ]
    /// Options whose value is a file on the host (refused unless the lesson uses it).
    static let hostFileOptions: Set<String> = ["--cidfile", "--env-file"]
    /// `save -o FILE` writes a host file, `load -i FILE` reads one.
    static let archiveOptions: [String: Set<String>] = ["save": ["-o", "--output"], "load": ["-i", "--input"]]

    public func decide(_ input: [String]) -> Decision {
        var words = input
        if let first = words.first, first == "docker" || first == "boxlab" { words.removeFirst() }
        guard let verb = words.first else { return .skip }
        if verb == "record" { return .skip }
        for word in words {
            if word == "--root" || word.hasPrefix("--root=") { return .refuse("--root would leave the replay's sandbox") }
            if word.contains("BOXLAB_ROOT") || word.contains("BOXLAB_HOME_ROOT") {
                return .refuse("BOXLAB_ROOT would leave the replay's sandbox")
            }
        }
        guard knownVerbs.contains(verb) else { return .refuse("\"\(verb)\" is not a boxlab command") }
        if Self.nested.contains(verb) { return .refuse("`\(verb)` cannot run inside a replay") }
        switch verb {
        case "run", "create": return containerOptions(words)
        case "build": return build(words)
        case "save", "load": return archive(words, from: 1, options: Self.archiveOptions[verb]!)
        case "image" where words.count > 1 && Self.archiveOptions[words[1]] != nil:
            return archive(words, from: 2, options: Self.archiveOptions[words[1]]!)
        case "ls": return list(words)
        case "lesson":
            if words.count > 2 && words[1] == "validate" { return .refuse("`lesson validate FILE` reads host files") }
            return .run(words)
        default: return .run(words)
        }
    }

    // MARK: - Host paths

    /// Where a host path goes in the replay, or nil when it is not allowed.
    /// `exact`: only a path the lesson names itself, not one inside it (a
    /// container may have left a symlink inside an allowed directory, and a
    /// bind mount of that would follow it out of the sandbox).
    public func hostPath(_ path: String, exact: Bool = false) -> String? {
        if !path.hasPrefix("/") {
            // Relative to the student's directory, which the replay does not have:
            // the replay's own directory stands in for it.
            let work = hostBase + "/work"
            let inside = Path.normalize(work + "/" + path)
            return inside == work || (!exact && inside.hasPrefix(work + "/")) ? inside : nil
        }
        let clean = Path.normalize(path)
        guard allowedHostPaths.contains(where: { clean == $0 || (!exact && clean.hasPrefix($0 == "/" ? "/" : $0 + "/")) }) else {
            return nil
        }
        return hostBase + clean
    }

    func containerOptions(_ words: [String]) -> Decision {
        var out = [words[0]]
        var index = 1
        while index < words.count {
            let word = words[index]
            if word == "--" || !word.hasPrefix("-") || word == "-" {
                out += words[index...]  // the image and the container's command
                break
            }
            var name = word
            var value: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if word.count > 2, !word.hasPrefix("--"), ["-v", "-e", "-w", "-m", "-p", "-u", "-l"].contains(String(word.prefix(2))) {
                name = String(word.prefix(2))
                value = String(word.dropFirst(2))
                if value?.hasPrefix("=") == true { value?.removeFirst() }
            }
            if word == "--step" {
                // Stepping waits for `continue` at a prompt; a replay creates the container in one go.
                index += 1
                continue
            }
            let takesValue = Self.valueOptions.contains(name)
            if takesValue && value == nil {
                guard index + 1 < words.count else { out.append(word); break }
                value = words[index + 1]
                index += 1
            }
            index += 1
            guard takesValue, let value else { out.append(word); continue }
            if name == "-v" || name == "--volume" {
                switch volume(value) {
                case let .success(rewritten): out += [name, rewritten]
                case let .failure(refusal): return .refuse(refusal.reason)
                }
            } else if Self.hostFileOptions.contains(name) {
                guard let moved = hostPath(value) else { return .refuse("\(name) \(value): a host file the lesson does not use") }
                out += [name, moved]
            } else {
                out += [name, value]
            }
        }
        return .run(out)
    }

    struct Refusal: Error { var reason: String }

    func volume(_ spec: String) -> Result<String, Refusal> {
        guard let colon = spec.firstIndex(of: ":") else { return .success(spec) }
        let source = String(spec[..<colon])
        guard source.hasPrefix("/") || source.hasPrefix(".") else { return .success(spec) }  // a named volume
        guard let moved = hostPath(source, exact: true) else {
            return .failure(Refusal(reason: "-v \(source): a bind mount of a host path the lesson does not use"))
        }
        try? FS.makeDirectories(moved, stage: "replay")
        return .success(moved + spec[colon...])
    }

    func build(_ words: [String]) -> Decision {
        var out = [words[0]]
        var index = 1
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "-f" || word == "--file" {
                guard index < words.count else { out.append(word); break }
                let file = words[index]
                index += 1
                guard let moved = hostPath(file) else { return .refuse("build -f \(file): a host file the lesson does not use") }
                out += [word, moved]
            } else if word.hasPrefix("--file=") {
                let file = String(word.dropFirst(7))
                guard let moved = hostPath(file) else { return .refuse("build -f \(file): a host file the lesson does not use") }
                out.append("--file=" + moved)
            } else if word == "-t" || word == "--tag" {
                out.append(word)
                if index < words.count { out.append(words[index]); index += 1 }
            } else if word.hasPrefix("-") {
                out.append(word)
            } else {
                guard let moved = hostPath(word, exact: true) else { return .refuse("build \(word): a host directory the lesson does not use") }
                try? FS.makeDirectories(moved, stage: "replay")
                out.append(moved)
            }
        }
        return .run(out)
    }

    /// save -o FILE / load -i FILE: only a file the lesson names itself, moved under the replay's directory.
    func archive(_ words: [String], from start: Int, options: Set<String>) -> Decision {
        var out = Array(words[..<start])
        var index = start
        while index < words.count {
            let word = words[index]
            index += 1
            var name = word
            var value: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if !word.hasPrefix("--"), word.count > 2, options.contains(String(word.prefix(2))) {
                name = String(word.prefix(2))
                value = String(word.dropFirst(2))
            }
            guard options.contains(name) else { out.append(word); continue }
            if value == nil {
                guard index < words.count else { out.append(word); break }
                value = words[index]
                index += 1
            }
            guard let file = value, let moved = hostPath(file, exact: true) else {
                return .refuse("\(name) \(value ?? ""): a host file the lesson does not use")
            }
            try? FS.makeDirectories(Path.parent(moved), stage: "replay")
            out += [name, moved]
        }
        return .run(out)
    }

    func list(_ words: [String]) -> Decision {
        guard words.count > 1 else { return .run(words) }
        var out = [words[0]]
        for word in words.dropFirst() {
            if word.hasPrefix("-") { out.append(word); continue }
            let clean = Path.normalize(word.hasPrefix("/") ? word : "/" + word)
            if clean == recordedRoot || clean.hasPrefix(recordedRoot + "/") {
                out.append(replayRoot + clean.dropFirst(recordedRoot.count))
            } else if clean == replayRoot || clean.hasPrefix(replayRoot + "/") {
                out.append(clean)
            } else {
                return .refuse("ls \(word): outside the sandbox")
            }
        }
        return .run(out)
    }

    // MARK: - The lesson's own host paths

    /// Host paths a lesson's commands use: bind-mount sources, build
    /// contexts and Boxfiles (absolute ones only).
    public static func hostPaths(in commands: [[String]]) -> [String] {
        var paths: [String] = []
        for var words in commands {
            if let first = words.first, first == "docker" || first == "boxlab" { words.removeFirst() }
            guard let verb = words.first else { continue }
            var index = 1
            while index < words.count {
                let word = words[index]
                let next = index + 1 < words.count ? words[index + 1] : nil
                if (verb == "run" || verb == "create"), word == "-v" || word == "--volume", let next {
                    if let colon = next.firstIndex(of: ":"), next.hasPrefix("/") { paths.append(String(next[..<colon])) }
                } else if verb == "build", word == "-f" || word == "--file", let next, next.hasPrefix("/") {
                    paths.append(next)
                } else if verb == "build", word.hasPrefix("/"), index > 0, !["-t", "--tag"].contains(words[index - 1]) {
                    paths.append(word)
                } else if let options = archiveOptions[verb] ?? (verb == "image" && words.count > 1 ? archiveOptions[words[1]] : nil),
                          options.contains(word), let next, next.hasPrefix("/") {
                    paths.append(next)
                }
                index += 1
            }
        }
        return Array(Set(paths.map(Path.normalize))).sorted()
    }

    // MARK: - Writing a line back

    /// Words back into one shell line (single quotes where needed).
    public static func quote(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    public static func quote(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || "_./:=@%+,-".unicodeScalars.contains($0)
        }
        if safe { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
