/// Text in every language a lesson is written in.
public struct Localized: Sendable, Equatable {
    public var en: String
    public var ko: String

    public init(en: String, ko: String) {
        self.en = en
        self.ko = ko
    }

    public func text(_ language: String) -> String { language == "ko" ? ko : en }
}

/// A lesson (guided steps) or an exercise (a goal only), as a teacher wrote
/// it in lessons/ID.yaml.
public struct Lesson: Sendable {
    public var id: String
    public var title: Localized
    public var level: Int
    public var concepts: [String]
    public var steps: [Step]
    /// Set for an exercise: the one goal the student works out alone.
    public var goal: Localized?
    public var file: String

    public var isExercise: Bool { goal != nil }
    public var totalPoints: Int { steps.reduce(0) { $0 + $1.points } }
}

/// One step: what to read, what to try, what must be true afterwards.
public struct Step: Sendable {
    public var text: Localized
    /// Suggested commands; the student may reach the state another way.
    public var commands: [String]
    public var checks: [Check]
    public var hint: Localized?
    public var points: Int
    public var line: Int
}
