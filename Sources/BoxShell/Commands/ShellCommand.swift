#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxOS

/// boxlab shell: the lab's REPL, or a script of the same commands.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "The lab shell: type boxlab commands (docker's, too) and watch them work.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Run the commands in FILE instead of reading a terminal.") var script: String?
    @Flag(name: .long, help: "In a script, go on after a failing command.") var keepGoing = false
    @Option(name: .long, help: "Language of messages: en or ko.") var lang: Language?
    @Option(name: .long, help: "Record the session as a transcript (JSON lines) in FILE; an existing transcript is continued.")
    var record: String?

    func run() throws {
        if let root = global.root { setenv("BOXLAB_ROOT", Path.absolute(root), 1) }
        if let narrate = global.narrate { setenv("BOXLAB_NARRATE", narrate.rawValue, 1) }
        if let lang { setenv("BOXLAB_LANG", lang.rawValue, 1) }
        let session = try Self.session(script: script, keepGoing: keepGoing)
        if let record {
            do { session.recorder = try SessionRecorder(path: record) } catch {
                throw ValidationError("cannot record: \(error)")
            }
        }
        throw ExitCode(session.run())
    }

    /// `boxlab` with no arguments.
    static func startDefault() -> Int32 {
        (try? session(script: nil, keepGoing: false).run()) ?? 125
    }

    static func session(script: String?, keepGoing: Bool) throws -> ShellSession {
        let environment = GlobalOptions.environment()
        // The shell narrates by default; scripts say only what docker would, unless asked.
        if environment["BOXLAB_NARRATE"] == nil { setenv("BOXLAB_NARRATE", script == nil && isatty(0) != 0 ? "normal" : "quiet", 1) }
        if let script {
            let fd = open(script, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw ValidationError("cannot open script \(script): \(String(cString: strerror(errno)))") }
            return ShellSession(source: LineSource(fd: fd, name: script), keepGoing: keepGoing)
        }
        if isatty(0) != 0 {
            let root = Path.absolute(environment["BOXLAB_ROOT"] ?? "/var/lib/boxlab")
            try FS.makeDirectories(root + "/history", stage: "shell")
            let user = environment["SUDO_USER"] ?? environment["USER"] ?? "uid\(getuid())"
            return ShellSession(source: LineSource(editor: LineEditor(historyPath: root + "/history/" + user)),
                                keepGoing: keepGoing)
        }
        return ShellSession(source: LineSource(fd: 0, name: "stdin"), keepGoing: keepGoing)
    }
}

extension Language: ExpressibleByArgument {}
