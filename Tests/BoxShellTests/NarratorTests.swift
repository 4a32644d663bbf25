import BoxOS
import BoxRuntime
@testable import BoxShell
import Testing

@Suite("narrator: paths, plurals, 80 columns")
struct NarratorTests {
    static let root = "/var/lib/boxlab"
    static let id = "35e5e83a5ffa" + String(repeating: "0123456789ab", count: 4) + "cdef"
    static let layer = "116087ebee5a" + String(repeating: "ba9876543210", count: 4) + "fedc"

    func narrator(_ level: NarrationLevel, _ language: Language = .en) -> Narrator {
        Narrator(level: level, color: false, language: language, root: Self.root)
    }

    /// The overlay as the rootfs stage's event has it (paths of a real run's shape).
    var rootfs: RuntimeEvent {
        let container = Self.root + "/containers/" + Self.id
        return .rootfsMounted(overlay: MountEvidence(
            mountPoint: container + "/rootfs", fsType: "overlay",
            options: "rw,lowerdir=\(Self.root)/layers/\(Self.layer),upperdir=\(container)/upper,workdir=\(container)/work"),
            others: [])
    }

    @Test("at normal the overlay's paths are relative to the root with short ids, and fit 80 columns",
          arguments: Language.allCases)
    func rootfsNormal(_ language: Language) {
        let lines = narrator(.normal, language).lines(rootfs)
        #expect(lines.joined(separator: "\n").contains("lower=layers/116087ebee5a upper=containers/35e5e83a5ffa/upper"))
        #expect(lines.first?.contains("containers/35e5e83a5ffa/rootfs") == true, "\(lines)")
        for line in lines {
            #expect(line.displayWidth <= 80, "\(line.displayWidth): \(line)")
            #expect(!line.contains(Self.root), "\(line)")
        }
    }

    @Test("at deep they are in full")
    func rootfsDeep() {
        let text = narrator(.deep).lines(rootfs).joined(separator: "\n")
        #expect(text.contains("lower=\(Self.root)/layers/\(Self.layer) upper=\(Self.root)/containers/\(Self.id)/upper"))
        #expect(text.contains("overlay mounted on \(Self.root)/containers/\(Self.id)/rootfs"))
    }

    @Test("shown(): only paths under the root change, and only at normal")
    func shown() {
        let normal = narrator(.normal)
        #expect(normal.shown(Self.root + "/containers/" + Self.id) == "containers/35e5e83a5ffa")
        #expect(normal.shown("/var/lib/boxlabX/containers/" + Self.id) == "/var/lib/boxlabX/containers/" + Self.id)
        #expect(normal.shown("/sys/fs/cgroup/pids/boxlab") == "/sys/fs/cgroup/pids/boxlab")
        #expect(normal.shown(Self.root + "/volumes/data") == "volumes/data")
        #expect(narrator(.deep).shown(Self.root + "/layers/" + Self.layer) == Self.root + "/layers/" + Self.layer)
    }

    @Test("the layer count is singular or plural in English, a counter in Korean")
    func layerCount() {
        func image(_ count: Int, _ language: Language) -> String {
            let layers = (0..<count).map { LayerEvidence(diffID: "sha256:\(Self.layer)", path: "/l/\($0)", bytes: 1024) }
            return narrator(.normal, language).lines(.imageResolved(reference: "busybox", imageID: "sha256:" + Self.id,
                                                                    layers: layers)).first ?? ""
        }
        #expect(image(1, .en).contains("busybox → 1 read-only layer ("))
        #expect(image(3, .en).contains("busybox → 3 read-only layers ("))
        #expect(image(1, .ko).contains("busybox → 읽기 전용 레이어 1개 ("))
        #expect(image(3, .ko).contains("busybox → 읽기 전용 레이어 3개 ("))
    }

    @Test("templates: {name|one|other} picks by the count; other braces stay as written")
    func template() {
        #expect(Template.fill("{n} {n|layer|layers}", ["n": "1"]) == "1 layer")
        #expect(Template.fill("{n} {n|layer|layers}", ["n": "0"]) == "0 layers")
        #expect(Template.fill("{{.State.Pid}} {x|a}", ["x": "1"]) == "{{.State.Pid}} {x|a}")
        #expect(Template.fill("{a}", ["a": "{b}", "b": "no"]) == "{b}")
        #expect(Template.count(1, "flag", "flags") == "1 flag" && Template.count(2, "flag", "flags") == "2 flags")
        #expect(Localizer(.en)("lesson.valid", ["count": "1"]) == "1 lesson file valid")
        #expect(Localizer(.en)(.shellByeRunning, ["count": "1", "names": "web"]).hasPrefix("1 container keeps running"))
        #expect(Localizer(.en)("build.needsArguments", ["location": "Boxfile:2", "instruction": "COPY", "count": "2"])
            == "Boxfile:2: COPY requires at least two arguments")
    }

    @Test("no string a student reads says \"(s)\": counts pick the word")
    func noPluralPlaceholders() {
        for language in Language.allCases {
            for (key, text) in Catalog.messages(language) where text.contains("(s)") {
                Issue.record("\(key) in \(language): \(text)")
            }
        }
    }
}
