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
                                 timeoutMs: timeout * 1000, retries: retries, shell: .boxlab,
                                 graded: { grade in if isDirectory { Self.report(grade, text: text) } },
                                 leftBehind: { file, problem in Terminal.error(text("grade.leftBehind", ["file": file, "reason": problem])) })
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

    /// One line on stderr per student as their grade is known (when grading a directory).
    static func report(_ grade: StudentGrade, text: Localizer) {
        if let error = grade.error {
            Terminal.write(text("grade.progressFailed", ["file": grade.file, "error": error]) + "\n", fd: 2)
        } else {
            Terminal.write(text("grade.progress", ["file": grade.file, "score": String(grade.score), "max": String(grade.maxScore),
                                                   "seconds": GradeText.seconds(grade.executionMs),
                                                   "flags": grade.flags.isEmpty ? "" : text("grade.flagged", ["count": String(grade.flags.count)])]) + "\n", fd: 2)
        }
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
