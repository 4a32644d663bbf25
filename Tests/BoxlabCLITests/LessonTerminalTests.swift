import Foundation
import Testing

/// Issue 7's acceptance: a student completes lesson 1 in the real shell, in Korean.
@Suite("a lesson in a real terminal")
struct LessonTerminalTests {
    @Test("lesson 1 completed in the real shell with lang ko")
    func lessonOneInKorean() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 140, height: 50)
        defer { term.shutDown() }
        guard term.waitForLine("the outer shell's prompt", { $0.hasPrefix(TmuxTerminal.hostPrompt) }) else { return }
        term.type("BOXLAB_LESSONS='\(LessonTests.lessonsDirectory)' " + term.boxlab(lab, "shell") + "; echo SHELL_EXIT=$?")
        guard term.waitForLine("the lab shell's prompt", { $0.hasPrefix("boxlab>") }) else { return }

        term.type("lang ko")
        guard term.waitForLine("언어: ko", { $0.contains("언어: ko") }) else { return }
        term.type("lesson start 01-what-is-a-container")
        guard term.waitForLine("the first step in Korean", { $0.contains("단계 1/") }) else { return }
        guard term.waitForLine("the prompt shows the lesson", { $0.hasPrefix("boxlab [01-what-is-a-container 1/") }) else { return }

        // The student types the solution's commands one by one.
        let script = try String(contentsOfFile: LessonTests.lessonsDirectory + "/solutions/01-what-is-a-container.boxlab",
                                encoding: .utf8)
        let commands = script.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("lesson ") && !$0.isEmpty }
        for (index, line) in commands.enumerated() {
            let promptsBefore = term.screen().filter { $0.hasPrefix("boxlab [") }.count
            term.type(line)
            guard term.waitUntil("the prompt after command \(index + 1)", {
                term.screen().filter { $0.hasPrefix("boxlab [") }.count > promptsBefore
            }) else { return }
        }
        #expect(term.screen().contains { $0.contains("✓ 1단계 완료") }, "step 1 was announced in Korean")
        guard term.waitForLine("the lesson is complete", { $0.contains("★ 레슨 01-what-is-a-container 완료") }) else { return }
        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=0")
    }
}
