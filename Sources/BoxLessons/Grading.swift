import BoxOS

/// One command of a transcript as the replay runs it.
public struct PlannedCommand: Sendable {
    /// Its index in the transcript (nil for a line the grader added, e.g. `lesson start`).
    public var index: Int?
    /// What the transcript says.
    public var line: String
    /// What the replay runs (rewritten host paths), nil when refused or skipped.
    public var replayLine: String?
    public var refused: String?
    /// Its line in the replay's script.
    public var scriptLine: Int?

    public init(index: Int?, line: String, replayLine: String?, refused: String? = nil) {
        self.index = index
        self.line = line
        self.replayLine = replayLine
        self.refused = refused
    }
}

/// Something in a transcript that the replay does not back up. Flags never
/// change the score (the replay decides it); they tell the teacher where to look.
public struct IntegrityFlag: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The transcript claims a step the replay did not earn.
        case claimNotEarned = "claim-not-earned"
        /// The replay earned a step the transcript does not claim.
        case unclaimed = "unclaimed"
        /// A recorded output differs from the replay's.
        case outputDiffers = "output-differs"
        /// A recorded exit status differs from the replay's.
        case statusDiffers = "status-differs"
        /// A command was refused on replay.
        case refused = "refused"
        /// The replay stopped before this command (time budget, exit).
        case notReplayed = "not-replayed"
        /// The replay ran out of time.
        case timeout = "timeout"
        /// The transcript's checkpoints do not fit its header (e.g. an unknown step).
        case malformedClaim = "malformed-claim"
    }

    public var kind: Kind
    /// 1-based command number in the transcript, when it is about one.
    public var command: Int?
    public var message: String

    public init(kind: Kind, command: Int?, message: String) {
        self.kind = kind
        self.command = command
        self.message = message
    }
}

public struct StepGrade: Sendable {
    public var number: Int
    public var title: String
    public var points: Int
    public var maxPoints: Int
    public var passed: Bool
    /// Why: the command that earned it, or what its checks saw.
    public var detail: String
    /// 1-based transcript command that completed it on replay.
    public var earnedAt: Int?
}

/// A student's grade: from the replay, with the integrity flags beside it.
public struct StudentGrade: Sendable {
    public var file: String
    public var student: String
    public var lesson: String
    public var score: Int
    public var maxScore: Int
    public var steps: [StepGrade]
    public var flags: [IntegrityFlag]
    /// The transcript could not be graded (bad input, replay failure): why, "file:line: …".
    public var error: String?
    public var timedOut = false
    public var executionMs = 0
    public var commands = 0
    public var isScript = false
    /// How many times it was replayed (again when a replay earned less than claimed; the best counts).
    public var replays = 1

    public init(file: String, student: String, lesson: String, maxScore: Int) {
        self.file = file
        self.student = student
        self.lesson = lesson
        score = 0
        self.maxScore = maxScore
        steps = []
        flags = []
    }

    /// A transcript that could not be read: score 0, every step failed with the reason.
    public static func failed(file: String, student: String, lesson: Lesson, error: String) -> StudentGrade {
        var grade = StudentGrade(file: file, student: student, lesson: lesson.id, maxScore: lesson.totalPoints)
        grade.error = error
        grade.steps = lesson.steps.enumerated().map { index, step in
            StepGrade(number: index + 1, title: Grader.title(step), points: 0, maxPoints: step.points, passed: false,
                      detail: "not graded: \(error)", earnedAt: nil)
        }
        return grade
    }

    public var passedSteps: Int { steps.filter(\.passed).count }
}

/// What a replay left behind, for grading.
public struct ReplayOutcome: Sendable {
    /// The replay's own recording (outputs and checkpoints as the replay saw them).
    public var replay: Transcript?
    /// Steps done in the replay's progress file (0-based, as LessonProgress keeps them).
    public var completed: Set<Int>
    /// For the first step not done: what its checks saw after the last command.
    public var pendingChecks: [CheckResult]
    public var timedOut: Bool
    public var executionMs: Int
    /// Literal text that differs between the recording and the replay (roots, the host directory).
    public var literals: [(String, String)]
    /// Set when the replay could not run at all.
    public var error: String?

    public init(replay: Transcript?, completed: Set<Int>, pendingChecks: [CheckResult], timedOut: Bool, executionMs: Int,
                literals: [(String, String)], error: String? = nil) {
        self.replay = replay
        self.completed = completed
        self.pendingChecks = pendingChecks
        self.timedOut = timedOut
        self.executionMs = executionMs
        self.literals = literals
        self.error = error
    }
}

