#if canImport(Glibc)
import Glibc
#endif
import BoxJSON
import BoxOS

/// The containers on disk under ROOT/containers. Loading a container always
/// refreshes its stored state from the kernel (see `Runtime.refreshState`), so a
/// container whose boxlab process died still shows the truth.
public struct ContainerStore: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var containersDirectory: String { root + "/containers" }

    public func paths(_ id: String) -> ContainerPaths { ContainerPaths(root: root, id: id) }

    /// The lock taken while names are checked and a container directory is
    /// made. Whoever takes it to create should `reclaimIncomplete()` first.
    public func storeLock() throws -> FileLock {
        try FS.makeDirectories(containersDirectory, stage: "state")
        return try FileLock(path: containersDirectory + "/.lock", stage: "state")
    }

    /// Every container id on disk (directory names of 64 hex digits).
    public func ids() -> [String] {
        ids(among: (try? FS.list(containersDirectory)) ?? [])
    }

    func ids(among names: [String]) -> [String] {
        names.filter { $0.count == 64 && !$0.hasPrefix(".") }
    }

    /// Where `create` writes a container before renaming it into place.
    func stagingDirectory(_ id: String) -> String { containersDirectory + "/" + Self.stagingPrefix + id }

    static let stagingPrefix = ".creating-"
    static let trashPrefix = ".removing-"

    /// What a SIGKILL can leave in ROOT/containers: a `.creating-` directory
    /// (create died before its rename), a `.removing-` one (rm died while
    /// deleting), or — from boxlab before staging — a container directory
    /// without its config. Each is removed; the caller holds the store
    /// lock, under which every create runs, so none is still being made.
    /// A directory whose config is whole stays: it is a container.
    public func reclaimIncomplete() {
        for name in (try? FS.list(containersDirectory)) ?? [] {
            let path = containersDirectory + "/" + name
            let leftover = name.hasPrefix(Self.stagingPrefix) || name.hasPrefix(Self.trashPrefix)
                || (name.count == 64 && !FS.exists(paths(name).config))
            if leftover { try? FS.removeTree(path, stage: "state") }
        }
    }

    /// Reclaims leftovers if there are any and nobody is creating a
    /// container right now (listing is cheap; the lock is taken only then).
    public func reclaimIncompleteIfIdle(names: [String]) {
        let suspicious = names.contains { $0.hasPrefix(Self.stagingPrefix) || $0.hasPrefix(Self.trashPrefix) }
            || names.contains { $0.count == 64 && !FS.exists(paths($0).config) }
        guard suspicious, let lock = try? storeLock(), (try? lock.tryLock()) == true else { return }
        defer { lock.unlock() }
        reclaimIncomplete()
    }

    // MARK: - Reading and writing

    public func loadConfig(_ id: String) throws(RuntimeError) -> ContainerConfig {
        let path = paths(id).config
        return try ContainerConfig(json: try readJSON(path), path: path)
    }

    public func loadState(_ id: String) throws(RuntimeError) -> ContainerState {
        let path = paths(id).state
        return try ContainerState(json: try readJSON(path), path: path)
    }

    /// Loads without refreshing (the raw stored view).
    public func loadRaw(_ id: String) throws(RuntimeError) -> Container {
        Container(config: try loadConfig(id), state: try loadState(id), paths: paths(id))
    }

    public func save(config: ContainerConfig) throws {
        try FS.writeAtomically(paths(config.id).config, config.json.serialized(), stage: "state")
    }

    public func save(state: ContainerState, id: String) throws {
        try FS.writeAtomically(paths(id).state, state.json.serialized(), stage: "state")
    }

    private func readJSON(_ path: String) throws(RuntimeError) -> JSON {
        let bytes: [UInt8]
        do { bytes = try FS.read(path, stage: "state") } catch {
            if let sys = error as? SysError, sys.errno == ENOENT { throw .noSuchContainer(path) }
            throw .system(error as? SysError ?? SysError(stage: "state", call: "read", path: path, errno: 5))
        }
        do { return try JSON.parse(bytes) } catch { throw .corruptState(path: path, reason: error.description) }
    }

    // MARK: - Lookup

    /// Finds a container by full id, unique id prefix, or name (docker's rules:
    /// an exact id or name wins over a prefix).
    public func resolveID(_ reference: String) throws(RuntimeError) -> String {
        let all = ids()
        if all.contains(reference) { return reference }
        let wanted = reference.hasPrefix("/") ? String(reference.dropFirst()) : reference
        for id in all where (try? loadConfig(id))?.name == wanted { return id }
        let matches = all.filter { $0.hasPrefix(reference) }
        if matches.count == 1 && !reference.isEmpty { return matches[0] }
        if matches.count > 1 { throw .ambiguousContainer(reference) }
        throw .noSuchContainer(reference)
    }

    /// The id of the container using `name`, if any.
    public func idUsing(name: String) -> String? {
        ids().first { (try? loadConfig($0))?.name == name }
    }
}
