import ArgumentParser
import BoxLessons
import BoxOS

/// boxlab lesson list|start|status|stop|reset|validate.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson", abstract: "Guided lessons and exercises, checked against the real state of containers.",
        subcommands: [List.self, Start.self, Status.self, Stop.self, Reset.self, Validate.self])

    @OptionGroup var global: GlobalOptions

    struct List: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List lessons and exercises.")
        @OptionGroup var global: GlobalOptions
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let engine = coach.engine()
            let progress = engine.progress()
            Terminal.line(coach.text("lesson.listHeader", ["count": String(engine.library.lessons.count)]))
            var rows: [[String]] = []
            for lesson in engine.library.lessons {
                let done = progress.currentStep(lesson) == nil ? coach.text("lesson.done") : "\(progress.completed[lesson.id]?.count ?? 0)/\(lesson.steps.count)"
                rows.append([lesson.id, lesson.isExercise ? coach.text("lesson.exercise") : String(lesson.level),
                             lesson.title.text(coach.language), done])
            }
            for row in rows { Terminal.line("  " + row[0].padded(to: 28) + " " + row[1].padded(to: 8) + " " + row[2].padded(to: 40) + " " + row[3]) }
        }
    }

    struct Start: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start (or resume) a lesson in its own sandbox.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lesson id (or its number prefix).") var id: String
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let engine = coach.engine()
            let lesson = try wrap { try engine.start(id) }
            Terminal.line(coach.text("lesson.started", ["id": lesson.id, "title": lesson.title.text(coach.language),
                                                        "root": engine.sandboxRoot(lesson)]))
            coach.showCurrentStep(lesson, engine: engine)
        }
    }

    struct Status: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the active lesson's progress.")
        @OptionGroup var global: GlobalOptions
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let engine = coach.engine()
            guard let lesson = engine.active() else {
                Terminal.line(coach.text("lesson.none"))
                throw ExitCode(1)
            }
            let progress = engine.progress()
            Terminal.line(coach.text("lesson.status", [
                "id": lesson.id, "done": String(progress.completed[lesson.id]?.count ?? 0), "steps": String(lesson.steps.count),
                "points": String(progress.points(lesson)), "total": String(lesson.totalPoints),
            ]))
            coach.showCurrentStep(lesson, engine: engine)
            if progress.currentStep(lesson) != nil { throw ExitCode(1) }
        }
    }

    struct Stop: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Leave the active lesson (progress is kept).")
        @OptionGroup var global: GlobalOptions
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let engine = coach.engine()
            guard let lesson = engine.active() else { return Terminal.line(coach.text("lesson.none")) }
            try engine.stop()
            Terminal.line(coach.text("lesson.stopped", ["id": lesson.id]))
        }
    }

    struct Reset: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Remove a lesson's containers, images and progress.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lesson id (default: the active one).") var id: String?
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let engine = coach.engine()
            guard let lesson = id.flatMap(engine.library.lesson) ?? (id == nil ? engine.active() : nil) else {
                throw wrapError(id.map(LessonError.unknownLesson) ?? .noActiveLesson)
            }
            try engine.reset(lesson)
            Terminal.line(coach.text("lesson.reset", ["id": lesson.id]))
        }
    }

    struct Validate: ContextCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check lesson files; every problem with file:line:column.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Lesson files (default: every file of the lessons directory).") var files: [String] = []
        func run(context: CommandContext) throws {
            let coach = LessonCoach(context: context)
            let paths = files.isEmpty ? LessonLibrary.files(in: LessonLibrary.defaultDirectory(environment: coach.environment)) : files
            let library = LessonLibrary(files: paths)
            for diagnostic in library.diagnostics { Terminal.write(diagnostic.description + "\n", fd: 2) }
            if library.diagnostics.isEmpty {
                Terminal.line(coach.text("lesson.valid", ["count": String(paths.count)]))
            } else {
                Terminal.error(coach.text("lesson.invalid", ["count": String(library.diagnostics.count)]))
                throw ExitCode(1)
            }
        }
    }
}

/// Lesson errors end like other boxlab errors: one line, exit 125.
private func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as LessonError { throw wrapError(error) }
}

private func wrapError(_ error: LessonError) -> Error {
    ValidationError(error.description)
}
