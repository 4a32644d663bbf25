import Foundation
import Testing

/// Wrong attempts (lessons/wrong/ID.boxlab): a plausible student mistake on
/// the first step (or an exercise's goal), then `check`, played in a fresh
/// sandbox. The checks must fail, nothing may complete, `lesson status` must
/// end non-zero.
@Suite("lesson wrong attempts", .serialized)
struct LessonWrongAttemptTests {
    static var lessonsDirectory: String { LessonTests.lessonsDirectory }

    static var wrongAttempts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lessonsDirectory + "/wrong")) ?? [])
            .filter { $0.hasSuffix(".boxlab") }.sorted()
    }

    static var lessonIDs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lessonsDirectory)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }.sorted()
    }

    @Test("every lesson and exercise has exactly one wrong attempt, and each starts its own lesson")
    func oneWrongAttemptPerLesson() throws {
        let ids = Self.lessonIDs
        #expect(!ids.isEmpty)
        let scripts = Self.wrongAttempts.map { String($0.dropLast(".boxlab".count)) }
        #expect(scripts == ids, "lessons/wrong/ should hold exactly ID.boxlab for every lessons/ID.yaml")
        for id in scripts {
            let text = try String(contentsOfFile: Self.lessonsDirectory + "/wrong/\(id).boxlab", encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.first == "lesson start \(id)", "\(id): the first line starts the lesson")
            #expect(lines.last == "lesson status", "\(id): the last line asks for the status")
            #expect(lines.contains("check"), "\(id): the attempt is checked")
            let solution = (try? String(contentsOfFile: Self.lessonsDirectory + "/solutions/\(id).boxlab", encoding: .utf8)) ?? ""
            #expect(text.contains("needs-network") == solution.contains("needs-network"),
                    "\(id): needs-network exactly when the solution has it")
        }
    }

    @Test("a wrong attempt fails its checks and completes nothing", arguments: LessonWrongAttemptTests.wrongAttempts)
    func wrongAttempt(_ script: String) throws {
        guard Requirements.ready() else { return }
        let path = Self.lessonsDirectory + "/wrong/" + script
        let needsNetwork = (try? String(contentsOfFile: path, encoding: .utf8))?.contains("needs-network") ?? false
        if needsNetwork && !NetLab.ready() { return }
        let net = needsNetwork ? try NetLab() : nil
        let lab = try net?.lab ?? Boxlab()
        defer { if let net { net.shutDown() } else { lab.cleanUp() } }
        setenv("BOXLAB_LESSONS", Self.lessonsDirectory, 1)
        let result = try lab.run(["shell", "--script", path, "--keep-going"], timeout: 120)
        let transcript = "\(script): \(result.stdout)\n\(result.stderr)"
        #expect(result.stdout.contains("✗"), "a failed check is shown — \(transcript)")
        #expect(!result.stdout.contains("✓ step 1 done"), "the first step is not done — \(transcript)")
        #expect(!result.stdout.contains("★"), "nothing completes — \(transcript)")
        #expect(result.status != 0, "lesson status ends non-zero — \(transcript)")
    }
}
