#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxLessons
import BoxOS
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Transcripts, replay policy, output comparison, grades and report formats,
/// without running anything.
@Suite("grading: transcripts and reports")
struct GradingTranscriptTests {
    static let lessonYAML = """
    id: 90-sample
    title: {en: Sample, ko: 예시}
    level: 1
    concepts: [lifecycle]
    steps:
      - text: {en: Create it. Then more., ko: 만들자.}
        try: create --name cycle busybox sleep 300
        checks:
          - container: {name: cycle, state: created}
        points: 2
      - text: {en: "Build <it> & \\"run\\" it", ko: 빌드하자.}
        try: run --rm -v /tmp/boxlab-lesson-90:/ctx busybox true
        checks:
          - exit_status: 0
        points: 3
      - text: {en: Remove it., ko: 지우자.}
        try: build --tag x /tmp/boxlab-lesson-90
        checks:
          - container: {name: cycle, state: absent}
        points: 5
    """

    static func lesson() throws -> Lesson {
        var parser = LessonParser(file: "90-sample.yaml")
        let parsed = parser.parse(lessonYAML)
        let lesson = try #require(parsed)
        #expect(parser.diagnostics.isEmpty, "\(parser.diagnostics)")
        return lesson
    }

    static func transcriptText(claims: [[Int]] = [[1], [], [2, 3]]) -> String {
        var lines = [#"{"type":"header","version":1,"boxlab":"0.2.0","lessons":["90-sample"],"student":"kim","started":"2026-11-25T15:04:17.5Z","terminal":{"cols":100,"rows":30},"root":"/var/lib/boxlab","narrate":"quiet","lang":"en"}"#]
        let commands = ["create --name cycle busybox sleep 300", "ps -a", "rm -f cycle"]
        for (index, line) in commands.enumerated() {
            let checkpoints = claims[index].map { #"{"lesson":"90-sample","step":\#($0)}"# }.joined(separator: ",")
            lines.append(#"{"type":"command","line":"\#(line)","output":"ok \#(index)\n","status":0,"started_ms":\#(index * 1000),"duration_ms":250,"checkpoints":[\#(checkpoints)],"input_line":\#(index + 1)}"#)
        }
        lines.append(#"{"type":"end","ended":"2026-11-25T15:05:00Z","commands":3}"#)
        return lines.joined(separator: "\n") + "\n"
    }

    func parse(_ text: String, file: String = "class/kim.jsonl") throws(TranscriptError) -> Transcript {
        try Transcript.parse(Array(text.utf8), file: file)
    }

    func error(_ text: String, file: String = "class/kim.jsonl") -> String {
        do { _ = try parse(text, file: file); return "no error" } catch { return error.description }
    }

    // MARK: - Transcripts

    @Test("a transcript parses: header, commands, checkpoints, end")
    func parses() throws {
        let transcript = try parse(Self.transcriptText())
        let header = try #require(transcript.header)
        #expect(header.student == "kim" && header.cols == 100 && header.rows == 30 && header.lessons == ["90-sample"])
        #expect(transcript.commands.map(\.line) == ["create --name cycle busybox sleep 300", "ps -a", "rm -f cycle"])
        #expect(transcript.commands[2].checkpoints == [Checkpoint(lesson: "90-sample", step: 2), Checkpoint(lesson: "90-sample", step: 3)])
        #expect(transcript.commands[1].startedMs == 1000 && transcript.commands[1].durationMs == 250)
        #expect(transcript.ended != nil && !transcript.isScript)
    }

    @Test("bad transcripts are refused with file:line")
    func badInput() {
        let header = #"{"type":"header","version":1,"student":"kim"}"#
        #expect(error("") == "class/kim.jsonl:1: the transcript is empty")
        #expect(error("\n  \n") == "class/kim.jsonl:1: the transcript is empty")
        #expect(error(header + "\nnot json\n").hasPrefix("class/kim.jsonl:2: not JSON"))
        #expect(error(header + "\n{\"type\":\"command\",\"line\":\"ps\"").hasPrefix("class/kim.jsonl:2: truncated: the last line is cut off"))
        #expect(error(#"{"type":"header","version":2}"# + "\n") == "class/kim.jsonl:1: transcript version 2 is not supported (this boxlab reads version 1)")
        #expect(error(#"{"type":"command","line":"ps"}"# + "\n").hasPrefix("class/kim.jsonl:1: the first line must be the header"))
        #expect(error(header + "\n" + header + "\n") == "class/kim.jsonl:2: a second header (two transcripts joined?)")
        #expect(error(header + "\n{\"type\":\"command\"}\n") == "class/kim.jsonl:2: a command without a \"line\" string")
        #expect(error(header + "\n[1,2]\n") == "class/kim.jsonl:2: expected a JSON object with a \"type\"")
        #expect(error("hello world\n").hasPrefix("class/kim.jsonl:1: not JSON"), "only FILE.boxlab is a plain script when grading")
        let big = [UInt8](repeating: UInt8(ascii: " "), count: Transcript.maxBytes + 1)
        do {
            _ = try Transcript.parse(big, file: "big.jsonl")
            Issue.record("an oversize transcript was accepted")
        } catch {
            #expect(error.description.hasPrefix("big.jsonl:1: the transcript is 16.0 MiB, over the 16 MiB limit"), "\(error)")
        }
    }

    @Test("an oversize file is refused before it is read")
    func oversizeFile() throws {
        let path = NSTemporaryDirectory() + "boxlab-oversize-\(getpid()).jsonl"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(ftruncate(fd, off_t(Transcript.maxBytes + 4096)) == 0)
        close(fd)
        do {
            _ = try Transcript.load(path)
            Issue.record("accepted")
        } catch {
            #expect(error.line == 1 && error.message.contains("over the 16 MiB limit"), "\(error)")
        }
    }

    @Test("a plain script: one command per line, comments and blank lines skipped")
    func script() throws {
        let transcript = try parse("lesson start 06\n\n# a comment\ncreate --name x busybox\n", file: "sol.boxlab")
        #expect(transcript.isScript)
        #expect(transcript.commands.map(\.line) == ["lesson start 06", "create --name x busybox"])
        #expect(transcript.commands.map(\.fileLine) == [1, 4])
        let sniffed = try Transcript.parse(Array("ps -a\n".utf8), file: "notes.txt", scripts: .sniff)
        #expect(sniffed.isScript)
    }

    @Test("the writer appends line by line, and a second shell resumes the same transcript")
    func writerResumes() throws {
        let path = NSTemporaryDirectory() + "boxlab-writer-\(getpid()).jsonl"
        defer { unlink(path) }
        var header = TranscriptHeader()
        header.student = "kim"
        header.lessons = ["90-sample"]
        let writer = try TranscriptWriter(path: path, header: header)
        var command = TranscriptCommand(line: "ps", output: "x\n", status: 0)
        command.checkpoints = [Checkpoint(lesson: "90-sample", step: 1)]
        writer.append(command)
        // Without finish(): as after a crash, the file holds what was done.
        var partial = try Transcript.load(path)
        #expect(partial.commands.count == 1 && partial.ended == nil)
        writer.finish()
        let again = try TranscriptWriter(path: path, header: header)
        var next = TranscriptCommand(line: "images", output: "", status: 0)
        next.startedMs = again.elapsedMs()
        again.append(next)
        again.finish()
        partial = try Transcript.load(path)
        #expect(partial.commands.map(\.line) == ["ps", "images"])
        #expect(partial.commands[1].startedMs >= 1000, "times go on after the first shell's")
        #expect(partial.ended != nil)
    }

    // MARK: - Replay policy

    func policy() -> ReplayPolicy {
        ReplayPolicy(knownVerbs: ["run", "create", "ps", "rm", "ls", "build", "lesson", "shell", "grade", "exec", "save", "load", "image"],
                     allowedHostPaths: ReplayPolicy.hostPaths(in: [
                         ["run", "--rm", "-v", "/tmp/boxlab-lesson-90:/ctx", "busybox", "true"],
                         ["build", "--tag", "x", "/tmp/boxlab-lesson-90"],
                     ]),
                     recordedRoot: "/var/lib/boxlab", replayRoot: "/tmp/r/root", hostBase: "/tmp/r/host")
    }

    @Test("the policy refuses what would leave the sandbox and moves what the lesson allows")
    func policyDecisions() {
        let policy = policy()
        #expect(policy.allowedHostPaths == ["/tmp/boxlab-lesson-90"])
        #expect(policy.decide(["ps", "-a"]) == .run(["ps", "-a"]))
        #expect(policy.decide(["docker", "ps"]) == .run(["ps"]))
        #expect(policy.decide([]) == .skip)
        #expect(policy.decide(["record", "stop"]) == .skip)
        #expect(policy.decide(["curl", "http://x"]) == .refuse("\"curl\" is not a boxlab command"))
        #expect(policy.decide(["shell"]) == .refuse("`shell` cannot run inside a replay"))
        #expect(policy.decide(["grade", "x", "--lesson", "y"]) == .refuse("`grade` cannot run inside a replay"))
        #expect(policy.decide(["ps", "--root", "/"]) == .refuse("--root would leave the replay's sandbox"))
        #expect(policy.decide(["--root=/", "ps"]) == .refuse("--root would leave the replay's sandbox"))
        #expect(policy.decide(["run", "-e", "BOXLAB_ROOT=/", "busybox"]) == .refuse("BOXLAB_ROOT would leave the replay's sandbox"))
        #expect(policy.decide(["run", "-v", "/etc:/x", "busybox", "true"])
                == .refuse("-v /etc: a bind mount of a host path the lesson does not use"))
        #expect(policy.decide(["run", "--volume=/:/host", "busybox"]) == .refuse("-v /: a bind mount of a host path the lesson does not use"))
        #expect(policy.decide(["run", "-v/etc:/x", "busybox"]) == .refuse("-v /etc: a bind mount of a host path the lesson does not use"))
        #expect(policy.decide(["run", "-v", "/tmp/boxlab-lesson-90/../../etc:/x", "busybox"])
                == .refuse("-v /tmp/boxlab-lesson-90/../../etc: a bind mount of a host path the lesson does not use"))
        #expect(policy.decide(["run", "-v", "/tmp/boxlab-lesson-90/sub:/x", "busybox"])
                == .refuse("-v /tmp/boxlab-lesson-90/sub: a bind mount of a host path the lesson does not use"),
                "only the path itself: a container may have left a symlink inside")
        #expect(policy.decide(["run", "-d", "-v", "notes:/data", "busybox"]) == .run(["run", "-d", "-v", "notes:/data", "busybox"]))
        #expect(policy.decide(["run", "--step", "--name", "s", "busybox"]) == .run(["run", "--name", "s", "busybox"]))
        #expect(policy.decide(["run", "--rm", "-v", "/tmp/boxlab-lesson-90:/ctx:ro", "busybox", "ls", "-v", "/etc:/x"])
                == .run(["run", "--rm", "-v", "/tmp/r/host/tmp/boxlab-lesson-90:/ctx:ro", "busybox", "ls", "-v", "/etc:/x"]),
                "words after the image belong to the container")
        #expect(policy.decide(["build", "-t", "x", "/tmp/boxlab-lesson-90"]) == .run(["build", "-t", "x", "/tmp/r/host/tmp/boxlab-lesson-90"]))
        #expect(policy.decide(["build", "-f", "/tmp/boxlab-lesson-90/Boxfile.one", "/tmp/boxlab-lesson-90"])
                == .run(["build", "-f", "/tmp/r/host/tmp/boxlab-lesson-90/Boxfile.one", "/tmp/r/host/tmp/boxlab-lesson-90"]))
        #expect(policy.decide(["build", "/home/teacher"]) == .refuse("build /home/teacher: a host directory the lesson does not use"))
        #expect(policy.decide(["build", "-t", "x", "."]) == .run(["build", "-t", "x", "/tmp/r/host/work"]))
        #expect(policy.decide(["build", "../../.."]) == .refuse("build ../../..: a host directory the lesson does not use"))
        #expect(policy.decide(["ls", "/var/lib/boxlab/layers"]) == .run(["ls", "/tmp/r/root/layers"]))
        #expect(policy.decide(["ls", "/etc"]) == .refuse("ls /etc: outside the sandbox"))
        #expect(policy.decide(["lesson", "validate", "/etc/shadow"]) == .refuse("`lesson validate FILE` reads host files"))
        #expect(policy.decide(["save", "-o", "/etc/passwd", "busybox"]) == .refuse("-o /etc/passwd: a host file the lesson does not use"))
        #expect(policy.decide(["image", "load", "--input=/root/x.tar"]) == .refuse("--input /root/x.tar: a host file the lesson does not use"))
        #expect(policy.decide(["load", "-i", "/tmp/boxlab-lesson-90"]) == .run(["load", "-i", "/tmp/r/host/tmp/boxlab-lesson-90"]))
        #expect(policy.decide(["save", "busybox"]) == .run(["save", "busybox"]))
    }

    @Test("words are quoted back into one shell line")
    func quoting() {
        #expect(ReplayPolicy.quote(["run", "--rm", "busybox", "sh", "-c", "echo it's $HOME # not a comment"])
                == #"run --rm busybox sh -c 'echo it'\''s $HOME # not a comment'"#)
        #expect(ReplayPolicy.quote(["echo", ""]) == "echo ''")
        #expect(ReplayPolicy.quote(["-v", "/a/b:/c:ro", "x=1"]) == "-v /a/b:/c:ro x=1")
    }

    // MARK: - Comparing outputs

    @Test("outputs are compared without ids, pids, inodes, times, sizes, names and padding")
    func normalizer() {
        let normalizer = OutputNormalizer(literals: [("/var/lib/boxlab", "<root>"), ("/tmp/boxlab-replay-x/root", "<root>")])
        let recorded = """
        CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS                      NAMES
        6d25de441fcf   busybox   "sleep 300"   2 seconds ago   Exited (137) 1 second ago   cycle
         ③ clone   PID 3671 on the host is PID 1 inside
                   host pid:[4026531836] → container pid:[4026532180]
        \u{1B}[1;32mdone\u{1B}[0m in 0.12 s, 2.0 MiB, at 15:04:17, in /var/lib/boxlab/containers
        jolly_turing
        """
        let replayed = """
        CONTAINER ID   IMAGE     COMMAND       CREATED                  STATUS                               NAMES
        a1b2c3d4e5f6   busybox   "sleep 300"   Less than a second ago   Exited (137) Less than a second ago   cycle
         ③ clone   PID 812 on the host is PID 1 inside
                   host pid:[4026531836] → container pid:[4026532999]
        done in 1.5 s, 12.25 MiB, at 09:10:11, in /tmp/boxlab-replay-x/root/containers
        sad_hopper
        """
        #expect(normalizer.difference(recorded: recorded, replayed: replayed) == nil,
                "\(normalizer.lines(recorded)) vs \(normalizer.lines(replayed))")
        let changed = normalizer.difference(recorded: "my pid is 1\n", replayed: "my pid is 7\n")
        #expect(changed?.recorded == "my pid is 1" && changed?.replayed == "my pid is 7")
        #expect(normalizer.difference(recorded: "Exited (137)", replayed: "Exited (0)") != nil)
        #expect(normalizer.difference(recorded: "boxlab: /home/kim/lab.boxlab:10: exit status 1",
                                      replayed: "boxlab: /tmp/boxlab-replay-x/script.boxlab:8: exit status 1") == nil)
        #expect(normalizer.difference(recorded: "boxlab: stdin:3:7: unterminated quote",
                                      replayed: "boxlab: /tmp/s.boxlab:2:7: unterminated quote") == nil)
        #expect(normalizer.difference(recorded: "a\nb\n", replayed: "a\n")?.replayed == "(nothing)")
        #expect(normalizer.difference(recorded: "used by 3: writer, w3, w2\nx\n", replayed: "x\nused by 3: w2, writer, w3\n") == nil,
                "lists and lines in another order")
    }

    // MARK: - Grades

    func outcome(completed: Set<Int>, replayClaims: [[Int]]) throws -> ReplayOutcome {
        let replay = try parse(Self.transcriptText(claims: replayClaims), file: "replay.jsonl")
        return ReplayOutcome(replay: replay, completed: completed, pendingChecks: [], timedOut: false, executionMs: 1234, literals: [])
    }

    func plan(_ transcript: Transcript, _ lesson: Lesson) -> [PlannedCommand] {
        Grader.plan(transcript, lesson: lesson, policy: policy(), split: { $0.split(separator: " ").map(String.init) })
    }

    @Test("the grade is what the replay earned; claims beyond it are flagged")
    func gradeAndFlags() throws {
        let lesson = try Self.lesson()
        let transcript = try parse(Self.transcriptText())
        let plan = plan(transcript, lesson)
        #expect(plan.first?.line == "lesson start 90-sample", "the lesson starts first when the transcript does not")
        #expect(plan.compactMap(\.scriptLine) == [1, 2, 3, 4])
        #expect(Grader.script(plan) == "lesson start 90-sample\ncreate --name cycle busybox sleep 300\nps -a\nrm -f cycle\n")
        // The replay's records are keyed by script line: commands 1-3 are script lines 2-4.
        var replay = try parse(Self.transcriptText(claims: [[1], [], [2]]), file: "replay.jsonl")
        for index in replay.commands.indices { replay.commands[index].inputLine = index + 2 }
        let outcome = ReplayOutcome(replay: replay, completed: [0, 1], pendingChecks: [], timedOut: false, executionMs: 1234, literals: [])
        let grade = Grader.grade(file: "class/kim.jsonl", transcript: transcript, lesson: lesson, plan: plan, outcome: outcome)
        #expect(grade.score == 5 && grade.maxScore == 10)
        #expect(grade.steps.map(\.passed) == [true, true, false])
        #expect(grade.steps[0].earnedAt == 1 && grade.steps[1].earnedAt == 3)
        #expect(grade.steps[2].detail.hasPrefix("not done"))
        #expect(grade.flags.map(\.kind) == [.claimNotEarned], "\(grade.flags)")
        #expect(grade.flags.first?.command == 3)
        #expect(grade.student == "kim")
    }

    @Test("a replay that stopped early flags the first command it did not finish")
    func notReplayed() throws {
        let lesson = try Self.lesson()
        let transcript = try parse(Self.transcriptText(claims: [[1], [], []]))
        let plan = plan(transcript, lesson)
        var replay = try parse(Self.transcriptText(claims: [[1], [], []]), file: "replay.jsonl")
        replay.commands = [replay.commands[0]]
        replay.commands[0].inputLine = 2
        let outcome = ReplayOutcome(replay: replay, completed: [0], pendingChecks: [], timedOut: true, executionMs: 120_000, literals: [])
        let grade = Grader.grade(file: "kim.jsonl", transcript: transcript, lesson: lesson, plan: plan, outcome: outcome)
        #expect(grade.score == 2 && grade.timedOut)
        #expect(grade.flags.map(\.kind) == [.timeout, .notReplayed])
        #expect(grade.flags[1].command == 2)
    }

    @Test("the class summary has a pass rate per step")
    func summary() throws {
        let lesson = try Self.lesson()
        let transcript = try parse(Self.transcriptText())
        let plan = plan(transcript, lesson)
        let full = Grader.grade(file: "a.jsonl", transcript: transcript, lesson: lesson, plan: plan,
                                outcome: try outcome(completed: [0, 1, 2], replayClaims: [[], [], []]))
        let half = Grader.grade(file: "b.jsonl", transcript: transcript, lesson: lesson, plan: plan,
                                outcome: try outcome(completed: [0], replayClaims: [[], [], []]))
        let broken = StudentGrade.failed(file: "c.jsonl", student: "c", lesson: lesson, error: "c.jsonl:1: the transcript is empty")
        let summary = ClassSummary(lesson: lesson, grades: [full, half, broken])
        #expect(summary.graded == 2 && summary.failed == 1)
        #expect(summary.steps.map(\.passed) == [2, 1, 1])
        #expect(summary.steps.map(\.rate) == [1.0, 0.5, 0.5])
        #expect(summary.meanScore == 6.0)
    }

    // MARK: - Formats

    func grades() throws -> (Lesson, [StudentGrade]) {
        let lesson = try Self.lesson()
        let transcript = try parse(Self.transcriptText())
        let plan = plan(transcript, lesson)
        var flagged = Grader.grade(file: "class/kim.jsonl", transcript: transcript, lesson: lesson, plan: plan,
                                   outcome: try outcome(completed: [0], replayClaims: [[], [], []]))
        flagged.flags.append(IntegrityFlag(kind: .outputDiffers, command: 2,
                                           message: "output differs: <tag> & \"quotes\" 'and' \u{1B}[31mcolour\u{1B}[0m \u{0}\u{7}"))
        let broken = StudentGrade.failed(file: "class/lee.jsonl", student: "lee", lesson: lesson,
                                         error: "class/lee.jsonl:2: not JSON: unexpected character 'h' at column 1")
        return (lesson, [flagged, broken])
    }

    @Test("Gradescope results.json has the documented fields")
    func gradescope() throws {
        let (lesson, grades) = try grades()
        let text = GradeReportJSON.gradescope(grades[0], lesson: lesson).serialized()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["score"] as? Double == 2)
        #expect(json["execution_time"] is Double)
        #expect(json["output"] is String)
        #expect(json["visibility"] as? String == "visible")
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 4, "three steps and the integrity test")
        for test in tests {
            for key in ["name", "number", "output", "visibility"] { #expect(test[key] is String, "\(key) in \(test)") }
            #expect(test["score"] is Double && test["max_score"] is Double)
            #expect(test["tags"] is [String])
        }
        #expect(tests.map { $0["max_score"] as? Double } == [2, 3, 5, 0])
        let broken = try #require(try JSONSerialization.jsonObject(with: Data(GradeReportJSON.gradescope(grades[1], lesson: lesson).serialized().utf8)) as? [String: Any])
        #expect(broken["score"] as? Double == 0)
        #expect((broken["output"] as? String)?.contains("class/lee.jsonl:2: not JSON") == true)
    }

    @Test("JUnit XML parses with a standard parser, control characters and all")
    func junit() throws {
        let (lesson, grades) = try grades()
        let xml = GradeReportJUnit.report(lesson: lesson, grades: grades, wallMs: 4321)
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var attributes: [[String: String]] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                elements.append(name)
                self.attributes.append(attributes)
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))\n\(xml)")
        #expect(collector.elements.first == "testsuites")
        #expect(collector.elements.filter { $0 == "testsuite" }.count == 2)
        #expect(collector.elements.filter { $0 == "testcase" }.count == 5, "3 steps + integrity, and the broken transcript")
        #expect(collector.elements.filter { $0 == "failure" }.count == 3, "2 steps not earned + integrity")
        #expect(collector.elements.filter { $0 == "error" }.count == 1)
        let root = try #require(collector.attributes.first)
        #expect(root["tests"] == "5" && root["failures"] == "3" && root["errors"] == "1" && root["time"] == "4.321")
        #expect(GradeReportJUnit.escape("a<b>&\"'\u{1B}") == "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}")
    }

    @Test("asciicast v2: a header, then [time, code, data] events and a marker per step")
    func asciicast() throws {
        let transcript = try parse(Self.transcriptText())
        let cast = TranscriptCast.render(transcript)
        let lines = cast.split(separator: "\n").map(String.init)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2 && header["width"] as? Int == 100 && header["height"] as? Int == 30)
        #expect(header["timestamp"] as? Int == 1_795_619_057, "2026-11-25T15:04:17Z")
        #expect((header["title"] as? String)?.contains("kim") == true)
        #expect(header["env"] is [String: Any])
        var last = 0.0
        var markers: [String] = []
        for line in lines.dropFirst() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            #expect(event.count == 3)
            let time = try #require(event[0] as? Double)
            let code = try #require(event[1] as? String)
            #expect(time >= last, "times never go back")
            last = time
            #expect(["o", "i", "m"].contains(code))
            #expect(event[2] is String)
            if code == "m" { markers.append(event[2] as! String) }
        }
        #expect(markers == ["90-sample step 1", "90-sample step 2", "90-sample step 3"])
        #expect(cast.contains(#"[2.25,"o","ok 2\r\n"]"#))
        #expect(TranscriptCast.unixSeconds(rfc3339: "1970-01-01T00:00:00Z") == 0)
        #expect(TranscriptCast.unixSeconds(rfc3339: "2000-03-01T00:00:01.5Z") == 951_868_801)
    }
}
