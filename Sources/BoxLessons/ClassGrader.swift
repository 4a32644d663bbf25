#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Runs the replays of a class, `jobs` at once, each with a time budget.
/// It prints nothing: `graded` hears of each grade as it is known, and
/// `leftBehind` of a replay whose containers could not all be removed
/// (file, reason); `grade` then answers the grades in the files' order.
public final class ClassGrader {
    public let lesson: Lesson
    public let library: LessonLibrary
    public let environment: [String: String]
    public let jobs: Int
    public let timeoutMs: Int
    public let retries: Int
    public let shell: ReplayShell
    /// The boxlab each replay runs (`shell --script`): this process's own binary.
    public let binary: String
    let graded: (StudentGrade) -> Void
    let leftBehind: (String, String) -> Void
    public private(set) var interrupted = false

    public init(lesson: Lesson, library: LessonLibrary, environment: [String: String], jobs: Int, timeoutMs: Int, retries: Int,
                shell: ReplayShell, graded: @escaping (StudentGrade) -> Void = { _ in },
                leftBehind: @escaping (String, String) -> Void = { _, _ in }) {
        self.retries = retries
        self.lesson = lesson
        self.library = library
        self.environment = environment
        self.jobs = jobs
        self.timeoutMs = timeoutMs
        self.shell = shell
        self.graded = graded
        self.leftBehind = leftBehind
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

    public func grade(_ files: [String]) -> [StudentGrade] {
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
                    graded(failed.grade)
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
                    leftBehind(job.file, problem)
                    if grade.error == nil { grade.error = problem }
                }
                if !retry {
                    graded(grade)
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
                                   split: shell.split)
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
        ReplayEnvironment.policy(lesson: lesson, library: library, environment: environment, transcript: transcript, sandbox: sandbox,
                                 shell: shell)
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
                                    literals: ReplayEnvironment.literals(sandbox: sandbox, header: job.transcript.header, lesson: lesson,
                                                                         defaultRoot: shell.defaultRoot))
        return Grader.grade(file: job.file, transcript: job.transcript, lesson: lesson, plan: job.plan, outcome: outcome)
    }
}

/// RLIMIT_FSIZE as setrlimit wants it (an enum on glibc, an Int32 elsewhere).
#if canImport(Glibc)
let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#endif
