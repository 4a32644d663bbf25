import BoxJSON
import BoxOS

/// A student's progress, per lesson: which steps are done and the points
/// earned. Kept in ROOT/lessons/progress-USER.json (atomic writes), so it
/// survives a shell restart.
public struct LessonProgress: Sendable, Equatable {
    public var active: String?
    public var completed: [String: Set<Int>] = [:]

    public init() {}

    public func isDone(_ lesson: Lesson, step: Int) -> Bool { completed[lesson.id]?.contains(step) ?? false }

    /// The first step not yet done (nil when the lesson is complete).
    public func currentStep(_ lesson: Lesson) -> Int? {
        lesson.steps.indices.first { !isDone(lesson, step: $0) }
    }

    public func points(_ lesson: Lesson) -> Int {
        (completed[lesson.id] ?? []).reduce(0) { $0 + (lesson.steps.indices.contains($1) ? lesson.steps[$1].points : 0) }
    }

    public static func path(root: String, user: String) -> String { root + "/lessons/progress-\(user).json" }

    public static func load(root: String, user: String) -> LessonProgress {
        var progress = LessonProgress()
        guard let text = FS.readTextIfPresent(path(root: root, user: user)), let json = try? JSON.parse(text) else {
            return progress
        }
        progress.active = json["active"]?.stringValue
        for (id, steps) in json["completed"]?.objectValue ?? [] {
            progress.completed[id] = Set((steps.arrayValue ?? []).compactMap(\.intValue))
        }
        return progress
    }

    public func save(root: String, user: String) throws {
        try FS.makeDirectories(root + "/lessons", stage: "lesson")
        let json = JSON.object([
            ("active", .optional(active)),
            ("completed", .object(completed.keys.sorted().map { id in (id, .array(completed[id]!.sorted().map { .int($0) })) })),
        ])
        try FS.writeAtomically(Self.path(root: root, user: user), json.serialized(), stage: "lesson")
    }
}
