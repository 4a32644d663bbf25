#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxOS

/// Words the shell handles itself (they change the session or only make
/// sense at a prompt); everything else goes to the one command tree.
enum ShellBuiltins {
    static let names = ["narrate", "lang", "help", "explain", "ls", "continue", "abort", "clear", "exit", "quit", "hint", "check", "next", "answer"]
    static let topics = ["namespaces", "layers", "cgroups", "lifecycle", "kernel-sharing", "volumes"]

    /// docker's name for each verb (the concept's twin), for `help`.
    static let dockerEquivalent: [String: String] = [
        "run": "docker run", "create": "docker create", "start": "docker start", "ps": "docker ps",
        "stop": "docker stop", "kill": "docker kill", "pause": "docker pause", "unpause": "docker unpause",
        "rm": "docker rm", "wait": "docker wait", "logs": "docker logs", "exec": "docker exec",
        "inspect": "docker inspect", "images": "docker images", "shell": "—", "lesson": "—",
        "build": "docker build", "commit": "docker commit", "history": "docker history", "diff": "docker diff",
        "tag": "docker tag", "rmi": "docker rmi", "image": "docker image", "compare": "—", "sim": "—",
        "vm": "— (a simulated virtual machine)", "unikernel": "— (a simulated unikernel)",
        "container": "docker container", "system": "docker system",
    ]

    /// Runs a builtin; nil when `words` is not one.
    static func run(_ words: [String], context: inout CommandContext) -> Int32? {
        guard let name = words.first else { return nil }
        let text = context.text
        let rest = Array(words.dropFirst())
        switch name {
        case "narrate":
            guard let value = rest.first else {
                Terminal.line(text(.shellNarrationNow, ["level": currentNarration(context)]))
                return 0
            }
            guard let level = NarrationLevel(rawValue: value) else {
                Terminal.error(text(.shellNarrationNow, ["level": currentNarration(context)]))
                return 2
            }
            context.level = level
            Terminal.line(text(.shellNarrationSet, ["level": value]))
            return 0
        case "lang":
            guard let value = rest.first else {
                Terminal.line(text(.shellLanguageNow, ["language": text.language.rawValue]))
                return 0
            }
            guard let language = Language(rawValue: value) else {
                Terminal.error(text(.shellLanguageNow, ["language": text.language.rawValue]))
                return 2
            }
            context.language = language
            Terminal.line(Localizer(language)(.shellLanguageSet, ["language": value]))
            return 0
        case "help":
            return help(rest.first, text: text)
        case "clear":
            clearScreen(context)
            return 0
        case "explain":
            guard let topic = rest.first, topics.contains(topic) else {
                Terminal.error(text(.shellUnknownTopic, ["topic": rest.first ?? "", "topics": topics.joined(separator: ", ")]))
                return 2
            }
            Terminal.line(text(MessageKey("explain." + topic)))
            return 0
        case "ls":
            guard let path = rest.first else {
                Terminal.error(text(.shellLsUsage))
                return 2
            }
            do {
                for entry in try FS.list(path) {
                    Terminal.line(FS.isDirectory(path + "/" + entry) ? entry + "/" : entry)
                }
                return 0
            } catch {
                Terminal.error("\(error)")
                return 1
            }
        default:
            return nil
        }
    }

    /// What libedit's Ctrl-L (ed-clear-screen) sends on xterm-like
    /// terminals: cursor home, erase the screen; scrollback stays. Nothing
    /// when stdout is not a terminal (a script's output stays clean).
    static func clearScreen(_ context: CommandContext) {
        guard context.terminal.stdout, context.environment["TERM"] != "dumb" else { return }
        Terminal.write("\u{1B}[H\u{1B}[2J")
    }

    static func currentNarration(_ context: CommandContext) -> String {
        context.environment["BOXLAB_NARRATE"] ?? "normal"
    }

    static func help(_ command: String?, text: Localizer) -> Int32 {
        let topics = topics.joined(separator: ", ")
        guard let command else {
            Terminal.line(text("help.header"))
            for name in Completer.commandNames() where name != "quit" {
                Terminal.line("  " + name.padded(to: 10) + " " + text(MessageKey("help." + name), ["topics": topics]))
            }
            Terminal.line(text("help.footer", ["topics": topics]))
            return 0
        }
        if let type = BoxlabCommand.configuration.subcommands.first(where: { $0.configuration.commandName == command }) {
            Terminal.line(text(MessageKey("help." + command), ["topics": topics]))
            if let docker = dockerEquivalent[command] { Terminal.line(text("help.docker", ["docker": docker])) }
            Terminal.write(type.helpMessage(columns: Terminal.width()))
            return 0
        }
        if names.contains(command) {
            Terminal.line(text(MessageKey("help." + command), ["topics": topics]))
            return 0
        }
        Terminal.error(text(.shellUnknownTopic, ["topic": command, "topics": Completer.commandNames().joined(separator: ", ")]))
        return 2
    }
}
