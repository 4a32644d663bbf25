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
        #expect(try Self.instructions(text) == expected)
    }

    /// The instructions after FROM, resolved in order as a build does, from
    /// `environment` (what a base image's config would set).
    static func instructions(_ text: String, environment: [String] = []) throws -> [Instruction] {
        let boxfile = try BoxfileParser.parse(text, file: "Boxfile")
        #expect(boxfile.steps.first?.keyword == "FROM")
        var environment = environment
        var workingDir = "/"
        var instructions: [Instruction] = []
        for step in boxfile.steps.dropFirst() {
            let instruction = try step.resolve(environment: environment, workingDir: workingDir)
            if case let .env(pairs) = instruction { environment += pairs.map { $0.key + "=" + $0.value } }
            if case let .workdir(path) = instruction { workingDir = path }
            instructions.append(instruction)
        }
        return instructions
    }

    /// The error parsing and resolving `text` ends in (nil if none).
    static func failure(_ text: String, environment: [String] = []) -> ImageError? {
        do {
            _ = try instructions(text, environment: environment)
            return nil
        } catch let message as ImageError {
            return message
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    /// The value ENV gives `A` in `text` (after "FROM busybox\n").
    static func env(_ text: String, environment: [String] = []) throws -> String? {
        let instructions = try instructions("FROM busybox\n" + text, environment: environment)
        guard case let .env(pairs)? = instructions.last else { return nil }
        return pairs.first { $0.key == "A" }?.value
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
        } catch let message as ImageError {
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

    // MARK: docker's grammar, one test per rule

    /// Parser directives (buildkit parser.go): `# escape=` with a backtick or
    /// a backslash, key in any case and spaces around `=`, `# syntax=` read
    /// and skipped, only before any instruction, comment or blank line.
    /// With a backtick, `\` is an ordinary character (Windows paths).
    @Test func escapeDirectiveSetsTheEscapeCharacter() throws {
        let windows = "# escape=`\nFROM busybox\nENV P=c:\\foo\\bar Q=a`\"b\nRUN dir c:\\\nRUN echo `\n  hi"
        #expect(try Self.instructions(windows) == [
            .env([KeyValue("P", "c:\\foo\\bar"), KeyValue("Q", "a\"b")]), .run(.shell("dir c:\\")), .run(.shell("echo   hi")),
        ])
        #expect(try BoxfileParser.parse(windows, file: "Boxfile").steps.allSatisfy { $0.escape == "`" })
        #expect(try Self.env("ENV A=x`y") == "x`y")  // no directive: the backtick is plain
        for header in ["#  ESCAPE = `  \n", "# syntax=docker/dockerfile:1\n# Escape=`\n", "\u{FEFF}# escape=`\n"] {
            #expect(try Self.instructions(header + "FROM busybox\nENV A=a`$b") == [.env([KeyValue("A", "a$b")])], "\(header)")
        }
        // After a comment, a blank line or an instruction it is a comment like any other.
        for header in ["# a comment\n# escape=`\n", "\n# escape=`\n", "# unknown=x\n# escape=`\n"] {
            #expect(try Self.instructions(header + "FROM busybox\nENV A=x`y \\\n  B=c") == [.env([KeyValue("A", "x`y"), KeyValue("B", "c")])])
        }
        #expect(try Self.instructions("FROM busybox\n# escape=`\nENV A=a\\$b") == [.env([KeyValue("A", "a$b")])])
        let repeated = Self.failure("# escape=`\n# escape=\\\nFROM busybox")
        #expect(repeated?.key == "build.repeatedDirective")
        #expect(repeated?.description == "Boxfile:2: only one escape parser directive can be used")
        let bad = Self.failure("# escape=x\nFROM busybox")
        #expect(bad?.description == "Boxfile:1: invalid escape token 'x' does not match ` or \\")
        #expect(Self.failure("# escape=  \nFROM busybox")?.values["token"] == " ")
    }

    /// buildkit's lineContinuationRegex, `([^\\])\\[ \t]*$|^\\[ \t]*$`: a line
    /// continues when it ends in the escape character (spaces and tabs may
    /// follow) that is not itself escaped, so `\\` at the end is a value's
    /// backslash. (A third one, `\\\`, does not continue either: the regex
    /// has no look-behind, and docker keeps that.)
    @Test func anEscapedEscapeAtTheEndIsNotAContinuation() throws {
        #expect(try Self.instructions("FROM busybox\nENV C trailing\\\\backslash\\\\\nCMD x") == [
            .env([KeyValue("C", "trailing\\backslash\\")]), .cmd(.shell("x")),
        ])
        #expect(try Self.instructions("FROM busybox\nRUN a \\ \t \n b") == [.run(.shell("a  b"))])
        #expect(try Self.instructions("FROM busybox\nRUN a\\\\  \nCMD b") == [.run(.shell("a\\\\")), .cmd(.shell("b"))])
        #expect(try Self.instructions("FROM busybox\nRUN a\\\\\\\nCMD b") == [.run(.shell("a\\\\\\")), .cmd(.shell("b"))])
    }

    /// Inside a continued instruction (buildkit Parse): comment lines, indented
    /// or not, are dropped; blank lines are dropped with docker's warning;
    /// continuation lines keep their leading spaces; a `#` later in a line is
    /// text; a comment ending in `\` continues nothing; and a file that ends
    /// in a continuation keeps what is there.
    @Test func continuationsDropCommentsAndBlankLines() throws {
        let text = "FROM busybox\n# note \\\nRUN echo a \\\n   # inside\n#inside\n b # kept \\\n\n \t\n c\nCMD x"
        let boxfile = try BoxfileParser.parse(text, file: "Boxfile")
        #expect(boxfile.steps.map(\.text) == ["FROM busybox", "RUN echo a  b # kept  c", "CMD x"])
        #expect(boxfile.steps.map(\.location.line) == [1, 3, 10])
        #expect(boxfile.warnings.map(\.key) == ["build.emptyContinuationLine"])
        #expect(boxfile.warnings.first?.values["location"] == "Boxfile:3")
        let atEOF = try BoxfileParser.parse("FROM busybox\nRUN a \\\nb \\\n", file: "Boxfile")
        #expect(atEOF.steps.map(\.text) == ["FROM busybox", "RUN a b"])
        #expect(atEOF.warnings.isEmpty)
        #expect(try BoxfileParser.parse("FROM busybox\nRUN a \\\n# last", file: "Boxfile").steps.map(\.text) == ["FROM busybox", "RUN a"])
        #expect(try BoxfileParser.parse("FROM busybox\nRUN a", file: "Boxfile").warnings.isEmpty)
    }

    /// shell/lex.go: the word after `:-` (and the other operators) is lexed
    /// like any word: `$Y` and `${Y…}` expand, quotes group, the escape
    /// character takes `$` and `}` literally.
    @Test func defaultsAreWordsOfTheirOwn() throws {
        #expect(try Self.env("ENV A=${X:-$Y}", environment: ["Y=why"]) == "why")
        #expect(try Self.env("ENV A=${X:-${Y:-deep}}") == "deep")
        #expect(try Self.env("ENV A=\"${X:-\"a  b\"}\"") == "a  b")
        #expect(try Self.env("ENV A=${X:-'$Y'}", environment: ["Y=why"]) == "$Y")
        #expect(try Self.env("ENV A=${X:-\\$Y\\}}") == "$Y}")
        #expect(try Self.env("ENV A=${X:+<$X>}", environment: ["X=1"]) == "<1>")
        #expect(Self.failure("FROM busybox\nENV A=${X:-\"open}")?.key == "build.badSubstitution")
    }

    /// shell/lex.go: without `:` only an unset variable counts as missing;
    /// with it, an empty one too.
    @Test func withoutAColonOnlyUnsetCounts() throws {
        let empty = ["E="]
        #expect(try Self.env("ENV A=${E-dflt}", environment: empty) == "")
        #expect(try Self.env("ENV A=${U-dflt}", environment: empty) == "dflt")
        #expect(try Self.env("ENV A=${E:-dflt}", environment: empty) == "dflt")
        #expect(try Self.env("ENV A=${E+alt}", environment: empty) == "alt")
        #expect(try Self.env("ENV A=${U+alt}", environment: empty) == "")
        #expect(try Self.env("ENV A=${E:+alt}", environment: empty) == "")
    }

    /// shell/lex.go: `${V?}` fails when V is unset, `${V:?}` also when it is
    /// empty, with docker's words or the given message; the build fails with
    /// FILE:LINE. Checking the file before the build does not fail on them
    /// (the base image may set V).
    @Test func requiredVariablesFailTheBuild() throws {
        let text = "FROM busybox\n\nENV A=${V?}"
        #expect(try BoxfileParser.parse(text + "\nENV B=${V:?}", file: "Boxfile").steps.count == 3)
        let unset = Self.failure(text)
        #expect(unset?.key == "build.variableUnset")
        #expect(unset?.exitCode == 1)
        #expect(unset?.description == "Boxfile:3: failed to process \"A=${V?}\": V: is not allowed to be unset")
        #expect(try Self.env("ENV A=${V?}", environment: ["V="]) == "")
        let empty = Self.failure("FROM busybox\nENV A=${V:?}", environment: ["V="])
        #expect(empty?.description == "Boxfile:2: failed to process \"A=${V:?}\": V: is not allowed to be empty")
        let message = Self.failure("FROM busybox\nENV A=\"${V:?set V, with $W}\"", environment: ["W=--build-arg"])
        #expect(message?.description.hasSuffix(": V: set V, with --build-arg") == true, "\(String(describing: message))")
        #expect(try Self.env("ENV A=${V:?}", environment: ["V=ok"]) == "ok")
    }

    /// shell/lex.go processName: a name that starts with a digit is all its
    /// digits (`$1x` is `$1` then "x"); `@ * # ? - $ ! 0` are one-character
    /// names, which a build never sets, so they expand to nothing; a `$`
    /// before anything else stays.
    @Test func positionalAndSpecialParametersExpandToNothing() throws {
        #expect(try Self.env("ENV A=<$1x>") == "<x>")
        #expect(try Self.env("ENV A=<$12x>") == "<x>")
        #expect(try Self.env("ENV A=<$@$*$#$?$-$$$!$0>") == "<>")
        #expect(try Self.env("ENV A=<${#}${@}${1}>") == "<>")
        #expect(try Self.env("ENV A=$#x$") == "x$")
        #expect(try Self.env("ENV A=$.$/") == "$.$/")
    }

    /// shell/lex.go: `#`/`##` and `%`/`%%` remove the shortest/longest
    /// prefix/suffix matching a shell pattern (`*`, `?`, `\*`), `/` and `//`
    /// replace the first/every match; `${#V}` (length) is not there, so it
    /// is an unsupported modifier, as is `${V:#…}`; a bad `\` in a pattern
    /// is refused.
    @Test func patternOperatorsAsBuildkitHasThem() throws {
        let path = ["P=/usr/local/lib.tar.gz"]
        #expect(try Self.env("ENV A=${P#*/}", environment: path) == "usr/local/lib.tar.gz")
        #expect(try Self.env("ENV A=${P##*/}", environment: path) == "lib.tar.gz")
        #expect(try Self.env("ENV A=${P%.*}", environment: path) == "/usr/local/lib.tar")
        #expect(try Self.env("ENV A=${P%%.*}", environment: path) == "/usr/local/lib")
        #expect(try Self.env("ENV A=${P%.?z}", environment: path) == "/usr/local/lib.tar")
        #expect(try Self.env("ENV A=${P#/nope}", environment: path) == "/usr/local/lib.tar.gz")
        #expect(try Self.env("ENV A=${P/l/L}", environment: path) == "/usr/Local/lib.tar.gz")
        #expect(try Self.env("ENV A=${P//l/L}", environment: path) == "/usr/LocaL/Lib.tar.gz")
        #expect(try Self.env("ENV A=${P//\\//:}", environment: path) == ":usr:local:lib.tar.gz")
        #expect(try Self.env("ENV A=${S%\\*}", environment: ["S=a**"]) == "a*")
        #expect(try Self.env("ENV A=${U##*}") == "")
        let length = Self.failure("FROM busybox\nENV A=${#P}")
        #expect(length?.description == "Boxfile:2: failed to process \"A=${#P}\": unsupported modifier (P) in substitution")
        #expect(Self.failure("FROM busybox\nENV A=${P:#x}")?.values["modifier"] == ":#")
        #expect(Self.failure("FROM busybox\nENV A=${P:=x}")?.values["modifier"] == ":=")
        #expect(Self.failure("FROM busybox\nENV A=${P#\\q}")?.key == "build.badPattern")
        #expect(Self.failure("FROM busybox\nENV A=${P/x}")?.key == "build.badSubstitution")
    }

    @Test func messagesReadLikeDockers() throws {
        let step = try BoxfileParser.parse("FROM busybox\nRUN false", file: "Boxfile").steps[1]
        guard case let .run(form) = try step.resolve(environment: [], workingDir: "/") else { return }
        let message = ImageError.build("build.runFailed", step.location, ["command": form.display, "code": "1"])
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
    /// ImageError naming a line; nothing crashes or hangs.
    @Test func mutatedBoxfilesNeverCrashTheParser() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let corpus = Self.valid.map(\.0) + Self.invalid.map(\.0) + [
            "# escape=`\nFROM busybox\nENV P=c:\\x Q=a`\"b \\\n R=`\n s",
            "FROM busybox\nENV A=${X:-$Y} B=${X#*/} C=${X//a/b} D=${X?m} E=${X%%.?} F=$1x$@",
        ]
        let alphabet = Array("FROMRUNCOPYENV[]\"'\\${}:-+= \t\n\r#/.,*?ab01`%@".utf8)
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
            } catch let message as ImageError {
                #expect(message.key.hasPrefix("build."), "\(message)")
            } catch {
                Issue.record("unexpected error \(error) for \(text.debugDescription)")
            }
        }
        #expect(parsed > 0)
    }
}
