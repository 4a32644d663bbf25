#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxRuntime

/// `run --step`: the creation waits at each stage while the student looks
/// around. Inside the shell the shell's own input is used (so a script's
/// next lines are the stage commands); from the plain CLI a one-off shell
/// session on the terminal (or stdin) serves.
enum StepPrompt {
    static func pause(at stage: CreationStage) -> Bool {
        if let session = ShellSession.current { return session.pause(at: stage) }
        let session = (try? ShellCommand.session(script: nil, keepGoing: true))
            ?? ShellSession(source: LineSource(fd: 0, name: "stdin"), keepGoing: true)
        ShellSession.current = session
        defer { ShellSession.current = nil }
        return session.pause(at: stage)
    }
}
