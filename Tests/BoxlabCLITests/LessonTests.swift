import Foundation
import Testing

/// Lessons played through the shell in a fresh sandbox, as a student would.
@Suite("lessons", .serialized)
struct LessonTests {
    static let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons").path

    static var solutions: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lessonsDirectory + "/solutions")) ?? [])
            .filter { $0.hasSuffix(".boxlab") }.sorted()
    }

    func shell(_ lab: Boxlab, _ arguments: [String], stdin: String? = nil) throws -> Boxlab.Result {
        setenv("BOXLAB_LESSONS", Self.lessonsDirectory, 1)
        return try lab.run(["shell"] + arguments, stdin: stdin, timeout: 120)
    }

    @Test("lesson validate passes on lessons/")
    func validate() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        setenv("BOXLAB_LESSONS", Self.lessonsDirectory, 1)
        let result = try lab.run(["lesson", "validate"])
        #expect(result.status == 0, "\(result.stderr)")
        let broken = lab.root + "/broken.yaml"
        try "id: bad\ntitle: {en: x}\nsteps:\n  - text: {en: a, ko: b}\n    checks:\n      - nosuch: {}\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try lab.run(["lesson", "validate", broken])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("broken.yaml:2:8: title is missing its ko text"), "\(bad.stderr)")
        #expect(bad.stderr.contains("broken.yaml:6:9: unknown check \"nosuch\""), "\(bad.stderr)")
    }

    @Test("every solution completes its lesson in a fresh sandbox", arguments: LessonTests.solutions)
    func playthrough(_ solution: String) throws {
        guard Requirements.ready() else { return }
        let path = Self.lessonsDirectory + "/solutions/" + solution
        // Lessons with published ports run in a network namespace of the test's own.
        let needsNetwork = (try? String(contentsOfFile: path, encoding: .utf8))?.contains("needs-network") ?? false
        if needsNetwork && !NetLab.ready() { return }
        let net = needsNetwork ? try NetLab() : nil
        let lab = try net?.lab ?? Boxlab()
        defer {
            if let net { net.shutDown() } else { lab.cleanUp() }
            // Lesson 13 moves an image through a host file; leave none behind.
            if solution.hasPrefix("13-") { try? FileManager.default.removeItem(atPath: "/tmp/boxlab-lesson-13.tar") }
        }
        let result = try shell(lab, ["--script", path, "--keep-going"])
        #expect(result.status == 0, "\(solution): \(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("★"), "\(solution) reports completion")
    }

    @Test("a wrong command does not pass a step's checks")
    func wrongAttempt() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let result = try shell(lab, ["--keep-going"], stdin: "lesson start 06-lifecycle\nrun --rm busybox true\ncheck\n")
        #expect(result.status != 0)
        #expect(result.stdout.contains("✗"))
        #expect(!result.stdout.contains("✓ step 1 done"))
    }

    @Test("progress survives a restart; reset removes the lesson's containers and nothing else")
    func progressAndReset() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let outside = try lab.ok(["run", "-d", "--name", "outside", "busybox", "sleep", "60"])
        var result = try shell(lab, [], stdin: "lesson start 06-lifecycle\ncreate --name cycle busybox sleep 300\n")
        #expect(result.stdout.contains("✓ step 1 done"), "\(result.stdout)")
        // A new shell: the lesson is still active, step 2 is next, commands act in its sandbox.
        result = try shell(lab, ["--keep-going"], stdin: "lesson status\nps -a\n")
        #expect(result.stdout.contains("step 2/5"), "\(result.stdout)")
        #expect(result.stdout.contains("cycle"))
        #expect(!result.stdout.contains("outside"), "the lesson's sandbox holds only its own containers")
        result = try shell(lab, [], stdin: "lesson reset\n")
        #expect(result.status == 0, "\(result.stderr)")
        let sandbox = lab.root + "/lessons/sandbox/06-lifecycle"
        #expect(!FileManager.default.fileExists(atPath: sandbox))
        #expect(try lab.state(outside)["Status"] as? String == "running", "reset touched nothing else")
        result = try shell(lab, ["--keep-going"], stdin: "lesson status\n")
        #expect(result.status != 0, "no lesson is active after reset")
    }
}
