@testable import BoxLessons
import Testing

/// sim_answer: the student's `answer` against what the simulation computes.
@Suite("simulation answers")
struct SimAnswerTests {
    @Test("density, kernel and crash questions have the simulation's answers", arguments: [
        ("density", "vm", "16g", nil, nil, "15"),
        ("kernel", "container", nil, "windows", nil, "no"),
        ("kernel", "vm", nil, "windows", nil, "yes"),
        ("crash", nil, nil, nil, "host", "0"),
    ] as [(String, String?, String?, String?, String?, String)])
    func answers(_ question: String, _ kind: String?, _ hostMem: String?, _ guest: String?, _ event: String?, _ expected: String) {
        #expect(CheckEvaluator.simulationAnswer(question, kind: kind, hostMem: hostMem, guest: guest, event: event) == expected)
    }

    @Test("a question the simulation cannot answer is no answer")
    func unanswerable() {
        #expect(CheckEvaluator.simulationAnswer("density", kind: "vm", hostMem: "lots", guest: nil, event: nil) == nil)
        #expect(CheckEvaluator.simulationAnswer("weather", kind: nil, hostMem: nil, guest: nil, event: nil) == nil)
    }

    @Test("the check parses with its position, and bad questions are reported")
    func parses() {
        var parser = LessonParser(file: "q.yaml")
        let lesson = parser.parse("""
        id: q
        title: {en: Q, ko: 질문}
        goal: {en: Answer., ko: 답하라.}
        checks:
          - sim_answer: {question: density, kind: vm, host_mem: 16g}
          - sim_answer: {question: weather}
        """)
        #expect(lesson?.steps.first?.checks.first?.kind
                == .simAnswer(question: "density", kind: "vm", hostMem: "16g", guest: nil, event: nil))
        #expect(parser.diagnostics.contains { $0.line == 6 && $0.message.contains("question must be") }, "\(parser.diagnostics)")
    }
}
