import BoxOS

/// What a replay needs to know of the shell it replays into: the verbs it
/// accepts, the state directory it defaults to, and how it splits a line
/// into words. BoxShell owns all three (`ReplayShell.boxlab` there); the
/// grader and `replay` receive them rather than reaching up for them.
public struct ReplayShell: Sendable {
    public var knownVerbs: Set<String>
    public var defaultRoot: String
    public var split: @Sendable (String) -> [String]?

    public init(knownVerbs: Set<String>, defaultRoot: String, split: @escaping @Sendable (String) -> [String]?) {
        self.knownVerbs = knownVerbs
        self.defaultRoot = defaultRoot
        self.split = split
    }
}

/// What a replay child gets: a small, known environment (nothing of the
/// grader's own leaks in through `run -e NAME`), and the policy.
public enum ReplayEnvironment {
    public static func child(_ environment: [String: String], sandbox: ReplaySandbox, header: TranscriptHeader?, student: String,
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

    /// The lesson's own host paths (its `try:` lines and its solution) are
    /// the only ones a replay may use; without a lesson, none.
    public static func policy(lesson: Lesson?, library: LessonLibrary, environment: [String: String], transcript: Transcript,
                              sandbox: ReplaySandbox, shell: ReplayShell) -> ReplayPolicy {
        var hostPaths: [String] = []
        if let lesson {
            var commands = lesson.steps.flatMap(\.commands)
            let solution = LessonLibrary.defaultDirectory(environment: environment) + "/solutions/" + lesson.id + ".boxlab"
            if let text = FS.readTextIfPresent(solution) { commands += text.split(separator: "\n").map(String.init) }
            hostPaths = ReplayPolicy.hostPaths(in: commands.compactMap(shell.split))
        }
        return ReplayPolicy(knownVerbs: shell.knownVerbs, allowedHostPaths: hostPaths,
                            recordedRoot: transcript.header?.root ?? shell.defaultRoot, replayRoot: sandbox.root,
                            hostBase: sandbox.hostBase)
    }

    /// Text that differs between the recording and the replay only because
    /// of where each ran.
    /// Any lesson sandbox reads as its root: a student who recorded outside
    /// the lesson is replayed inside it.
    public static func literals(sandbox: ReplaySandbox, header: TranscriptHeader?, lesson: Lesson, defaultRoot: String) -> [(String, String)] {
        let recorded = header?.root ?? defaultRoot
        return [
            (sandbox.hostBase + "/work", "."), (sandbox.hostBase, ""),
            (sandbox.root + "/lessons/sandbox/" + lesson.id, "<root>"), (sandbox.root, "<root>"),
            (recorded + "/lessons/sandbox/" + lesson.id, "<root>"), (recorded, "<root>"),
        ]
    }
}
