@testable import BoxImages
import Testing

@Suite("Boxfile parser")
struct BoxfileParserTests {
    /// (Boxfile text, the instructions it means after FROM, with an empty environment).
    static let valid: [(String, [Instruction])] = [
        ("FROM busybox\nRUN echo hi", [.run(.shell("echo hi"))]),
        ("from busybox\nrun echo hi", [.run(.shell("echo hi"))]),
        ("FROM busybox\nRUN [\"echo\", \"hi\"]", [.run(.exec(["echo", "hi"]))]),
        ("FROM busybox\nRUN echo a \\\n  && echo b", [.run(.shell("echo a   && echo b"))]),
        ("FROM busybox\nRUN echo a \\\n# a comment inside\n\n  b", [.run(.shell("echo a   b"))]),
        ("# comment\n\nFROM busybox\n   # indented comment\nCMD sh", [.cmd(.shell("sh"))]),
        ("FROM busybox\r\nCMD [\"sh\"]\r\n", [.cmd(.exec(["sh"]))]),
        ("FROM busybox\nENTRYPOINT [\"/bin/echo\"]", [.entrypoint(.exec(["/bin/echo"]))]),
        ("FROM busybox\nENV A=1 B=\"two words\" C='$A'", [.env([KeyValue("A", "1"), KeyValue("B", "two words"), KeyValue("C", "$A")])]),
        ("FROM busybox\nENV GREETING hello there", [.env([KeyValue("GREETING", "hello there")])]),
        ("FROM busybox\nENV A=1\nENV B=${A}x C=$A", [.env([KeyValue("A", "1")]), .env([KeyValue("B", "1x"), KeyValue("C", "1")])]),
        ("FROM busybox\nENV D=${MISSING:-dflt} E=${A:+set}", [.env([KeyValue("D", "dflt"), KeyValue("E", "")])]),
        ("FROM busybox\nWORKDIR /app\nWORKDIR sub/../lib", [.workdir("/app"), .workdir("/app/lib")]),
        ("FROM busybox\nLABEL a=b \"c d\"=e", [.label([KeyValue("a", "b"), KeyValue("c d", "e")])]),
        ("FROM busybox\nEXPOSE 80 53/udp 8000-8010", [.expose(["80/tcp", "53/udp", "8000-8010/tcp"])]),
        ("FROM busybox\nUSER 1000:1000", [.user("1000:1000")]),
        ("FROM busybox\nCOPY a b /dst/", [.copy(CopySpec(isAdd: false, sources: ["a", "b"], destination: "/dst/"))]),
        ("FROM busybox\nCOPY --chown=10:20 [\"a b\", \"/d\"]",
         [.copy(CopySpec(isAdd: false, sources: ["a b"], destination: "/d", owner: (10, 20)))]),
        ("FROM busybox\nADD --chmod=755 run.sh /bin/", [.copy(CopySpec(isAdd: true, sources: ["run.sh"], destination: "/bin/", mode: 0o755))]),
        ("FROM busybox\nENV DIR=/opt\nCOPY f $DIR/", [.env([KeyValue("DIR", "/opt")]), .copy(CopySpec(isAdd: false, sources: ["f"], destination: "/opt/"))]),
    ]

    @Test("reads the Dockerfile subset", arguments: valid)
    func parses(_ text: String, _ expected: [Instruction]) throws {
        let boxfile = try BoxfileParser.parse(text, file: "Boxfile")
        #expect(boxfile.steps.first?.keyword == "FROM")
        var environment: [String] = []
        var workingDir = "/"
        var instructions: [Instruction] = []
        for step in boxfile.steps.dropFirst() {
            let instruction = try step.resolve(environment: environment, workingDir: workingDir)
            if case let .env(pairs) = instruction { environment += pairs.map { $0.key + "=" + $0.value } }
            if case let .workdir(path) = instruction { workingDir = path }
            instructions.append(instruction)
        }
        #expect(instructions == expected)
    }

    @Test func locationsAreTheFirstLineOfAContinuedInstruction() throws {
        let boxfile = try BoxfileParser.parse("# c\nFROM busybox\n\nRUN a \\\n b\nCMD x", file: "Boxfile")
        #expect(boxfile.steps.map(\.location.line) == [2, 4, 6])
        #expect(boxfile.steps[1].text == "RUN a  b")
    }

