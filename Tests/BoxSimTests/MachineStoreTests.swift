import Foundation
import Testing
@testable import BoxSim

/// Simulated machines persist under ROOT/sim/ so a later command lists them.
@Suite("machine store")
struct MachineStoreTests {
    func temporaryRoot() throws -> String {
        let path = NSTemporaryDirectory() + "boxsim-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func machine(_ name: String, _ kind: MachineKind = .vm, created: Int64 = 1) throws -> SimMachine {
        SimMachine(name: name, kind: kind, image: "busybox", memory: try kind.model.memory(.web, guestRAM: nil),
                   stages: try kind.model.stages(.web, jitter: Jitter(seed: 3)), status: .running,
                   createdNanos: created, seed: 3)
    }

    @Test("save, load in another store value, list, stop, remove")
    func roundTrip() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = MachineStore(root: root)
        let vm = try machine("vm-1", created: 10)
        try store.withLock { try store.save(vm) }
        try store.save(try machine("unikernel-1", .unikernel, created: 20))
        #expect(FileManager.default.fileExists(atPath: root + "/sim/machines/vm-1.json"))
        let again = MachineStore(root: root)
        #expect(try again.load("vm-1") == vm)
        #expect(again.all().map(\.name) == ["vm-1", "unikernel-1"])
        #expect(again.nextName(for: .vm) == "vm-2")
        #expect(again.nextName(for: .microVM) == "microvm-1")
        #expect(again.reservedByRunning() == vm.memory.reserved + (try UnikernelModel().memory(.web, guestRAM: nil)).reserved)
        var stopped = vm
        stopped.status = .stopped
        try again.save(stopped)
        #expect(try store.load("vm-1").status == .stopped)
        try store.remove("vm-1")
        #expect(throws: SimError.noSuchMachine("vm-1")) { try store.load("vm-1") }
        #expect(throws: SimError.noSuchMachine("vm-1")) { try store.remove("vm-1") }
        // No temporary files are left by the atomic writes.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/sim/machines") == ["unikernel-1.json"])
    }

    @Test("names follow docker's rule; paths cannot escape the store")
    func names() throws {
        #expect(MachineStore.isValidName("vm-1") && MachineStore.isValidName("Web.2_a"))
        for bad in ["", "-x", "../etc/passwd", "a/b", "vm 1", "한글"] { #expect(!MachineStore.isValidName(bad), "\(bad)") }
        let store = MachineStore(root: try temporaryRoot())
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        #expect(!store.exists("../../etc/passwd"))
        #expect(throws: SimError.noSuchMachine("../x")) { try store.load("../x") }
    }

    @Test("an unreadable record is reported, not guessed")
    func corrupt() throws {
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/sim/machines", withIntermediateDirectories: true)
        try "{\"Name\": 3}".write(toFile: root + "/sim/machines/bad.json", atomically: true, encoding: .utf8)
        #expect(throws: SimError.corruptState(path: root + "/sim/machines/bad.json")) { try MachineStore(root: root).load("bad") }
        #expect(MachineStore(root: root).all().isEmpty)
    }
}
