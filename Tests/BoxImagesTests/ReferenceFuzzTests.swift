#if canImport(Glibc)
import Glibc
#endif
import BoxImages
import Testing

/// Fuzzing of the image reference parser. CI runs a short seeded run; a
/// longer one is `BOXLAB_FUZZ_ITERATIONS=2000000 swift test --filter ReferenceFuzz`
/// (see README, "Tests and benchmarks").
@Suite("reference parser fuzz")
struct ReferenceFuzzTests {
    static var iterations: Int {
        Int(GlobalEnvironment.value("BOXLAB_FUZZ_ITERATIONS") ?? "") ?? 20_000
    }

    @Test("random and mutated references parse or are refused with a reason; parsing is stable")
    func fuzz() throws {
        var seed: UInt64 = 0xD1B5_4A32_D192_ED03
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let corpus = ["busybox", "docker/whalesay:latest", "localhost:5000/a/b:v1", "registry.example.com/x@sha256:"
                      + String(repeating: "a", count: 64), "library/busybox", "a.b:1/c_d-e.f:g"]
        let alphabet = Array("abcdefgz0189:/@._-ABZ sha256 \t%\u{7f}".utf8)
        for _ in 0..<Self.iterations {
            var bytes = Array(corpus[next(corpus.count)].utf8)
            for _ in 0..<(1 + next(5)) {
                let position = bytes.isEmpty ? 0 : next(bytes.count + 1)
                switch next(3) {
                case 0: bytes.insert(alphabet[next(alphabet.count)], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: next(256)) }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let reference = try ImageReference.parse(text)
                // What parses once parses again to the same thing.
                let again = try ImageReference.parse(reference.normalized)
                #expect(again == reference, "\(text.debugDescription) → \(reference.normalized)")
            } catch let error as ImageError {
                guard case let .invalidReference(_, reason) = error else {
                    Issue.record("unexpected \(error) for \(text.debugDescription)")
                    continue
                }
                #expect(!reason.isEmpty)
            }
        }
    }
}

/// The environment without Foundation (tests of BoxImages use none).
enum GlobalEnvironment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}
