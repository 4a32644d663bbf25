@testable import BoxShell
import Testing

@Suite("shell line tokenizer")
struct TokenizerTests {
    @Test("words like sh splits them", arguments: [
        ("run busybox echo hi", ["run", "busybox", "echo", "hi"]),
        ("run busybox sh -c 'echo $$; exit 3'", ["run", "busybox", "sh", "-c", "echo $$; exit 3"]),
        (#"echo "a \"b\" c" d\ e"#, ["echo", "a \"b\" c", "d e"]),
        ("  ps   -a  # all of them", ["ps", "-a"]),
        ("# only a comment", []),
        ("echo a#b", ["echo", "a#b"]),
        ("echo ''", ["echo", ""]),
    ])
    func split(_ line: String, _ expected: [String]) throws {
        #expect(try LineTokenizer.split(line) == expected)
    }

    @Test("errors name the column")
    func errors() {
        #expect(throws: LineTokenizer.Failure(column: 6, reason: "unterminated quote")) {
            _ = try LineTokenizer.split("echo 'abc")
        }
        #expect(throws: LineTokenizer.Failure.self) { _ = try LineTokenizer.split("echo abc\\") }
    }
}

@Suite("which commands keep the terminal")
struct WantsTerminalTests {
    @Test("only boxlab's own -t before the image or container", arguments: [
        (["run", "-it", "busybox", "sh"], true), (["run", "--rm", "-t", "busybox"], true), (["exec", "-ti", "web", "sh"], true),
        (["exec", "web3", "netstat", "-tln"], false), (["build", "-t", "x", "."], false), (["stop", "-t", "1", "x"], false),
        (["run", "--name", "-t", "busybox"], false), (["run", "--rm", "busybox", "ls", "-t"], false),
    ])
    func cases(_ words: [String], _ expected: Bool) {
        #expect(ShellSession.wantsTerminal(words) == expected)
    }
}

@Suite("completion")
struct CompleterTests {
    let completer = Completer(environment: ["BOXLAB_ROOT": "/nonexistent-boxlab-root"])

    @Test("commands, builtins, flags and shell words")
    func words() {
        #expect(completer.candidates(before: "", word: "pau") == ["pause"])
        #expect(completer.candidates(before: "docker ", word: "unp") == ["unpause"])
        #expect(completer.candidates(before: "", word: "ex").contains("exec"))
        #expect(completer.candidates(before: "", word: "ex").contains("explain"))
        #expect(completer.candidates(before: "run ", word: "--pids").contains("--pids-limit"))
        #expect(completer.candidates(before: "stop ", word: "-").contains("--time"))
        #expect(completer.candidates(before: "lang ", word: "") == ["en", "ko"])
        #expect(completer.candidates(before: "explain ", word: "ker") == ["kernel-sharing"])
        #expect(completer.candidates(before: "run ", word: "bu") == ["busybox"])
        #expect(completer.candidates(before: "run busybox ", word: "x").isEmpty, "after the image comes the container's command")
        #expect(completer.candidates(before: "lesson ", word: "st") == ["start", "status", "stop"])
        #expect(completer.candidates(before: "system ", word: "") == ["df", "prune"])
        #expect(completer.candidates(before: "container ", word: "pr") == ["prune"])
        #expect(completer.candidates(before: "", word: "cle") == ["clear"])
        #expect(completer.candidates(before: "", word: "sys") == ["system"])
        #expect(completer.candidates(before: "inspect ", word: "--f").contains("--format"))
    }

    @Test("common prefix")
    func common() {
        #expect(Completer.commonPrefix(["pause", "pa"]) == "pa")
        #expect(Completer.commonPrefix(["unpause"]) == "unpause")
    }
}
