import BoxOS

/// The lessons in a directory (lessons/*.yaml), parsed and validated
/// together: duplicate ids are a problem of the set, not of one file.
public struct LessonLibrary: Sendable {
    public let lessons: [Lesson]
    public let diagnostics: [Diagnostic]

    /// Parses `files`; every problem of every file is collected.
    public init(files: [String]) {
        var lessons: [Lesson] = []
        var diagnostics: [Diagnostic] = []
        var firstFile: [String: String] = [:]
        for file in files {
            var parser = LessonParser(file: file)
            guard let text = try? FS.readText(file) else {
                diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "cannot read the file"))
                continue
            }
            let lesson = parser.parse(text)
            diagnostics += parser.diagnostics
            guard let lesson else { continue }
            if let other = firstFile[lesson.id] {
                diagnostics.append(Diagnostic(file: file, line: 1, column: 1, message: "duplicate id \"\(lesson.id)\" (also in \(other))"))
                continue
            }
            firstFile[lesson.id] = file
            if parser.diagnostics.isEmpty { lessons.append(lesson) }
        }
        self.lessons = lessons.sorted { ($0.isExercise ? 1 : 0, $0.id) < ($1.isExercise ? 1 : 0, $1.id) }
        self.diagnostics = diagnostics
    }

    /// Every *.yaml file of a directory, sorted.
    public static func files(in directory: String) -> [String] {
        ((try? FS.list(directory)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { directory + "/" + $0 }
    }

    public func lesson(_ id: String) -> Lesson? {
        lessons.first { $0.id == id } ?? lessons.first { $0.id.hasPrefix(id + "-") }
    }

    /// Where the curriculum lives: $BOXLAB_LESSONS, else a `lessons`
    /// directory beside or above the boxlab binary (the repository's, when
    /// run from a build), else /usr/local/share/boxlab/lessons.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let explicit = environment["BOXLAB_LESSONS"], !explicit.isEmpty { return explicit }
        var directory = Path.parent((try? FS.readLink("/proc/self/exe")) ?? "/")
        for _ in 0..<6 {
            if FS.isDirectory(directory + "/lessons") { return directory + "/lessons" }
            directory = Path.parent(directory)
        }
        return "/usr/local/share/boxlab/lessons"
    }
}
