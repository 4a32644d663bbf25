#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxJSON
import BoxLessons
import BoxOS

enum GradeFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, gradescope, junit

    var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json, .gradescope: return "json"
        case .junit: return "xml"
        }
    }
}

/// boxlab grade FILE|DIR --lesson ID: replays each transcript in a sandbox
/// of its own (a child `boxlab shell --script`, N at once), grades it by
/// what the replay earned, flags what the transcript claims beyond that,
/// and writes a table, JSON, Gradescope's results.json or JUnit XML.
struct GradeCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade", abstract: "Grade transcripts by replaying them in fresh sandboxes.")

    /// Accepted like every verb's, but not used: each replay gets a fresh root of its own.
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A transcript (or FILE.boxlab script), or a directory of them (one per student).") var path: String
    @Option(name: .long, help: "The lesson to grade.") var lesson: String
    @Option(name: .long, help: "text (a table), json, gradescope (results.json) or junit (XML).") var format: GradeFormat = .text
    @Option(name: .shortAndLong, help: "Write the report to FILE (a directory when grading a directory).") var output: String?
    @Option(name: .long, help: "Replays at once.") var jobs = 1
    @Option(name: .long, help: "Seconds one replay may take before it is stopped.") var timeout = 120
    @Option(name: .long, help: "Replays again when a replay earns less than the transcript claims (the better one counts).")
    var retries = 1
    @Option(name: .long, help: "Language of the table: en or ko.") var lang: Language?

    func run(context: CommandContext) throws {
        let environment = context.environment
        let text = Localizer(lang ?? context.language)
        let library = LessonCoach.loadLibrary(environment)
        guard let lesson = library.lesson(self.lesson) else {
            Terminal.error(text("grade.unknownLesson", ["id": self.lesson]))
            throw ExitCode(125)
        }
        guard jobs >= 1, timeout >= 1, retries >= 0 else { throw ValidationError("--jobs and --timeout must be at least 1, --retries at least 0") }
        let isDirectory = FS.isDirectory(path)
        var files: [String]
        if isDirectory {
            let skip = output.map(Path.absolute)
            files = ((try? FS.list(path)) ?? []).filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
                .filter { !FS.isDirectory($0) && Path.absolute($0) != skip }
            if files.isEmpty {
                Terminal.error(text("grade.noFiles", ["dir": path]))
                throw ExitCode(1)
            }
        } else {
            files = [path]
        }
        let started = Clock.monotonicMs()
        let grader = ClassGrader(lesson: lesson, library: library, environment: environment, jobs: jobs,
                                 timeoutMs: timeout * 1000, retries: retries, text: text, announce: isDirectory)
        let grades = grader.grade(files)
        let wallMs = Int(Clock.monotonicMs() - started)
        if grader.interrupted {
            Terminal.error(text("grade.interrupted"))
            throw ExitCode(130)
        }
        try write(grades, lesson: lesson, isDirectory: isDirectory, wallMs: wallMs, text: text)
        if grades.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    func write(_ grades: [StudentGrade], lesson: Lesson, isDirectory: Bool, wallMs: Int, text: Localizer) throws {
        let report = GradeText(text: text, lesson: lesson)
        guard isDirectory else {
            let grade = grades[0]
            let content: String
            switch format {
            case .text: content = report.student(grade)
            case .json: content = GradeReportJSON.student(grade).pretty(indent: 2) + "\n"
            case .gradescope: content = GradeReportJSON.gradescope(grade, lesson: lesson).pretty(indent: 2) + "\n"
            case .junit: content = GradeReportJUnit.report(lesson: lesson, grades: [grade], wallMs: wallMs)
            }
            return try emit(content, to: output, text: text)
        }
        let summary = ClassSummary(lesson: lesson, grades: grades)
        guard let output else {
            switch format {
            case .text:
                Terminal.write(grades.map(report.student).joined(separator: "\n") + "\n" + report.summary(summary, wallMs: wallMs))
            case .json:
                Terminal.write(GradeReportJSON.report(lesson: lesson, grades: grades, wallMs: wallMs).pretty(indent: 2) + "\n")
            case .gradescope:
                let each = JSON.object(grades.map { (Path.base($0.file), GradeReportJSON.gradescope($0, lesson: lesson)) })
                Terminal.write(JSON.object([("students", each), ("summary", GradeReportJSON.summary(summary))]).pretty(indent: 2) + "\n")
            case .junit:
                Terminal.write(GradeReportJUnit.report(lesson: lesson, grades: grades, wallMs: wallMs))
            }
            return
        }
        // A directory: one report per student, and the class summary.
        try FS.makeDirectories(output, stage: "grade")
        var used: Set<String> = []
        for grade in grades {
            var name = Grader.studentName(grade.file)
            var suffix = 2
            while used.contains(name) { name = Grader.studentName(grade.file) + "-\(suffix)"; suffix += 1 }
            used.insert(name)
            let content: String
            switch format {
            case .text: content = report.student(grade)
            case .json: content = GradeReportJSON.student(grade).pretty(indent: 2) + "\n"
            case .gradescope: content = GradeReportJSON.gradescope(grade, lesson: lesson).pretty(indent: 2) + "\n"
            case .junit: content = GradeReportJUnit.report(lesson: lesson, grades: [grade], wallMs: grade.executionMs)
            }
            try FS.writeAtomically(output + "/" + name + "." + format.fileExtension, content, stage: "grade")
        }
        let summaryContent: String
        switch format {
        case .text: summaryContent = report.summary(summary, wallMs: wallMs)
        case .json, .gradescope: summaryContent = GradeReportJSON.report(lesson: lesson, grades: grades, wallMs: wallMs).pretty(indent: 2) + "\n"
        case .junit: summaryContent = GradeReportJUnit.report(lesson: lesson, grades: grades, wallMs: wallMs)
        }
        let summaryPath = output + "/summary." + format.fileExtension
        try FS.writeAtomically(summaryPath, summaryContent, stage: "grade")
        if format == .text { Terminal.write(report.summary(summary, wallMs: wallMs)) }
        Terminal.line(text("grade.wrote", ["count": String(grades.count), "dir": output, "summary": summaryPath]))
    }

    func emit(_ content: String, to file: String?, text: Localizer) throws {
        guard let file else { return Terminal.write(content) }
        try FS.writeAtomically(file, content, stage: "grade")
        Terminal.line(text("grade.wroteOne", ["file": file]))
    }
}

