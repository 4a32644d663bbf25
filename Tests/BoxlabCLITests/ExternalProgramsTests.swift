import Foundation
import Testing

/// The set-up must install every program the suite calls: a test that
/// passes only because somebody installed a program by hand is how the
/// podman test came to fail on a fresh machine (runc was never installed).
@Suite("set-up: scripts/env.sh installs every host program the tests, benchmarks and lessons call")
struct ExternalProgramsTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// PROGRAM → PACKAGE from env.sh's BOXLAB_PROGRAMS table.
    static func installed(byEnvScript text: String) -> [String: String] {
        guard let start = text.range(of: "BOXLAB_PROGRAMS='"),
              let end = text[start.upperBound...].firstIndex(of: "'") else { return [:] }
        var table: [String: String] = [:]
        for line in text[start.upperBound..<end].split(separator: "\n") {
            let words = line.split(separator: "#", maxSplits: 1)[0].split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2 { table[String(words[0])] = String(words[1]) }
        }
        return table
    }

    /// Programs the list names that env.sh does not install (with the right package).
    static func missing(from text: String) -> [String] {
        let table = installed(byEnvScript: text)
        return HostProgram.allCases.filter { table[$0.name] != $0.package }
            .map { "\($0.name) (package \($0.package))" }
    }

    static func envScript() throws -> String {
        try String(contentsOf: repo.appendingPathComponent("scripts/env.sh"), encoding: .utf8)
    }

    @Test("every program in HostProgram is installed by scripts/env.sh")
    func everyProgramIsInstalled() throws {
        let missing = Self.missing(from: try Self.envScript())
        #expect(missing.isEmpty, "scripts/env.sh does not install: \(missing.joined(separator: ", "))")
    }

    @Test("the check names a program whose entry is removed from scripts/env.sh")
    func removedEntryIsNamed() throws {
        let text = try Self.envScript()
        for program in [HostProgram.runc, .podman, .tmux] {
            let kept = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix(program.name + " ") }.joined(separator: "\n")
            #expect(kept != text, "env.sh has a line for \(program.name)")
            #expect(Self.missing(from: kept) == ["\(program.name) (package \(program.package))"])
        }
    }

    /// The benchmarks are shell scripts: every program they check for
    /// (`command -v X`, `ensure_tool X PKG`) must be one the list names.
    @Test("every program a benchmark checks for is in the list")
    func benchmarkProgramsAreListed() throws {
        let directory = Self.repo.appendingPathComponent("benchmarks")
        let known = Set(HostProgram.allCases.map(\.name))
        var unknown: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !file.hasSuffix(".md") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            // Without comments and the helper's own definition (`ensure_tool() {`).
            let code = text.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0] }
                .filter { !$0.contains("ensure_tool()") }
            let words = code.joined(separator: "\n").split(whereSeparator: { " \t\n;|&(){}\"".contains($0) }).map(String.init)
            for (index, word) in words.enumerated().dropLast() {
                let named: String
                if word == "ensure_tool" { named = words[index + 1] }
                else if word == "-v", index > 0, words[index - 1] == "command" { named = words[index + 1] }
                else { continue }
                // apt-get is how a benchmark installs a missing peer: Debian's own, not a dependency.
                if !named.hasPrefix("$") && named != "apt-get" && !known.contains(named) { unknown.append("benchmarks/\(file): \(named)") }
            }
        }
        #expect(unknown.isEmpty, "programs the benchmarks call that HostProgram (and so env.sh) does not name: \(unknown)")
    }
}
