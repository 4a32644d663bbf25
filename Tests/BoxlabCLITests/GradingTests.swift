import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Recording a session, replaying it and grading it, with the real binary:
/// transcripts are recorded by playing a lesson's solution through
/// `boxlab shell --record`, then graded in sandboxes of their own.
@Suite("grading", .serialized)
struct GradingTests {
    static let lesson = "06-lifecycle"
    static var lessonsDirectory: String { LessonTests.lessonsDirectory }
    static var solution: String { lessonsDirectory + "/solutions/\(lesson).boxlab" }

    /// A lab whose boxlab runs with TMPDIR inside its root, so the replays'
    /// sandboxes are made there and a test can see that none is left.
    func lab() throws -> Boxlab {
        setenv("BOXLAB_LESSONS", Self.lessonsDirectory, 1)
        var lab = try Boxlab()
        try FileManager.default.createDirectory(atPath: lab.root + "/tmp", withIntermediateDirectories: true)
        lab.wrapper = ["/usr/bin/env", "TMPDIR=\(lab.root)/tmp", "BOXLAB_STUDENT=kim"]
        return lab
    }

    func sandboxesLeft(_ lab: Boxlab) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/tmp")) ?? []
    }

    /// Plays the solution with --record; returns the transcript's path.
    func record(_ lab: Boxlab, name: String = "kim.jsonl", script: String? = nil) throws -> String {
        let path = lab.root + "/" + name
        let result = try lab.run(["shell", "--script", script ?? Self.solution, "--keep-going", "--record", path], timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("★"), "the solution completes the lesson: \(result.stdout)")
        return path
    }

    func grade(_ lab: Boxlab, _ arguments: [String]) throws -> (Boxlab.Result, [String: Any]) {
        let result = try lab.run(["grade"] + arguments + ["--lesson", Self.lesson, "--format", "json"], timeout: 300)
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result, json)
    }

    func lines(_ path: String) -> [String] {
        hostFile(path).split(separator: "\n").map(String.init)
    }

    func object(_ line: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }

    @Test("a recorded solution: the transcript's lines, and a full score on replay without flags")
    func correctTranscript() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let path = try record(lab)
        let records = lines(path).map(object)
        let header = try #require(records.first)
        #expect(header["type"] as? String == "header" && header["version"] as? Int == 1)
        #expect(header["student"] as? String == "kim")
        #expect(header["boxlab"] is String && header["started"] is String && header["lessons"] is [String])
        let terminal = try #require(header["terminal"] as? [String: Any])
        #expect(terminal["cols"] is Int && terminal["rows"] is Int)
        let commands = records.filter { $0["type"] as? String == "command" }
        #expect(commands.count == 7, "\(commands.map { $0["line"] ?? "" })")
        for command in commands {
            #expect(command["line"] is String && command["output"] is String && command["status"] is Int)
            #expect(command["started_ms"] is Int && command["duration_ms"] is Int && command["checkpoints"] is [Any])
        }
        let claimed = commands.flatMap { ($0["checkpoints"] as? [[String: Any]]) ?? [] }.compactMap { $0["step"] as? Int }
        #expect(claimed == [1, 2, 3, 4, 5])
        #expect(records.last?["type"] as? String == "end")

        let (result, json) = try grade(lab, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let maxScore = try #require(json["max_score"] as? Int)
        #expect(maxScore > 0)
        #expect(json["score"] as? Int == maxScore, "\(result.stdout)")
        #expect((json["flags"] as? [Any])?.isEmpty == true, "a faithful transcript has no flags: \(json["flags"] ?? "")")
        #expect(json["replays"] as? Int == 1)
        #expect((json["steps"] as? [[String: Any]])?.allSatisfy { $0["passed"] as? Bool == true } == true)
        #expect(sandboxesLeft(lab).isEmpty, "the replay's sandbox is removed: \(sandboxesLeft(lab))")
    }

    @Test("a partial transcript scores the steps it did")
    func partialTranscript() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let full = lines(try record(lab))
        // header, lesson start, create, start: steps 1 and 2 only.
        let partial = lab.root + "/partial.jsonl"
        try (full.prefix(4).joined(separator: "\n") + "\n").write(toFile: partial, atomically: true, encoding: .utf8)
        let (result, json) = try grade(lab, [partial])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["passed"] as? Bool } == [true, true, false, false, false])
        let earned = steps.prefix(2).reduce(0) { $0 + ($1["max_points"] as? Int ?? 0) }
        #expect(json["score"] as? Int == earned)
        #expect((json["flags"] as? [Any])?.isEmpty == true, "\(json["flags"] ?? "")")
    }

    @Test("a hand-edited transcript that claims a step it did not earn scores as replayed and is flagged")
    func handEdited() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        var records = lines(try record(lab)).map(object)
        // The student never stopped the container, but kept the claims (and made up the output).
        let stop = try #require(records.firstIndex { ($0["line"] as? String)?.hasPrefix("stop") == true })
        records[stop]["line"] = "ps"
        let edited = lab.root + "/edited.jsonl"
        let text = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        try (text.joined(separator: "\n") + "\n").write(toFile: edited, atomically: true, encoding: .utf8)
        let (result, json) = try grade(lab, [edited])
        #expect(result.status == 0, "\(result.stderr)")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["passed"] as? Bool } == [true, true, false, false, false], "\(steps)")
        #expect(json["score"] as? Int == steps.prefix(2).reduce(0) { $0 + ($1["max_points"] as? Int ?? 0) })
        let flags = try #require(json["flags"] as? [[String: Any]])
        let kinds = flags.compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "claim-not-earned" }.count == 3, "\(flags)")
        #expect(kinds.contains("output-differs"), "\(flags)")
        #expect(flags.contains { ($0["message"] as? String)?.contains("claims 06-lifecycle step 3") == true })
        #expect(json["replays"] as? Int == 2, "a replay that earns less than claimed runs once more")
    }

    @Test("malformed transcripts are reported with file:line and the rest of the class is still graded")
    func malformedBatch() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let good = lines(try record(lab))
        let classDir = lab.root + "/class"
        try FileManager.default.createDirectory(atPath: classDir, withIntermediateDirectories: true)
        try (good.joined(separator: "\n") + "\n").write(toFile: classDir + "/good.jsonl", atomically: true, encoding: .utf8)
        // The last line cut in the middle.
        let cut = good.prefix(3).joined(separator: "\n") + "\n" + String(good[3].prefix(40))
        try cut.write(toFile: classDir + "/truncated.jsonl", atomically: true, encoding: .utf8)
        try "this is not a transcript\n".write(toFile: classDir + "/notjson.jsonl", atomically: true, encoding: .utf8)
        try "".write(toFile: classDir + "/empty.jsonl", atomically: true, encoding: .utf8)
        try "{\"type\":\"header\",\"version\":9}\n".write(toFile: classDir + "/future.jsonl", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: classDir + "/huge.jsonl", contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: classDir + "/huge.jsonl"))
        try handle.truncate(atOffset: 17 << 20)
        try handle.close()

        let (result, json) = try grade(lab, [classDir, "--jobs", "2"])
        #expect(result.status == 1, "some transcripts could not be graded: \(result.stderr)")
        let students = try #require(json["students"] as? [[String: Any]])
        #expect(students.count == 6)
        func entry(_ name: String) -> [String: Any] { students.first { ($0["file"] as? String)?.hasSuffix("/" + name) == true } ?? [:] }
        #expect(entry("good.jsonl")["score"] as? Int == json["max_score"] as? Int, "\(entry("good.jsonl"))")
        #expect(entry("good.jsonl")["error"] is NSNull)
        let expected = [
            "truncated.jsonl": "truncated.jsonl:4: truncated: the last line is cut off",
            "notjson.jsonl": "notjson.jsonl:1: not JSON",
            "empty.jsonl": "empty.jsonl:1: the transcript is empty",
            "future.jsonl": "future.jsonl:1: transcript version 9 is not supported",
            "huge.jsonl": "huge.jsonl:1: the transcript is 17.0 MiB, over the 16 MiB limit",
        ]
        for (name, message) in expected {
            let error = entry(name)["error"] as? String ?? ""
            #expect(error.contains(message), "\(name): \(error)")
            #expect(entry(name)["score"] as? Int == 0)
            #expect(result.stderr.contains(message), "\(name) is named on stderr")
        }
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["graded"] as? Int == 1 && summary["failed"] as? Int == 5)
        let rates = try #require(summary["steps"] as? [[String: Any]])
        #expect(rates.allSatisfy { $0["pass_rate"] as? Double == 1.0 }, "\(rates)")
        #expect(sandboxesLeft(lab).isEmpty)
    }

    @Test("forbidden commands are refused on replay; a runaway transcript fails that student only")
    func forbiddenAndRunaway() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let classDir = lab.root + "/class"
        try FileManager.default.createDirectory(atPath: classDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.solution, toPath: classDir + "/good.boxlab")
        try """
        lesson start 06-lifecycle
        create --name cycle busybox sleep 300
        run --rm -v /etc:/host busybox cat /host/hostname
        --root /tmp ps
        ls /etc
        run --name hang busybox sleep 1000
        """.write(toFile: classDir + "/runaway.boxlab", atomically: true, encoding: .utf8)
        let (result, json) = try grade(lab, [classDir, "--jobs", "2", "--timeout", "8"])
        #expect(result.status == 0, "\(result.stderr)")
        let students = try #require(json["students"] as? [[String: Any]])
        let good = try #require(students.first { ($0["file"] as? String)?.hasSuffix("good.boxlab") == true })
        let runaway = try #require(students.first { ($0["file"] as? String)?.hasSuffix("runaway.boxlab") == true })
        #expect(good["score"] as? Int == json["max_score"] as? Int)
        #expect(good["timed_out"] as? Bool == false)
        #expect(runaway["timed_out"] as? Bool == true)
        let flags = (runaway["flags"] as? [[String: Any]]) ?? []
        let messages = flags.compactMap { $0["message"] as? String }
        #expect(flags.filter { $0["kind"] as? String == "refused" }.count == 3, "\(messages)")
        #expect(messages.contains { $0.contains("-v /etc: a bind mount of a host path the lesson does not use") })
        #expect(messages.contains { $0.contains("--root would leave the replay's sandbox") })
        #expect(messages.contains { $0.contains("ls /etc: outside the sandbox") })
        #expect(flags.contains { $0["kind"] as? String == "timeout" })
        let firstStep = (runaway["steps"] as? [[String: Any]])?.first?["max_points"] as? Int
        #expect(runaway["score"] as? Int == firstStep, "step 1 was done before the runaway command: \(runaway)")
        #expect(sandboxesLeft(lab).isEmpty)
        let strays = hostFile("/proc/self/mounts").contains(lab.root + "/tmp")
        #expect(!strays, "no mount left from the killed replay")
    }

    @Test("Gradescope results.json has the documented fields")
    func gradescope() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let path = try record(lab)
        let out = lab.root + "/results.json"
        let result = try lab.run(["grade", path, "--lesson", Self.lesson, "--format", "gradescope", "-o", out], timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(json["score"] is NSNumber && json["execution_time"] is NSNumber)
        #expect(json["output"] is String && json["visibility"] as? String == "visible")
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 6, "five steps and the integrity test")
        for test in tests {
            #expect(test["name"] is String && test["number"] is String && test["output"] is String)
            #expect(test["score"] is NSNumber && test["max_score"] is NSNumber)
            #expect(["visible", "hidden", "after_due_date", "after_published"].contains(test["visibility"] as? String ?? ""))
        }
        let sum = tests.reduce(0.0) { $0 + (($1["score"] as? NSNumber)?.doubleValue ?? 0) }
        #expect(sum == (json["score"] as? NSNumber)?.doubleValue)
    }

    @Test("JUnit XML of a class parses with XMLParser")
    func junit() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let good = lines(try record(lab))
        let classDir = lab.root + "/class"
        try FileManager.default.createDirectory(atPath: classDir, withIntermediateDirectories: true)
        try (good.joined(separator: "\n") + "\n").write(toFile: classDir + "/a.jsonl", atomically: true, encoding: .utf8)
        try (good.prefix(4).joined(separator: "\n") + "\n").write(toFile: classDir + "/b.jsonl", atomically: true, encoding: .utf8)
        try "{".write(toFile: classDir + "/c.jsonl", atomically: true, encoding: .utf8)
        let result = try lab.run(["grade", classDir, "--lesson", Self.lesson, "--format", "junit", "--jobs", "2"], timeout: 300)
        #expect(result.status == 1, "c.jsonl cannot be graded")
        final class Counter: NSObject, XMLParserDelegate {
            var counts: [String: Int] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) { counts[name, default: 0] += 1 }
        }
        let parser = XMLParser(data: Data(result.stdout.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "\(String(describing: parser.parserError)): \(result.stdout)")
        #expect(counter.counts["testsuites"] == 1 && counter.counts["testsuite"] == 3)
        #expect(counter.counts["testcase"] == 6 + 6 + 1, "5 steps + integrity twice, one error case")
        #expect(counter.counts["failure"] == 3 && counter.counts["error"] == 1)
    }

    @Test("record start/stop in the shell, and record export writes a well-formed asciicast")
    func recordAndCast() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let path = lab.root + "/session.jsonl"
        let cast = lab.root + "/session.cast"
        let input = "lesson start \(Self.lesson)\nrecord start \(path)\ncreate --name cycle busybox sleep 300\nstart cycle\n"
            + "record stop\nps\nrecord export --cast \(cast)\nrm -f cycle\n"
        let result = try lab.run(["shell", "--keep-going"], stdin: input, timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let records = lines(path).map(object)
        #expect(records.map { $0["type"] as? String ?? "" } == ["header", "command", "command", "end"])
        #expect((records[0]["lessons"] as? [String]) == [Self.lesson], "recorded inside the lesson")
        let events = lines(cast)
        let header = object(events[0])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] is Int && header["height"] is Int && header["timestamp"] is Int)
        #expect(header["title"] is String && header["env"] is [String: Any])
        var last = 0.0
        var markers: [String] = []
        for line in events.dropFirst() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "\(line)")
            #expect(event.count == 3)
            let time = (event[0] as? NSNumber)?.doubleValue ?? -1
            #expect(time >= last)
            last = time
            let code = event[1] as? String ?? ""
            #expect(["o", "i", "m"].contains(code))
            #expect(event[2] is String)
            if code == "m" { markers.append(event[2] as? String ?? "") }
        }
        #expect(markers == ["\(Self.lesson) step 1", "\(Self.lesson) step 2"])
    }

    @Test("replay runs a transcript again in a throw-away sandbox, and --until stops at a step")
    func replay() throws {
        guard Requirements.ready() else { return }
        let lab = try lab()
        defer { lab.cleanUp() }
        let path = try record(lab)
        let result = try lab.run(["replay", path, "--until", "2"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("replay> create --name cycle busybox sleep 300"), "\(result.stdout)")
        #expect(result.stdout.contains("✓ step 2 done"))
        #expect(!result.stdout.contains("✓ step 3 done"))
        #expect(result.stderr.contains("stopped after step 2"), "\(result.stderr)")
        #expect(result.stderr.contains("sandbox removed"))
        #expect(sandboxesLeft(lab).isEmpty)
        // A plain script replays too.
        let script = try lab.run(["replay", Self.solution], timeout: 120)
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout.contains("★"), "\(script.stdout)")
    }
}