/// Runs the replays of a class, `jobs` at once, each with a time budget.
final class ClassGrader {
    let lesson: Lesson
    let library: LessonLibrary
    let environment: [String: String]
    let jobs: Int
    let timeoutMs: Int
    let text: Localizer
    let announce: Bool
    let retries: Int
    let binary: String
    private(set) var interrupted = false

    init(lesson: Lesson, library: LessonLibrary, environment: [String: String], jobs: Int, timeoutMs: Int, retries: Int,
         text: Localizer, announce: Bool) {
        self.retries = retries
        self.lesson = lesson
        self.library = library
        self.environment = environment
        self.jobs = jobs
        self.timeoutMs = timeoutMs
        self.text = text
        self.announce = announce
        binary = (try? FS.readLink("/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A transcript waiting for a replay (again, after a replay that earned
    /// less than it claims: `previous` is that replay's grade).
    struct Pending {
        var order: Int
        var file: String
        var attempt = 1
        var previous: StudentGrade?
    }

    final class Job {
        let pending: Pending
        let transcript: Transcript
        let sandbox: ReplaySandbox
        let plan: [PlannedCommand]
        var timedOut = false
        var order: Int { pending.order }
        var file: String { pending.file }

        init(pending: Pending, transcript: Transcript, sandbox: ReplaySandbox, plan: [PlannedCommand]) {
            self.pending = pending
            self.transcript = transcript
            self.sandbox = sandbox
            self.plan = plan
        }
    }

    func grade(_ files: [String]) -> [StudentGrade] {
        Interrupts.install()
        // A runaway replay may not fill the disk: no file it writes grows past 1 GiB.
        var limit = rlimit(rlim_cur: 1 << 30, rlim_max: 1 << 30)
        var current = rlimit()
        if getrlimit(RLIMIT_FSIZE_VALUE, &current) == 0, current.rlim_max > limit.rlim_max { setrlimit(RLIMIT_FSIZE_VALUE, &limit) }
        var grades: [(Int, StudentGrade)] = []
        var queue = files.enumerated().map { Pending(order: $0.offset, file: $0.element) }
        var running: [Job] = []
        func refill() {
            while running.count < jobs, !queue.isEmpty {
                let pending = queue.removeFirst()
                switch start(pending) {
                case let .success(job): running.append(job)
                case let .failure(failed):
                    report(failed.grade)
                    grades.append((pending.order, failed.grade))
                }
            }
        }
        while !queue.isEmpty || !running.isEmpty {
            if Interrupts.pending() {
                interrupted = true
                for job in running { _ = job.sandbox.cleanUp(binary: binary, environment: environment) }
                return []
            }
            refill()
            var done: [Job] = []
            for job in running {
                if job.sandbox.reap() != nil {
                    done.append(job)
                } else if job.sandbox.elapsedMs > timeoutMs {
                    job.timedOut = true
                    job.sandbox.kill()
                    done.append(job)
                }
            }
            if done.isEmpty {
                usleep(20_000)
                continue
            }
            running.removeAll { job in done.contains { $0 === job } }
            for job in done {
                var grade = finish(job)
                if let previous = job.pending.previous, previous.score > grade.score { grade = previous }
                grade.replays = job.pending.attempt
                // A replay that earned less than the transcript claims runs
                // once more (a lesson's check may race with a loaded machine);
                // the better replay counts, the flags stay.
                let retry = grade.flags.contains { $0.kind == .claimNotEarned } && job.pending.attempt <= retries && !job.timedOut
                if retry {
                    queue.insert(Pending(order: job.order, file: job.file, attempt: job.pending.attempt + 1, previous: grade), at: 0)
                }
                // The next replays start before this one's containers are removed.
                refill()
                if let problem = job.sandbox.cleanUp(binary: binary, environment: environment) {
                    Terminal.error(text("grade.leftBehind", ["file": job.file, "reason": problem]))
                    if grade.error == nil { grade.error = problem }
                }
                if !retry {
                    report(grade)
                    grades.append((job.order, grade))
                }
            }
        }
        return grades.sorted { $0.0 < $1.0 }.map(\.1)
    }

    struct Failed: Error { var grade: StudentGrade }

    /// Reads and plans one transcript and starts its replay.
    func start(_ pending: Pending) -> Result<Job, Failed> {
        let file = pending.file
        let transcript: Transcript
        do { transcript = try Transcript.load(file) } catch {
            return .failure(Failed(grade: .failed(file: file, student: Grader.studentName(file), lesson: lesson, error: error.description)))
        }
        let student = transcript.header.flatMap { $0.student.isEmpty ? nil : $0.student } ?? Grader.studentName(file)
        let sandbox: ReplaySandbox
        do { sandbox = try ReplaySandbox(isolateNetwork: true, environment: environment) } catch {
            return .failure(Failed(grade: .failed(file: file, student: student, lesson: lesson, error: "the replay could not start: \(error)")))
        }
        do {
            let plan = Grader.plan(transcript, lesson: lesson, policy: policy(for: transcript, sandbox: sandbox),
                                   split: { try? LineTokenizer.split($0) })
            try FS.writeAtomically(sandbox.scriptPath, Grader.script(plan), stage: "grade")
            try sandbox.launch(binary: binary,
                               arguments: ["shell", "--script", sandbox.scriptPath, "--keep-going", "--record", sandbox.recordPath,
                                           "--root", sandbox.root],
                               environment: ReplayEnvironment.child(environment, sandbox: sandbox, header: transcript.header,
                                                                    student: student, library: library))
            return .success(Job(pending: pending, transcript: transcript, sandbox: sandbox, plan: plan))
        } catch {
            _ = sandbox.cleanUp(binary: binary, environment: environment)
            return .failure(Failed(grade: .failed(file: file, student: student, lesson: lesson, error: "the replay could not start: \(error)")))
        }
    }

    func policy(for transcript: Transcript, sandbox: ReplaySandbox) -> ReplayPolicy {
        ReplayEnvironment.policy(lesson: lesson, library: library, environment: environment, transcript: transcript, sandbox: sandbox)
    }

    func finish(_ job: Job) -> StudentGrade {
        let sandbox = job.sandbox
        let record = sandbox.replayRecord()
        let completed = sandbox.completed(lesson)
        let last = record?.commands.last
        let pending = completed.count < lesson.steps.count
            ? sandbox.pendingChecks(lesson, library: library, environment: environment,
                                    lastOutput: last?.output ?? "", lastStatus: Int32(last?.status ?? 0))
            : []
        let outcome = ReplayOutcome(replay: record, completed: completed, pendingChecks: pending, timedOut: job.timedOut,
                                    executionMs: sandbox.elapsedMs,
                                    literals: ReplayEnvironment.literals(sandbox: sandbox, header: job.transcript.header, lesson: lesson))
        return Grader.grade(file: job.file, transcript: job.transcript, lesson: lesson, plan: job.plan, outcome: outcome)
    }

    func report(_ grade: StudentGrade) {
        guard announce else { return }
        if let error = grade.error {
            Terminal.write(text("grade.progressFailed", ["file": grade.file, "error": error]) + "\n", fd: 2)
        } else {
            Terminal.write(text("grade.progress", ["file": grade.file, "score": String(grade.score), "max": String(grade.maxScore),
                                                   "seconds": GradeText.seconds(grade.executionMs),
                                                   "flags": grade.flags.isEmpty ? "" : text("grade.flagged", ["count": String(grade.flags.count)])]) + "\n", fd: 2)
        }
    }
}

/// What a replay child gets: a small, known environment (nothing of the
/// grader's own leaks in through `run -e NAME`), and the policy.
enum ReplayEnvironment {
    static func child(_ environment: [String: String], sandbox: ReplaySandbox, header: TranscriptHeader?, student: String,
                      library: LessonLibrary, narrate: String? = nil) -> [String: String] {
        var env: [String: String] = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": sandbox.hostBase + "/work",
            "USER": ReplaySandbox.user,
            "LANG": "C.UTF-8",
            "TERM": environment["TERM"] ?? "dumb",
            "BOXLAB_LESSONS": LessonLibrary.defaultDirectory(environment: environment),
            "BOXLAB_STUDENT": student,
            "BOXLAB_NARRATE": narrate ?? header?.narrate ?? "quiet",
            "BOXLAB_LANG": header?.lang ?? "en",
        ]
        for key in ["BOXLAB_SHIM", "BOXLAB_NETWORK", "BOXLAB_SUBNET", "BOXLAB_BRIDGE", "TMPDIR", "NO_COLOR"] {
            if let value = environment[key] { env[key] = value }
        }
        return env
    }

    /// The lesson's own host paths (its `try:` lines and its solution) are the only ones a replay may use.
    static func policy(lesson: Lesson, library: LessonLibrary, environment: [String: String], transcript: Transcript,
                       sandbox: ReplaySandbox) -> ReplayPolicy {
        var commands = lesson.steps.flatMap(\.commands)
        let solution = LessonLibrary.defaultDirectory(environment: environment) + "/solutions/" + lesson.id + ".boxlab"
        if let text = FS.readTextIfPresent(solution) { commands += text.split(separator: "\n").map(String.init) }
        let words = commands.compactMap { try? LineTokenizer.split($0) }
        var verbs = Set(Completer.commandNames())
        verbs.formUnion(["exit", "quit"])
        return ReplayPolicy(knownVerbs: verbs, allowedHostPaths: ReplayPolicy.hostPaths(in: words),
                            recordedRoot: transcript.header?.root ?? CommandContext.defaultRoot, replayRoot: sandbox.root,
                            hostBase: sandbox.hostBase)
    }

    /// Text that differs between the recording and the replay only because
    /// of where each ran.
    /// Any lesson sandbox reads as its root: a student who recorded outside
    /// the lesson is replayed inside it.
    static func literals(sandbox: ReplaySandbox, header: TranscriptHeader?, lesson: Lesson) -> [(String, String)] {
        let recorded = header?.root ?? CommandContext.defaultRoot
        return [
            (sandbox.hostBase + "/work", "."), (sandbox.hostBase, ""),
            (sandbox.root + "/lessons/sandbox/" + lesson.id, "<root>"), (sandbox.root, "<root>"),
            (recorded + "/lessons/sandbox/" + lesson.id, "<root>"), (recorded, "<root>"),
        ]
    }
}

/// The terminal table.
struct GradeText {
    let text: Localizer
    let lesson: Lesson

    static func seconds(_ ms: Int) -> String {
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    func student(_ grade: StudentGrade) -> String {
        var out = ""
        if let error = grade.error {
            return text("grade.notGraded", ["lesson": grade.lesson, "file": grade.file, "error": error]) + "\n"
        }
        out += text("grade.header", ["lesson": grade.lesson, "student": grade.student, "file": grade.file,
                                     "score": String(grade.score), "max": String(grade.maxScore),
                                     "commands": String(grade.commands), "seconds": Self.seconds(grade.executionMs)])
        if grade.timedOut { out += text("grade.timedOut") }
        if grade.replays > 1 { out += text("grade.replays", ["count": String(grade.replays)]) }
        out += "\n"
        out += "  " + text("grade.colStep").padded(to: 6) + text("grade.colPoints").padded(to: 8) + text("grade.colStepText").padded(to: 42)
            + text("grade.colResult") + "\n"
        for step in grade.steps {
            out += "  " + ((step.passed ? "✓ " : "✗ ") + String(step.number)).padded(to: 6)
                + "\(step.points)/\(step.maxPoints)".padded(to: 8) + clip(step.title, 40).padded(to: 42) + step.detail + "\n"
        }
        if !grade.flags.isEmpty {
            out += text("grade.flags", ["count": String(grade.flags.count)]) + "\n"
            for flag in grade.flags {
                let lines = flag.message.split(separator: "\n", omittingEmptySubsequences: false)
                out += "    [\(flag.kind.rawValue)] " + lines.joined(separator: "\n    ") + "\n"
            }
        }
        return out
    }

    func summary(_ summary: ClassSummary, wallMs: Int) -> String {
        let mean = (summary.meanScore * 10).rounded() / 10
        var out = text("grade.summary", [
            "lesson": summary.lesson, "graded": String(summary.graded), "failed": String(summary.failed),
            "flagged": String(summary.flagged), "mean": String(mean), "max": String(summary.maxScore),
            "median": Self.seconds(summary.medianExecutionMs), "wall": Self.seconds(wallMs),
        ]) + "\n"
        out += "  " + text("grade.colStep").padded(to: 6) + text("grade.colPassed").padded(to: 10) + text("grade.colRate").padded(to: 7)
            + text("grade.colStepText") + "\n"
        for step in summary.steps {
            out += "  " + String(step.number).padded(to: 6) + "\(step.passed)/\(step.graded)".padded(to: 10)
                + "\(Int((step.rate * 100).rounded()))%".padded(to: 7) + step.title + "\n"
        }
        return out
    }

    func clip(_ text: String, _ width: Int) -> String {
        text.displayWidth <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}

/// RLIMIT_FSIZE as setrlimit wants it (an enum on glibc, an Int32 elsewhere).
#if canImport(Glibc)
let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#endif
