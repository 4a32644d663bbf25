import ArgumentParser
import BoxImages
import BoxLessons
import BoxOS
import BoxRuntime

/// Tab completion: commands, flags, container names, image references,
/// volume names, shell words and paths — computed from live state on each
/// TAB, so a container made a second ago completes.
struct Completer {
    let environment: [String: String]
    let root: String

    init(context: CommandContext) {
        environment = context.environment
        root = context.root
    }

    init(environment: [String: String]) { self.init(context: CommandContext(environment: environment)) }

    /// Commands whose positional arguments are containers.
    static let containerCommands: Set<String> = [
        "start", "stop", "kill", "pause", "unpause", "rm", "wait", "logs", "exec", "inspect", "commit", "diff",
    ]
    /// Commands whose positional arguments are images.
    static let imageCommands: Set<String> = ["rmi", "tag", "history"]
    /// Flags whose value is a path or volume (completed as such).
    static let pathFlags: Set<String> = ["-v", "--volume", "--script"]

    func candidates(before: String, word: String) -> [String] {
        var tokens = (try? LineTokenizer.split(before)) ?? before.split(separator: " ").map(String.init)
        if let first = tokens.first, first == "docker" || first == "boxlab" { tokens.removeFirst() }
        guard let command = tokens.first else { return Self.matching(Self.commandNames(), word) }
        if word.hasPrefix("-") { return Self.matching(Self.flags(of: command), word) }
        if let previous = tokens.last, Self.pathFlags.contains(previous) {
            return Self.matching(volumeNames(), word) + paths(word)
        }
        switch command {
        case "help": return Self.matching(Self.commandNames(), word)
        case "explain": return Self.matching(ShellBuiltins.topics, word)
        case "lang": return Self.matching(Language.allCases.map(\.rawValue), word)
        case "narrate": return Self.matching(NarrationLevel.allCases.map(\.rawValue), word)
        case "ls": return paths(word)
        case "lesson":
            if tokens.count == 1 { return Self.matching(["list", "start", "status", "stop", "reset", "validate"], word) }
            if tokens[1] == "start" || tokens[1] == "reset" { return Self.matching(lessonIDs(), word) }
            return tokens[1] == "validate" ? paths(word) : []
        case "run", "create":
            // The first positional is the image; after it comes the container's command.
            let positionals = tokens.dropFirst().filter { !$0.hasPrefix("-") }
            return positionals.isEmpty ? Self.matching(imageNames(), word) : []
        default:
            if tokens.count == 1, let verbs = Self.subcommands(of: command) { return Self.matching(verbs, word) }
            if command == "inspect" && tokens.count == 1 {
                return Self.matching(["ns", "mounts", "cgroup", "layers", "proc"] + containerNames(), word)
            }
            if Self.imageCommands.contains(command) { return Self.matching(imageNames(), word) }
            return Self.containerCommands.contains(command) ? Self.matching(containerNames(), word) : []
        }
    }

    // MARK: - Sources of words

    static func commandNames() -> [String] {
        let verbs = BoxlabCommand.configuration.subcommands.compactMap { type -> String? in
            let configuration = type.configuration
            return configuration.shouldDisplay ? configuration.commandName : nil
        }
        return (verbs + ShellBuiltins.names).sorted()
    }

    /// The verbs under a noun (`image prune`, `system df`), nil for a plain command.
    static func subcommands(of command: String) -> [String]? {
        guard let type = BoxlabCommand.configuration.subcommands.first(where: { $0.configuration.commandName == command }),
              !type.configuration.subcommands.isEmpty else { return nil }
        var names: [String] = []
        for subcommand in type.configuration.subcommands {
            if let name = subcommand.configuration.commandName { names.append(name) }
        }
        return names
    }

    /// A command's flags, read from its own help (the one command tree is
    /// the source of truth for what exists).
    static func flags(of command: String) -> [String] {
        guard let type = BoxlabCommand.configuration.subcommands.first(where: { $0.configuration.commandName == command })
        else { return [] }
        var flags: [String] = []
        for line in type.helpMessage(columns: 200).split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("-") else { continue }
            for word in trimmed.split(separator: " ").prefix(3) {
                let flag = word.trimmingCharacters(in: ",")
                if flag.hasPrefix("-") && !flag.contains("<") { flags.append(flag) }
            }
        }
        return flags
    }

    func containerNames() -> [String] {
        let store = ContainerStore(root: root)
        return store.ids().compactMap { try? store.loadConfig($0).name } + store.ids().map { String($0.prefix(12)) }
    }

    func imageNames() -> [String] {
        let names = ((try? ImageStore(root: root).layout.readIndex()) ?? []).compactMap(\.refName)
        let familiar = names.compactMap { try? ImageReference.parse($0).familiar }
        // The embedded default image exists even before its first use.
        return Array(Set(familiar + familiar.map { $0.hasSuffix(":latest") ? String($0.dropLast(7)) : $0 } + ["busybox"]))
    }

    func lessonIDs() -> [String] {
        LessonLibrary(files: LessonLibrary.files(in: LessonLibrary.defaultDirectory(environment: environment))).lessons.map(\.id)
    }

    func volumeNames() -> [String] {
        VolumeStore(root: root).list()
    }

    /// Host paths (for -v sources, scripts and `ls`): directories end in "/".
    func paths(_ word: String) -> [String] {
        let directory = word.contains("/") ? String(word[...word.lastIndex(of: "/")!]) : ""
        let listed = directory.isEmpty ? "." : directory
        let names = (try? FS.list(listed)) ?? []
        return names.filter { !$0.hasPrefix(".") || word.hasPrefix(directory + ".") }.compactMap { name in
            let full = directory + name
            guard full.hasPrefix(word) else { return nil }
            return FS.isDirectory(full) ? full + "/" : full
        }
    }

    // MARK: - Helpers

    static func matching(_ words: [String], _ prefix: String) -> [String] {
        Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
