import BoxOS
import BoxShell
import Testing
@testable import BoxSim

/// Every name, reason and narration line the simulation can print exists in
/// English and in Korean.
@Suite("simulation strings")
struct SimStringsTests {
    static var tables: [any StringTable.Type] { Catalog.tables }
    static let english = tables.reduce(into: [String: String]()) { all, table in
        for (key, value) in table.english { all[key.rawValue] = value }
    }
    static let korean = tables.reduce(into: [String: String]()) { all, table in
        for (key, value) in table.korean { all[key.rawValue] = value }
    }

    static var requiredKeys: [String] {
        var keys: [String] = []
        keys += MachineKind.allCases.map { "sim.kind." + $0.rawValue }
        keys += Stage.ID.allCases.map { "sim.stage." + $0.rawValue }
        keys += Unsupported.allCases.map { "sim.reason." + $0.rawValue }
        keys += CrashWhy.allCases.map { "sim.why." + $0.rawValue }
        keys += ["up", "down", "app-down"].map { "sim.state." + $0 }
        keys += GuestOS.allCases.map { "sim.guest." + $0.rawValue }
        keys += ["host", "guest-any-os", "guest-linux", "library-os"].map { "sim.owner." + $0 }
        keys += ["process", "namespaces", "hypervisor"].map { "sim.boundary." + $0 }
        keys += ["beside-on-host", "setns", "guest-agent"].map { "sim.exec." + $0 }
        keys += ["published", "derived", "measured", "assumption"].map { "sim.basis." + $0 }
        keys += MachineKind.allCases.map { "sim.density.why." + $0.rawValue }
        keys += MachineKind.allCases.map { "sim.attack." + $0.rawValue }
        keys += MachineKind.allCases.map { "sim.stop." + $0.rawValue }
        keys += ["host", "guest-kernel", "app"].flatMap { ["sim.crash.title." + $0, "sim.crash.lesson." + $0] }
        keys += ["s", "m", "h", "d"].map { "sim.ago." + $0 }
        keys += ["running", "stopped"].map { "sim.status." + $0 }
        for kind in [MachineKind.vm, .microVM, .unikernel] {
            keys.append("sim.run.head." + kind.rawValue)
            for stage in (try? kind.model.stages(.web, jitter: .none)) ?? [] {
                keys.append("sim.narr.\(kind.rawValue).\(stage.id.rawValue)")
            }
        }
        keys += ["help.compare", "help.sim", "help.vm", "help.unikernel"]
        return keys
    }

    @Test("every key the simulation builds exists in English and Korean")
    func requiredKeysExist() {
        for key in Self.requiredKeys {
            #expect(Self.english[key]?.isEmpty == false, "missing English \(key)")
            #expect(Self.korean[key]?.isEmpty == false, "missing Korean \(key)")
        }
    }

    @Test("the simulation's table has the same keys in both languages, and labels itself")
    func sameKeys() throws {
        let table = try #require(Self.tables.first { $0.english[MessageKey("sim.label")] != nil })
        #expect(Set(table.english.keys) == Set(table.korean.keys))
        #expect(table.english[MessageKey("sim.label")]?.contains("simulated") == true)
        #expect(table.korean[MessageKey("sim.label")]?.contains("시뮬레이션") == true)
    }

    @Test("placeholders match between the languages")
    func placeholders() throws {
        let table = try #require(Self.tables.first { $0.english[MessageKey("sim.label")] != nil })
        for (key, english) in table.english {
            let korean = try #require(table.korean[key])
            #expect(Template.placeholders(english) == Template.placeholders(korean), "\(key.rawValue)")
        }
    }
}
