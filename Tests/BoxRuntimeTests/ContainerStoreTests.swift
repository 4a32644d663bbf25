import BoxOS
@testable import BoxRuntime
import Testing

/// ROOT/containers on disk: what is saved loads back, references resolve
/// as docker resolves them, and what a crash left half-made goes.
@Suite("container store: save and load, resolveID, reclaimIncomplete")
struct ContainerStoreTests {
    static let first = "ab" + String(repeating: "1", count: 62)
    static let second = "ab" + String(repeating: "2", count: 62)

    /// Writes a whole container (config and state) under `store`.
    func make(_ store: ContainerStore, id: String, name: String) throws {
        try FS.makeDirectories(store.paths(id).directory)
        try store.save(config: testConfig(id: id, name: name))
        try store.save(state: ContainerState(), id: id)
    }

    /// A store under a fresh temp root holding whole containers (id, name).
    func withStore(_ containers: [(id: String, name: String)] = [], _ body: (ContainerStore) throws -> Void) throws {
        try TempRoot.with { root in
            let store = ContainerStore(root: root)
            for container in containers { try make(store, id: container.id, name: container.name) }
            try body(store)
        }
    }

    @Test("config and state load back as saved")
    func roundTrip() throws {
        try TempRoot.with { root in
            let store = ContainerStore(root: root)
            let config = testConfig(id: Self.first, name: "web", env: ["A=1"], tty: true, useInit: true,
                                    mounts: [MountSpec(kind: .volume, source: "v", destination: "/v", readOnly: true)],
                                    network: .bridge, user: "app")
            var state = ContainerState()
            try state.transition(to: .running, id: config.id, operation: "test")
            state.pid = 42
            state.exitCode = 3
            state.error = "why"
            try FS.makeDirectories(store.paths(config.id).directory)
            try store.save(config: config)
            try store.save(state: state, id: config.id)
            let loaded = try store.loadRaw(config.id)
            #expect(loaded.config == config)
            #expect(loaded.state == state)
            #expect(loaded.paths.directory == root + "/containers/" + config.id)
        }
    }

    @Test("a container that is not there is noSuchContainer; unreadable JSON is corruptState")
    func missingAndCorrupt() throws {
        try TempRoot.with { root in
            let store = ContainerStore(root: root)
            #expect(throws: RuntimeError.noSuchContainer(store.paths(Self.first).state)) { try store.loadState(Self.first) }
            try FS.makeDirectories(store.paths(Self.first).directory)
            try FS.writeAtomically(store.paths(Self.first).state, "{not json")
            #expect { try store.loadState(Self.first) } throws: { error in
                if case .corruptState(let path, _) = error as? RuntimeError { return path == store.paths(Self.first).state }
                return false
            }
        }
    }

    @Test("ids: only directory names of 64 characters")
    func ids() throws {
        try withStore([(Self.first, "one")]) { (store: ContainerStore) throws in
            try FS.makeDirectories(store.containersDirectory + "/short")
            try FS.makeDirectories(store.containersDirectory + "/.creating-" + Self.second)
            #expect(store.ids() == [Self.first])
        }
    }

    @Test("resolveID: a full id, a unique prefix, a name, a /name")
    func resolves() throws {
        try withStore([(Self.first, "one"), (Self.second, "two")]) { (store: ContainerStore) throws in
            #expect(try store.resolveID(Self.first) == Self.first)
            #expect(try store.resolveID("ab2") == Self.second)
            #expect(try store.resolveID("one") == Self.first)
            #expect(try store.resolveID("/two") == Self.second)
            #expect(store.idUsing(name: "two") == Self.second)
            #expect(store.idUsing(name: "three") == nil)
        }
    }

    @Test("resolveID: a shared prefix is ambiguous (the empty one too), an unknown one is no such container")
    func resolveFailures() throws {
        try withStore([(Self.first, "one"), (Self.second, "two")]) { (store: ContainerStore) throws in
            #expect(throws: RuntimeError.ambiguousContainer("ab")) { try store.resolveID("ab") }
            #expect(throws: RuntimeError.noSuchContainer("ffff")) { try store.resolveID("ffff") }
            #expect(throws: RuntimeError.ambiguousContainer("")) { try store.resolveID("") }
        }
    }

    @Test("resolveID: a name wins over an id prefix")
    func nameWins() throws {
        try withStore([(Self.first, "one"), (Self.second, "ab1")]) { (store: ContainerStore) throws in
            #expect(try store.resolveID("ab1") == Self.second)
        }
    }

    @Test("reclaimIncomplete: .creating-, .removing- and config-less directories go, whole containers stay")
    func reclaim() throws {
        try withStore([(Self.first, "one")]) { (store: ContainerStore) throws in
            let dir = store.containersDirectory
            for leftover in [".creating-" + Self.second, ".removing-" + Self.second, Self.second] {
                try FS.makeDirectories(dir + "/" + leftover + "/upper")
            }
            store.reclaimIncomplete()
            #expect(try FS.list(dir).filter { !$0.hasPrefix(".lock") }.sorted() == [Self.first])
            #expect(FS.exists(store.paths(Self.first).config))
        }
    }

    @Test("reclaimIncompleteIfIdle: reclaims the same leftovers when nobody is creating")
    func reclaimIfIdle() throws {
        try withStore([(Self.first, "one")]) { (store: ContainerStore) throws in
            try FS.makeDirectories(store.containersDirectory + "/.creating-" + Self.second)
            store.reclaimIncompleteIfIdle(names: try FS.list(store.containersDirectory))
            #expect(try FS.list(store.containersDirectory).filter { !$0.hasPrefix(".lock") } == [Self.first])
        }
    }
}
