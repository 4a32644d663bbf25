import BoxJSON
import BoxOS

/// Grades as JSON: boxlab's own report, and Gradescope's results.json.
public enum GradeReportJSON {
    // MARK: - boxlab's report

    public static func student(_ grade: StudentGrade) -> JSON {
        .object([
            ("file", .string(grade.file)), ("student", .string(grade.student)), ("lesson", .string(grade.lesson)),
            ("score", .int(grade.score)), ("max_score", .int(grade.maxScore)),
            ("error", .optional(grade.error)), ("timed_out", .bool(grade.timedOut)),
            ("execution_time", .number(seconds(grade.executionMs))), ("commands", .int(grade.commands)),
            ("replays", .int(grade.replays)),
            ("script", .bool(grade.isScript)),
            ("steps", .array(grade.steps.map { step in
                .object([
                    ("step", .int(step.number)), ("title", .string(step.title)), ("points", .int(step.points)),
                    ("max_points", .int(step.maxPoints)), ("passed", .bool(step.passed)), ("detail", .string(step.detail)),
                    ("earned_at", step.earnedAt.map { .int($0) } ?? .null),
                ])
            })),
            ("flags", .array(grade.flags.map(flag))),
        ])
    }

    static func flag(_ flag: IntegrityFlag) -> JSON {
        .object([("kind", .string(flag.kind.rawValue)), ("command", flag.command.map { .int($0) } ?? .null),
                 ("message", .string(flag.message))])
    }

    public static func summary(_ summary: ClassSummary) -> JSON {
        .object([
            ("lesson", .string(summary.lesson)), ("max_score", .int(summary.maxScore)), ("graded", .int(summary.graded)),
            ("failed", .int(summary.failed)), ("flagged", .int(summary.flagged)),
            ("mean_score", .number((summary.meanScore * 100).rounded() / 100)),
            ("median_execution_time", .number(seconds(summary.medianExecutionMs))),
            ("steps", .array(summary.steps.map { step in
                .object([("step", .int(step.number)), ("title", .string(step.title)), ("passed", .int(step.passed)),
                         ("graded", .int(step.graded)), ("pass_rate", .number((step.rate * 1000).rounded() / 1000))])
            })),
        ])
    }

    /// The whole class (or one student) in one document.
    public static func report(lesson: Lesson, grades: [StudentGrade], wallMs: Int) -> JSON {
        .object([
            ("lesson", .string(lesson.id)), ("max_score", .int(lesson.totalPoints)),
            ("wall_time", .number(seconds(wallMs))),
            ("students", .array(grades.map(student))),
            ("summary", summary(ClassSummary(lesson: lesson, grades: grades))),
        ])
    }

    static func seconds(_ ms: Int) -> Double { (Double(ms) / 10).rounded() / 100 }

    // MARK: - Gradescope

    /// Gradescope's results.json for one submission: score, execution_time,
    /// output, visibility, stdout_visibility, tests[] (name, number, score,
    /// max_score, output, tags, visibility), and extra_data.
    public static func gradescope(_ grade: StudentGrade, lesson: Lesson) -> JSON {
        var output = "boxlab replayed \(Template.count(grade.commands, "command", "commands")) of \(Path.base(grade.file)) for lesson \(grade.lesson): "
            + "\(grade.score)/\(grade.maxScore) points."
        if let error = grade.error { output += "\nThe transcript could not be graded: \(error)" }
        if grade.timedOut { output += "\nThe replay ran out of time." }
        if !grade.flags.isEmpty {
            output += "\nThe replay does not back up everything the transcript says (the score comes from the replay):"
            for flag in grade.flags { output += "\n- [\(flag.kind.rawValue)] " + flag.message }
        }
        var tests: [JSON] = grade.steps.map { step in
            .object([
                ("name", .string("Step \(step.number): \(step.title)")), ("number", .string(String(step.number))),
                ("score", .int(step.points)), ("max_score", .int(step.maxPoints)),
                ("status", .string(step.passed ? "passed" : "failed")),
                ("output", .string(step.detail)), ("tags", .strings(lesson.concepts)), ("visibility", .string("visible")),
            ])
        }
        if !grade.isScript && grade.error == nil {
            tests.append(.object([
                ("name", .string("Transcript integrity")), ("number", .string(String(grade.steps.count + 1))),
                ("score", .int(0)), ("max_score", .int(0)), ("status", .string(grade.flags.isEmpty ? "passed" : "failed")),
                ("output", .string(grade.flags.isEmpty ? "every recorded output and checkpoint matches the replay"
                                   : grade.flags.map { "[\($0.kind.rawValue)] \($0.message)" }.joined(separator: "\n"))),
                ("tags", .strings(["integrity"])), ("visibility", .string("after_published")),
            ]))
        }
        return .object([
            ("score", .int(grade.score)),
            ("execution_time", .number(seconds(grade.executionMs))),
            ("output", .string(output)),
            ("visibility", .string("visible")),
            ("stdout_visibility", .string("hidden")),
            ("tests", .array(tests)),
            ("extra_data", .object([
                ("lesson", .string(grade.lesson)), ("student", .string(grade.student)), ("max_score", .int(grade.maxScore)),
                ("replays", .int(grade.replays)),
                ("flags", .array(grade.flags.map(flag))), ("error", .optional(grade.error)),
            ])),
        ])
    }
}