    /// (text, expected key, expected "FILE:LINE").
    static let invalid: [(String, String, String)] = [
        ("FROM busybox\nFOO bar", "build.unknownInstruction", "Boxfile:2"),
        ("FROM busybox\n\nARG X=1", "build.unsupportedInstruction", "Boxfile:3"),
        ("RUN echo hi", "build.missingFrom", "Boxfile:1"),
        ("# only\n# comments\n", "build.empty", ""),
        ("FROM busybox\nFROM busybox", "build.secondFrom", "Boxfile:2"),
        ("FROM busybox AS build", "build.fromAlias", "Boxfile:1"),
        ("FROM busybox\nCMD [\"sh\", ", "build.badJSON", "Boxfile:2"),
        ("FROM busybox\nRUN [\"sh\", 1]", "build.badJSON", "Boxfile:2"),
        ("FROM busybox\nRUN", "build.needsArguments", "Boxfile:2"),
        ("FROM busybox\nCOPY onlyone", "build.needsArguments", "Boxfile:2"),
        ("FROM busybox\nENV =x", "build.badKeyValue", "Boxfile:2"),
        ("FROM busybox\nENV LONELY", "build.badKeyValue", "Boxfile:2"),
        ("FROM busybox\nENV A=\"open", "build.unterminatedQuote", "Boxfile:2"),
        ("FROM busybox\nENV A=${B", "build.badSubstitution", "Boxfile:2"),
        ("FROM busybox\nCOPY --from=x a b", "build.badFlag", "Boxfile:2"),
        ("FROM busybox\nCOPY --chown=root a b", "build.badChown", "Boxfile:2"),
        ("FROM busybox\nEXPOSE http", "build.badPort", "Boxfile:2"),
        ("FROM busybox\nUSER a b", "build.needsOneArgument", "Boxfile:2"),
        ("FROM busybox\nRUN ok\nRUN ok \\\n  more\nBAD", "build.unknownInstruction", "Boxfile:5"),
    ]

    @Test("errors name FILE:LINE", arguments: invalid)
    func rejects(_ text: String, _ key: String, _ location: String) {
        do {
            _ = try BoxfileParser.parse(text, file: "Boxfile")
            Issue.record("parsed: \(text)")
        } catch let message as ImageMessage {
            #expect(message.key == key)
            #expect(message.exitCode == 1)
            if !location.isEmpty {
                #expect(message.values["location"] == location)
                #expect(message.description.hasPrefix(location + ": "), "\(message.description)")
            }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func messagesReadLikeDockers() throws {
        let step = try BoxfileParser.parse("FROM busybox\nRUN false", file: "Boxfile").steps[1]
        guard case let .run(form) = try step.resolve(environment: [], workingDir: "/") else { return }
        let message = ImageMessage.build("build.runFailed", step.location, ["command": form.display, "code": "1"])
        #expect(message.description == "Boxfile:2: The command '/bin/sh -c false' returned a non-zero code: 1")
    }

    @Test func cacheKeysDependOnParentInstructionAndContent() {
        let a = ImageBuilder.cacheKey(parent: "sha256:" + String(repeating: "a", count: 64), instruction: "RUN echo hi")
        #expect(a == ImageBuilder.cacheKey(parent: "sha256:" + String(repeating: "a", count: 64), instruction: "RUN echo hi"))
        #expect(a != ImageBuilder.cacheKey(parent: "sha256:" + String(repeating: "b", count: 64), instruction: "RUN echo hi"))
        #expect(a != ImageBuilder.cacheKey(parent: "sha256:" + String(repeating: "a", count: 64), instruction: "RUN echo ho"))
        let copy = ImageBuilder.cacheKey(parent: nil, instruction: "COPY f /", content: "sha256:1")
        #expect(copy != ImageBuilder.cacheKey(parent: nil, instruction: "COPY f /", content: "sha256:2"))
        #expect(ContentDigest.isValid(a))
    }

    /// A short fuzz run (CI): mutated Boxfiles either parse or fail with an
    /// ImageMessage naming a line; nothing crashes or hangs.
    @Test func mutatedBoxfilesNeverCrashTheParser() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let corpus = Self.valid.map(\.0) + Self.invalid.map(\.0)
        let alphabet = Array("FROMRUNCOPYENV[]\"'\\${}:-+= \t\n\r#/.,*?ab01".utf8)
        var parsed = 0
        // Longer runs: BOXLAB_FUZZ_ITERATIONS=500000 swift test --filter mutatedBoxfiles
        for _ in 0..<(Int(GlobalEnvironment.value("BOXLAB_FUZZ_ITERATIONS") ?? "") ?? 3000) {
            var bytes = Array(corpus[next(corpus.count)].utf8)
            for _ in 0..<(1 + next(6)) {
                let position = bytes.isEmpty ? 0 : next(bytes.count + 1)
                switch next(3) {
                case 0: bytes.insert(alphabet[next(alphabet.count)], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: next(256)) }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let boxfile = try BoxfileParser.parse(text, file: "F")
                for step in boxfile.steps { _ = try? step.resolve(environment: ["A=1", "B"], workingDir: "/w") }
                parsed += 1
            } catch let message as ImageMessage {
                #expect(message.key.hasPrefix("build."), "\(message)")
            } catch {
                Issue.record("unexpected error \(error) for \(text.debugDescription)")
            }
        }
        #expect(parsed > 0)
    }
}
