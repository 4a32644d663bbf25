import BoxShell
import Foundation
import Testing

/// What a student reads on stderr while a container is made: at normal a
/// default run fits an 80-column terminal in both languages, its paths
/// relative to the root; deep shows them in full.
@Suite("narration fits the terminal, paths relative at normal")
struct NarrationTests {
    /// `run --rm busybox true` narrated at `level` in `language`: its stderr lines.
    func narration(_ lab: Boxlab, level: String, language: String) throws -> [String] {
        var lab = lab
        lab.environment = ["BOXLAB_NARRATE": level, "BOXLAB_LANG": language, "NO_COLOR": "1"]
        let result = try lab.run(["run", "--rm", "busybox", "true"])
        #expect(result.status == 0, "run at \(level) in \(language): \(result.stderr)")
        return result.stderr.split(separator: "\n").map(String.init)
    }

    /// `containers/<12 hex>/<part>` (or `layers/<12 hex>`) as a whole word or after `=`.
    func hasShortPath(_ line: String, _ path: String) -> Bool {
        let pattern = "(^|[ =])" + path.replacingOccurrences(of: "<id>", with: "[0-9a-f]{12}") + "($|[^0-9A-Za-z/._-])"
        return (try? Regex(pattern)).map { line.firstMatch(of: $0) != nil } ?? false
    }

    @Test("at normal every line fits 80 columns, in English and Korean, with paths relative to the root",
          arguments: ["en", "ko"])
    func normalFits(_ language: String) throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let lines = try narration(lab, level: "normal", language: language)
        #expect(lines.count >= 8, "narration: \(lines)")
        for line in lines {
            #expect(line.displayWidth <= 80, "\(line.displayWidth) columns: \(line)")
            #expect(!line.contains(lab.root), "a full root path at normal: \(line)")
        }
        #expect(lines.contains { hasShortPath($0, "upper=containers/<id>/upper") }, "containers/<12 hex>/upper: \(lines)")
        #expect(lines.contains { hasShortPath($0, "lower=layers/<id>") }, "layers/<12 hex>: \(lines)")
        #expect(lines.contains { hasShortPath($0, "containers/<id>/rootfs") }, "the mount point: \(lines)")
        let layerWord = language == "ko" ? "레이어 1개" : "1 read-only layer "
        #expect(lines.contains { $0.contains(layerWord) }, "singular layer count: \(lines)")
        #expect(!lines.contains { $0.contains("(s)") }, "no (s) placeholders: \(lines)")
    }

    @Test("at deep the overlay's paths are shown in full, from the root")
    func deepFull() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let lines = try narration(lab, level: "deep", language: "en")
        let upper = lines.first { $0.contains("upper=") } ?? ""
        let full = lab.root + "/containers/"
        #expect(upper.contains("upper=" + full), "upper in full: \(upper)")
        #expect(upper.contains("lower=" + lab.root + "/layers/"), "lower in full: \(upper)")
        let id = upper.components(separatedBy: "upper=" + full).dropFirst().first?.prefix { $0 != "/" } ?? ""
        #expect(id.count == 64, "the whole container id at deep: \(upper)")
        #expect(lines.contains { $0.contains("overlay mounted on " + full + id + "/rootfs") }, "\(lines)")
    }

    @Test("--network help names boxlab's default: none unless -p or $BOXLAB_NETWORK")
    func networkHelp() throws {
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        for verb in ["run", "create"] {
            let help = try lab.run([verb, "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(help.contains("Default: $BOXLAB_NETWORK, else bridge with -p, else none."), "\(verb): \(help)")
            #expect(!help.contains("bridge (default"), "\(verb): \(help)")
        }
    }
}