/// Turns a transcript, its replay plan and what the replay did into a grade.
public enum Grader {
    /// The replay's plan: each transcript command decided by `policy`
    /// (`split` turns a line into words like the shell; nil when it cannot
    /// be parsed, and such a line is skipped).
    /// `lesson start ID` goes first when the transcript never starts the
    /// lesson (it was recorded with the lesson already active).
    public static func plan(_ transcript: Transcript, lesson: Lesson, policy: ReplayPolicy,
                            split: (String) -> [String]?) -> [PlannedCommand] {
        var planned: [PlannedCommand] = []
        let startsLesson = transcript.commands.contains { command in
            guard var words = split(command.line) else { return false }
            if words.first == "docker" || words.first == "boxlab" { words.removeFirst() }
            return words.count >= 3 && words[0] == "lesson" && words[1] == "start"
                && (words[2] == lesson.id || lesson.id.hasPrefix(words[2] + "-"))
        }
        if !startsLesson { planned.append(PlannedCommand(index: nil, line: "lesson start \(lesson.id)", replayLine: "lesson start \(lesson.id)")) }
        for (index, command) in transcript.commands.enumerated() {
            guard let words = split(command.line) else {
                // The shell refused it as typed (a broken quote): it changed nothing then either.
                planned.append(PlannedCommand(index: index, line: command.line, replayLine: nil))
                continue
            }
            switch policy.decide(words) {
            case let .run(rewritten):
                planned.append(PlannedCommand(index: index, line: command.line, replayLine: ReplayPolicy.quote(rewritten)))
            case let .refuse(reason):
                planned.append(PlannedCommand(index: index, line: command.line, replayLine: nil, refused: reason))
            case .skip:
                planned.append(PlannedCommand(index: index, line: command.line, replayLine: nil))
            }
        }
        var line = 0
        for i in planned.indices where planned[i].replayLine != nil {
            line += 1
            planned[i].scriptLine = line
        }
        return planned
    }

    /// The replay's script: one line per command that runs.
    public static func script(_ plan: [PlannedCommand]) -> String {
        plan.compactMap(\.replayLine).map { $0.replacingNewlines() + "\n" }.joined()
    }

    static func title(_ step: Step) -> String {
        let text = step.text.en.split(separator: "\n").first.map(String.init) ?? ""
        let sentence = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        let clean = sentence.trimmingCharacters(in: " ")
        return clean.count > 72 ? String(clean.prefix(71)) + "…" : clean
    }

    public static func grade(file: String, transcript: Transcript, lesson: Lesson, plan: [PlannedCommand],
                             outcome: ReplayOutcome) -> StudentGrade {
        let student = transcript.header?.student.isEmpty == false ? transcript.header!.student : Self.studentName(file)
        var grade = StudentGrade(file: file, student: student, lesson: lesson.id, maxScore: lesson.totalPoints)
        grade.isScript = transcript.isScript
        grade.commands = transcript.commands.count
        grade.timedOut = outcome.timedOut
        grade.executionMs = outcome.executionMs
        if let error = outcome.error {
            grade = .failed(file: file, student: student, lesson: lesson, error: error)
            grade.executionMs = outcome.executionMs
            return grade
        }
        // Replay records by their script line, then by transcript command.
        var replayed: [Int: TranscriptCommand] = [:]
        for command in outcome.replay?.commands ?? [] {
            if let line = command.inputLine, replayed[line] == nil { replayed[line] = command }
        }
        var earnedAt: [Int: Int] = [:]  // 0-based step → 1-based transcript command
        for planned in plan {
            guard let line = planned.scriptLine, let record = replayed[line] else { continue }
            for checkpoint in record.checkpoints where checkpoint.lesson == lesson.id && earnedAt[checkpoint.step - 1] == nil {
                earnedAt[checkpoint.step - 1] = (planned.index ?? -1) + 1
            }
        }
        // Steps: passed as the replay's progress says.
        let firstPending = lesson.steps.indices.first { !outcome.completed.contains($0) }
        for (index, step) in lesson.steps.enumerated() {
            let passed = outcome.completed.contains(index)
            var detail: String
            if passed {
                if let at = earnedAt[index], at > 0 {
                    detail = "earned by command \(at): \(transcript.commands[at - 1].line)"
                } else if earnedAt[index] == 0 {
                    detail = "earned when the lesson started"
                } else {
                    detail = "earned on replay"
                }
            } else if index == firstPending {
                let failing = outcome.pendingChecks.filter { !$0.passed }.map(\.detail)
                detail = failing.isEmpty ? "not done" : "not done: " + failing.joined(separator: "; ")
                if outcome.timedOut { detail += " (the replay ran out of time)" }
            } else {
                detail = "not reached: step \((firstPending ?? 0) + 1) is not done"
            }
            grade.steps.append(StepGrade(number: index + 1, title: title(step), points: passed ? step.points : 0,
                                         maxPoints: step.points, passed: passed, detail: detail,
                                         earnedAt: earnedAt[index].flatMap { $0 > 0 ? $0 : nil }))
        }
        grade.score = grade.steps.reduce(0) { $0 + $1.points }
        grade.flags = flags(transcript: transcript, lesson: lesson, plan: plan, replayed: replayed, outcome: outcome)
        return grade
    }

