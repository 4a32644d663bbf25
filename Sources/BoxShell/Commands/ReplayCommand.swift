#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxLessons
import BoxOS

/// boxlab replay FILE: the commands of a transcript (or a plain script) run
/// again, one by one, in a fresh sandbox that is removed afterwards, with
/// the narration shown again. The replay is a child shell fed one command
/// at a time; its own recording says when each command has finished (and
/// which steps it completed, for --until).
struct ReplayCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay a transcript or a command script in a fresh, throw-away sandbox.")

    /// --narrate sets the replay's narration (normal by default); --root is
    /// not used: a replay always gets a fresh root of its own.
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A transcript (JSON lines) or a plain command script.") var file: String
    @Flag(name: .long, help: "Wait between commands as long as the student did.") var realtime = false
    @Option(name: .long, help: "Stop once this lesson step (1, 2, …) is completed.") var until: Int?
    @Option(name: .long, help: "The lesson (default: the one the transcript starts or was recorded in).") var lesson: String?

    func run(context: CommandContext) throws {
        let environment = context.environment
        let text = context.text
        let transcript: Transcript
        do { transcript = try Transcript.load(file, scripts: .sniff) } catch {
            Terminal.error(error.description)
            throw ExitCode(1)
        }
        let library = LessonCoach.loadLibrary(environment)
        let lesson = (lesson ?? Self.lessonID(transcript)).flatMap(library.lesson)
        if let id = self.lesson, lesson == nil {
            Terminal.error(text("grade.unknownLesson", ["id": id]))
            throw ExitCode(125)
        }
        if until != nil && lesson == nil {
            Terminal.error(text("replay.untilNeedsLesson"))
            throw ExitCode(125)
        }
        Interrupts.install()
        let sandbox = try ReplaySandbox(isolateNetwork: true, environment: environment)
        let binary = (try? FS.readLink("/proc/self/exe")) ?? CommandLine.arguments[0]
        defer {
            if let problem = sandbox.cleanUp(binary: binary, environment: environment) {
                Terminal.error(text("replay.leftBehind", ["reason": problem]))
            } else {
                Terminal.write(text("replay.cleaned") + "\n", fd: 2)
            }
        }
        let plan = self.plan(transcript, lesson: lesson, library: library, environment: environment, sandbox: sandbox)
        let input = try Processes.pipe(stage: "replay")
        let student = transcript.header.flatMap { $0.student.isEmpty ? nil : $0.student } ?? Grader.studentName(file)
        var env = ReplayEnvironment.child(environment, sandbox: sandbox, header: transcript.header, student: student,
                                          library: library, narrate: (global.narrate ?? .normal).rawValue)
        if let lang = environment["BOXLAB_LANG"] { env["BOXLAB_LANG"] = lang }
        try sandbox.launch(binary: binary,
                           arguments: ["shell", "--keep-going", "--record", sandbox.recordPath, "--root", sandbox.root],
                           environment: env, fds: [0: input.read, 1: 1, 2: 2])
        close(input.read)
        Terminal.write(text("replay.start", ["file": file, "count": String(transcript.commands.count), "root": sandbox.root]) + "\n", fd: 2)
        var sent = 0
        var previous: TranscriptCommand?
        var stoppedAt: Int?
        for planned in plan {
            if let reason = planned.refused {
                Terminal.write(text("replay.refused", ["line": planned.line, "reason": reason]) + "\n", fd: 2)
                continue
            }
            guard let line = planned.replayLine else { continue }
            let recorded = planned.index.map { transcript.commands[$0] }
            if realtime, let recorded, let previous {
                let gap = recorded.startedMs - (previous.startedMs + previous.durationMs)
                if gap > 0 && wait(ms: gap) { break }
            }
            if let recorded { previous = recorded }
            Terminal.write(prompt() + planned.line + "\n")
            if !send(line, to: input.write) { break }
            sent += 1
            guard let record = awaitRecord(sent, sandbox: sandbox) else { break }
            if let until, let lesson, record.checkpoints.contains(Checkpoint(lesson: lesson.id, step: until)) {
                stoppedAt = until
                break
            }
        }
        close(input.write)
        if (try? Processes.waitForExit(sandbox.pid, timeoutMs: 30_000, stage: "replay")) != true { sandbox.kill() }
        sandbox.reap(block: true)
        if let stoppedAt { Terminal.write(text("replay.until", ["step": String(stoppedAt)]) + "\n", fd: 2) }
        if let lesson {
            let progress = LessonProgress.load(root: sandbox.root, user: ReplaySandbox.user)
            Terminal.write(text("replay.done", [
                "count": String(sent), "lesson": lesson.id, "done": String(progress.completed[lesson.id]?.count ?? 0),
                "steps": String(lesson.steps.count), "points": String(progress.points(lesson)), "total": String(lesson.totalPoints),
            ]) + "\n", fd: 2)
        } else {
            Terminal.write(text("replay.doneNoLesson", ["count": String(sent)]) + "\n", fd: 2)
        }
    }

    /// The lesson a transcript is about: the first one it starts, else the one it was recorded in.
    static func lessonID(_ transcript: Transcript) -> String? {
        for command in transcript.commands {
            guard var words = try? LineTokenizer.split(command.line) else { continue }
            if words.first == "docker" || words.first == "boxlab" { words.removeFirst() }
            if words.count >= 3 && words[0] == "lesson" && words[1] == "start" { return words[2] }
        }
        return transcript.header?.lessons.first
    }

    func plan(_ transcript: Transcript, lesson: Lesson?, library: LessonLibrary, environment: [String: String],
              sandbox: ReplaySandbox) -> [PlannedCommand] {
        let shell = ReplayShell.boxlab
        let policy = ReplayEnvironment.policy(lesson: lesson, library: library, environment: environment,
                                              transcript: transcript, sandbox: sandbox, shell: shell)
        if let lesson { return Grader.plan(transcript, lesson: lesson, policy: policy, split: shell.split) }
        let split = shell.split
        return transcript.commands.enumerated().map { index, command in
            guard let words = split(command.line) else { return PlannedCommand(index: index, line: command.line, replayLine: nil) }
            switch policy.decide(words) {
            case let .run(rewritten): return PlannedCommand(index: index, line: command.line, replayLine: ReplayPolicy.quote(rewritten))
            case let .refuse(reason): return PlannedCommand(index: index, line: command.line, replayLine: nil, refused: reason)
            case .skip: return PlannedCommand(index: index, line: command.line, replayLine: nil)
            }
        }
    }

    func prompt() -> String {
        Terminal.colorEnabled(fd: 1) ? "\u{1B}[1;35mreplay>\u{1B}[0m " : "replay> "
    }

    func send(_ line: String, to fd: Int32) -> Bool {
        (try? FS.writeAll(fd: fd, Array((line + "\n").utf8), stage: "replay")) != nil
    }

    /// Sleeps `ms`; true when Ctrl-C asked to stop.
    func wait(ms: Int) -> Bool {
        let deadline = Clock.monotonicMs() + Int64(ms)
        while Clock.monotonicMs() < deadline {
            if Interrupts.pending() { return true }
            _ = try? Processes.pollReadable(Interrupts.fd, timeoutMs: Int32(min(200, max(1, deadline - Clock.monotonicMs()))), stage: "replay")
        }
        return false
    }

    /// Waits until the replay recorded its `count`-th command; nil when it
    /// ended first or Ctrl-C came twice (the first goes to the command, as
    /// at the shell).
    func awaitRecord(_ count: Int, sandbox: ReplaySandbox) -> TranscriptCommand? {
        var interrupts = 0
        while true {
            if let transcript = sandbox.replayRecord(), transcript.commands.count >= count {
                return interrupts > 0 ? nil : transcript.commands[count - 1]
            }
            if sandbox.reap() != nil { return nil }
            if Interrupts.pending() {
                interrupts += 1
                if interrupts >= 2 { return nil }
                Glibc.kill(sandbox.pid, SIGINT)
            }
            usleep(20_000)
        }
    }
}
