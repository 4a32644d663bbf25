import BoxOS
import BoxRuntime

/// Runs lessons for one student: each lesson gets a sandbox root of its own
/// (its own containers, images and volumes) under HOME/lessons/sandbox/ID,
/// progress is saved after every change, and a step completes when its
/// checks pass after any command.
public struct LessonEngine {
    public let library: LessonLibrary
    /// The boxlab root outside any lesson (where progress lives).
    public let homeRoot: String
    public let user: String
    public let environment: [String: String]

    public init(library: LessonLibrary, homeRoot: String, user: String, environment: [String: String]) {
        self.library = library
        self.homeRoot = homeRoot
        self.user = user
        self.environment = environment
    }

    public func sandboxRoot(_ lesson: Lesson) -> String { homeRoot + "/lessons/sandbox/" + lesson.id }

    public func progress() -> LessonProgress { LessonProgress.load(root: homeRoot, user: user) }

    public func save(_ progress: LessonProgress) throws { try progress.save(root: homeRoot, user: user) }

    /// The active lesson, if any.
    public func active() -> Lesson? { progress().active.flatMap { library.lesson($0) } }

    /// Makes `id` the active lesson and its sandbox ready.
    public func start(_ id: String) throws -> Lesson {
        guard let lesson = library.lesson(id) else { throw LessonError.unknownLesson(id) }
        try FS.makeDirectories(sandboxRoot(lesson), stage: "lesson")
        var progress = progress()
        progress.active = lesson.id
        try save(progress)
        return lesson
    }

    public func stop() throws {
        var progress = progress()
        progress.active = nil
        try save(progress)
    }

    /// Evaluates the current step; marks it (and any later step whose checks
    /// also pass) done. Returns the steps completed now, with the results.
    public func advance(_ lesson: Lesson, lastOutput: String, lastStatus: Int32) throws -> [(step: Int, results: [CheckResult])] {
        var progress = progress()
        var completedNow: [(Int, [CheckResult])] = []
        let evaluator = CheckEvaluator(runtime: Runtime(root: sandboxRoot(lesson), environment: environment),
                                       lastOutput: lastOutput, lastStatus: lastStatus)
        while let index = progress.currentStep(lesson) {
            let results = lesson.steps[index].checks.map(evaluator.evaluate)
            guard !results.isEmpty, results.allSatisfy(\.passed) else { break }
            progress.completed[lesson.id, default: []].insert(index)
            completedNow.append((index, results))
        }
        if !completedNow.isEmpty { try save(progress) }
        return completedNow
    }

    /// The current step's checks with what each saw (for `check`).
    public func results(_ lesson: Lesson, lastOutput: String, lastStatus: Int32) -> [CheckResult] {
        guard let index = progress().currentStep(lesson) else { return [] }
        let evaluator = CheckEvaluator(runtime: Runtime(root: sandboxRoot(lesson), environment: environment),
                                       lastOutput: lastOutput, lastStatus: lastStatus)
        return lesson.steps[index].checks.map(evaluator.evaluate)
    }

    /// Removes the lesson's containers and images (its whole sandbox) and its
    /// progress, and nothing else.
    public func reset(_ lesson: Lesson) throws {
        let root = sandboxRoot(lesson)
        if FS.isDirectory(root) {
            let runtime = Runtime(root: root, environment: environment)
            for container in runtime.allContainers() { try runtime.remove(container.id, force: true, events: .none) }
            try FS.removeTree(root, stage: "lesson")
        }
        var progress = progress()
        progress.completed[lesson.id] = nil
        if progress.active == lesson.id { progress.active = nil }
        try save(progress)
    }
}

public enum LessonError: Error, CustomStringConvertible, Equatable {
    case unknownLesson(String)
    case noActiveLesson

    public var description: String {
        switch self {
        case let .unknownLesson(id): return "no lesson \"\(id)\" (see `lesson list`)"
        case .noActiveLesson: return "no lesson is active (start one with `lesson start ID`)"
        }
    }
}