    static func flags(transcript: Transcript, lesson: Lesson, plan: [PlannedCommand], replayed: [Int: TranscriptCommand],
                      outcome: ReplayOutcome) -> [IntegrityFlag] {
        var flags: [IntegrityFlag] = []
        if outcome.timedOut {
            flags.append(IntegrityFlag(kind: .timeout, command: nil, message: "the replay ran out of time and was stopped"))
        }
        let normalizer = OutputNormalizer(literals: outcome.literals)
        var stopped = false
        for planned in plan {
            let number = planned.index.map { $0 + 1 }
            if let reason = planned.refused {
                flags.append(IntegrityFlag(kind: .refused, command: number, message: "refused on replay: \(reason) — \(planned.line)"))
                continue
            }
            guard let index = planned.index, let line = planned.scriptLine else { continue }
            guard let record = replayed[line] else {
                if !stopped {
                    flags.append(IntegrityFlag(kind: .notReplayed, command: number,
                                               message: "the replay did not finish command \(index + 1): \(planned.line)"))
                    stopped = true
                }
                continue
            }
            let recorded = transcript.commands[index]
            if transcript.isScript || recorded.tty || record.tty { continue }
            if let status = recorded.status, let replayStatus = record.status, status != replayStatus {
                flags.append(IntegrityFlag(kind: .statusDiffers, command: number,
                                           message: "exit status \(status) recorded, \(replayStatus) on replay: \(planned.line)"))
            }
            if let output = recorded.output, let replayOutput = record.output,
               let (was, now) = normalizer.difference(recorded: output, replayed: replayOutput) {
                flags.append(IntegrityFlag(kind: .outputDiffers, command: number,
                                           message: "output differs from the replay: \(planned.line)\n  recorded: \(clip(was))\n  replayed: \(clip(now))"))
            }
        }
        guard !transcript.isScript else { return flags }
        // Claimed checkpoints against earned ones.
        let claims = transcript.claimedCheckpoints.filter { $0.checkpoint.lesson == lesson.id }
        var claimed: Set<Int> = []
        for (command, checkpoint) in claims {
            guard lesson.steps.indices.contains(checkpoint.step - 1) else {
                flags.append(IntegrityFlag(kind: .malformedClaim, command: command + 1,
                                           message: "claims \(checkpoint), but the lesson has \(lesson.steps.count) steps"))
                continue
            }
            claimed.insert(checkpoint.step - 1)
            if !outcome.completed.contains(checkpoint.step - 1) {
                flags.append(IntegrityFlag(kind: .claimNotEarned, command: command + 1,
                                           message: "claims \(checkpoint) at command \(command + 1) (\(transcript.commands[command].line)); the replay did not earn it"))
            }
        }
        for step in outcome.completed.sorted() where !claimed.contains(step) {
            flags.append(IntegrityFlag(kind: .unclaimed, command: nil,
                                       message: "the replay earned \(lesson.id) step \(step + 1), which the transcript does not claim"))
        }
        return flags
    }

    static func clip(_ text: String) -> String { text.count > 160 ? String(text.prefix(159)) + "…" : text }

    /// "class/kim.jsonl" → "kim".
    public static func studentName(_ file: String) -> String {
        let base = Path.base(file)
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// The class: per-step pass rates over the transcripts that could be graded.
public struct ClassSummary: Sendable {
    public struct StepRate: Sendable {
        public var number: Int
        public var title: String
        public var passed: Int
        public var graded: Int
        public var rate: Double { graded == 0 ? 0 : Double(passed) / Double(graded) }
    }

    public var lesson: String
    public var maxScore: Int
    public var graded: Int
    public var failed: Int
    public var flagged: Int
    public var meanScore: Double
    public var medianExecutionMs: Int
    public var steps: [StepRate]

    public init(lesson: Lesson, grades: [StudentGrade]) {
        self.lesson = lesson.id
        maxScore = lesson.totalPoints
        let ok = grades.filter { $0.error == nil }
        graded = ok.count
        failed = grades.count - ok.count
        flagged = ok.filter { !$0.flags.isEmpty }.count
        meanScore = ok.isEmpty ? 0 : Double(ok.reduce(0) { $0 + $1.score }) / Double(ok.count)
        let times = ok.map(\.executionMs).sorted()
        medianExecutionMs = times.isEmpty ? 0 : (times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2)
        steps = lesson.steps.enumerated().map { index, step in
            StepRate(number: index + 1, title: Grader.title(step),
                     passed: ok.filter { $0.steps.indices.contains(index) && $0.steps[index].passed }.count, graded: ok.count)
        }
    }
}

extension String {
    /// A command line on one line (a transcript line never holds a newline the shell would see).
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
