#if canImport(Glibc)
import Glibc
#endif
import BoxLessons
import BoxOS
import Testing

/// Lesson files as teachers write them, and the exact positions of their mistakes.
@Suite("lesson files")
struct LessonParserTests {
    static let good = """
    id: 99-sample
    title:
      en: Sample
      ko: 예시
    level: 2
    concepts: [isolation]
    steps:
      - text:
          en: Run it.
          ko: 실행하자.
        try: run --rm busybox true
        checks:
          - container: {name: web, state: running}
          - output: {matches: "^ok$"}
        hints:
          en: Try harder.
          ko: 더 해 보자.
        points: 3
    """

    func parse(_ text: String) -> (Lesson?, [Diagnostic]) {
        var parser = LessonParser(file: "x.yaml")
        let lesson = parser.parse(text)
        return (lesson, parser.diagnostics)
    }

    @Test("a good lesson parses into typed steps and checks")
    func good() throws {
        let (lesson, diagnostics) = parse(Self.good)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let parsed = try #require(lesson)
        #expect(parsed.id == "99-sample")
        #expect(parsed.title.ko == "예시")
        #expect(parsed.level == 2)
        #expect(parsed.steps.count == 1)
        #expect(parsed.steps[0].commands == ["run --rm busybox true"])
        #expect(parsed.steps[0].points == 3)
        #expect(parsed.steps[0].checks.count == 2)
        #expect(parsed.steps[0].checks[0].kind == .container(name: "web", state: "running", exitCode: nil, oomKilled: nil,
                                                              memory: nil, pidsLimit: nil, minimumCount: nil))
        #expect(parsed.totalPoints == 3)
    }

    @Test("mistakes are reported with file:line:column", arguments: [
        // (line to change, its replacement, expected line, column, words in the message)
        ("      ko: 실행하자.\n", "", 9, 7, "text is missing its ko text"),
        ("      - container: {name: web, state: running}", "      - contianer: {name: web}", 13, 9, "unknown check \"contianer\""),
        ("    points: 3", "    points: many", 18, 13, "points must be a whole number"),
        ("      - output: {matches: \"^ok$\"}", "      - output: {matches: \"(\"}", 14, 27, "not a valid regular expression"),
        ("level: 2", "levle: 2", 5, 1, "unknown key \"levle\""),
        ("      - container: {name: web, state: running}", "      - container: {name: web, state: sleeping}", 13, 39, "state must be"),
        ("    try: run --rm busybox true", "    try: [run, {a: b}]", 11, 16, "try entries must be texts"),
    ])
    func mistakes(_ original: String, _ replacement: String, _ line: Int, _ column: Int, _ words: String) {
        let text = Self.good.replacingOccurrencesOf(original, with: replacement)
        #expect(text != Self.good, "the test changes the file")
        let (_, diagnostics) = parse(text)
        #expect(diagnostics.contains { $0.line == line && $0.column == column && $0.message.contains(words) },
                "\(diagnostics.map(\.description))")
    }

    @Test("broken YAML names the place")
    func badYAML() {
        let (lesson, diagnostics) = parse("id: x\ntitle: {en: a, ko: b\nsteps: []\n")
        #expect(lesson == nil)
        #expect(diagnostics.first?.message.hasPrefix("bad YAML") == true)
        #expect(diagnostics.first?.line ?? 0 >= 2)
    }

    @Test("scalars resolve as YAML 1.1 (Yams) did: quoted numbers and flags are texts")
    func scalarStyles() throws {
        func diagnostics(_ original: String, _ replacement: String) -> [String] {
            parse(Self.good.replacingOccurrencesOf(original, with: replacement)).1.map(\.message)
        }
        #expect(diagnostics("    points: 3", "    points: \"3\"").contains { $0.contains("points must be a whole number") })
        #expect(diagnostics("    points: 3", "    points: 0x1_0").isEmpty)
        #expect(diagnostics("level: 2", "level: '2'").contains { $0.contains("level must be a whole number") })
        let flags = "      - container: {name: web, state: running}"
        #expect(diagnostics(flags, "      - container: {name: web, oom_killed: yes}").isEmpty)
        #expect(diagnostics(flags, "      - container: {name: web, oom_killed: 'yes'}").contains { $0.contains("must be true or false") })
        #expect(diagnostics(flags, "      - container: {name: \"1\"}").isEmpty)
        let (lesson, _) = parse(Self.good.replacingOccurrencesOf("    points: 3", with: "    points: 010"))
        #expect(lesson?.steps[0].points == 8)  // YAML 1.1: a leading 0 is octal
    }

    @Test("anchors and aliases stand for the anchored node; undefined aliases and repeated keys are errors")
    func anchorsAndAliases() throws {
        let text = Self.good.replacingOccurrencesOf("    hints:\n", with: "    hints: &same\n")
            .replacingOccurrencesOf("      en: Run it.\n      ko: 실행하자.\n", with: "")
            .replacingOccurrencesOf("  - text:\n", with: "  - text: *same\n")
        let (lesson, diagnostics) = parse(text)
        // The alias comes before its anchor here: YAML refuses that.
        #expect(lesson == nil && diagnostics.first?.message.contains("undefined alias") == true, "\(diagnostics)")
        let forward = Self.good.replacingOccurrencesOf("title:\n", with: "title: &t\n")
            .replacingOccurrencesOf("    hints:\n      en: Try harder.\n      ko: 더 해 보자.\n", with: "    hints: *t\n")
        let (parsed, problems) = parse(forward)
        #expect(problems.isEmpty, "\(problems)")
        #expect(parsed?.steps[0].hint?.ko == "예시")
        let (_, repeated) = parse(Self.good.replacingOccurrencesOf("level: 2", with: "level: 2\nlevel: 3"))
        #expect(repeated.contains { $0.line == 6 && $0.column == 1 && $0.message.contains("duplicated key 'level'") }, "\(repeated)")
        let (_, two) = parse(Self.good + "\n---\nid: again\n")
        #expect(two.contains { $0.line == 19 && $0.message.contains("another document") }, "\(two)")
        let (empty, none) = parse("# only a comment\n")
        #expect(empty == nil && none.map(\.message) == ["the file is empty"])
    }

    @Test("an exercise has a goal and checks, not steps")
    func exercise() throws {
        let text = """
        id: ex-1
        title: {en: Three web servers, ko: 웹 서버 세 개}
        goal: {en: Run three containers of busybox., ko: busybox 컨테이너 세 개를 실행하자.}
        checks:
          - containers_of: {image: busybox, at_least: 3, running: true}
        points: 5
        """
        let (lesson, diagnostics) = parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let parsed = try #require(lesson)
        #expect(parsed.isExercise)
        #expect(parsed.steps.count == 1)
        #expect(parsed.totalPoints == 5)
    }

    @Test("duplicate ids across files are reported")
    func duplicates() throws {
        var template = Array("/tmp/boxlessons-XXXXXX".utf8CString)
        let dir = String(cString: mkdtemp(&template)!)
        defer { try? FS.removeTree(dir) }
        try FS.writeAtomically(dir + "/a.yaml", Self.good)
        try FS.writeAtomically(dir + "/b.yaml", Self.good)
        let library = LessonLibrary(files: LessonLibrary.files(in: dir))
        #expect(library.lessons.count == 1)
        #expect(library.diagnostics.contains { $0.file.hasSuffix("b.yaml") && $0.message.contains("duplicate id") })
    }

    @Test("the shipped curriculum validates, and every lesson has a solution script")
    func curriculum() throws {
        let parts = "\(#filePath)".split(separator: "/").dropLast(3)
        let lessons = "/" + parts.joined(separator: "/") + "/lessons"
        let library = LessonLibrary(files: LessonLibrary.files(in: lessons))
        #expect(library.diagnostics.isEmpty, "\(library.diagnostics.map(\.description))")
        #expect(!library.lessons.isEmpty)
        for lesson in library.lessons {
            #expect(FS.exists(lessons + "/solutions/\(lesson.id).boxlab"), "solution for \(lesson.id)")
            #expect(lesson.steps.allSatisfy { !$0.checks.isEmpty }, "\(lesson.id): every step has checks")
        }
    }
}

extension String {
    func replacingOccurrencesOf(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
