import BoxCgroups
import BoxImages
import BoxNet
import BoxOS

/// The container runtime: one value holding where state lives and the
/// stores it uses. The verbs are extensions in files by concern (crun's
/// habit of one file per verb, grouped): create, start, exec, the
/// lifecycle signals (stop, kill, pause, unpause, wait, rm, logs), and the
/// state refresh from the kernel.
public struct Runtime: Sendable {
    public let root: String
    public let store: ContainerStore
    public let images: ImageStore
    public let volumes: VolumeStore
    public let environment: [String: String]
    /// How this machine's cgroups are mounted, read once per command.
    let cgroupDriver: Result<CgroupDriver, Error>

    /// Docker's default stop grace period.
    public static let defaultStopTimeout = 10

    public init(root: String, environment: [String: String]) {
        self.root = root
        self.environment = environment
        store = ContainerStore(root: root)
        images = ImageStore(root: root)
        volumes = VolumeStore(root: root)
        cgroupDriver = Result { try CgroupDriver.detect() }
    }

    /// The cgroup of a container: boxlab/ID in each hierarchy (the same for
    /// every boxlab root, so ids, which are random, never collide).
    public func cgroup(_ id: String) throws -> any CgroupManager {
        try cgroupDriver.get().manager(id: id, parent: "boxlab")
    }

    /// The bridge network of this root (ROOT/net; BOXLAB_SUBNET, BOXLAB_BRIDGE).
    public var network: BridgeNetwork { BridgeNetwork(root: root, environment: environment) }

    /// Loads a container by id, prefix or name, refreshed from the kernel.
    public func container(_ reference: String) throws -> Container {
        let id = try store.resolveID(reference)
        return try refreshState(id)
    }

    /// Every container, refreshed (what `ps -a` lists); what a crash left
    /// half-made or half-removed is reclaimed first.
    public func allContainers() -> [Container] {
        let names = (try? FS.list(store.containersDirectory)) ?? []
        store.reclaimIncompleteIfIdle(names: names)
        return store.ids(among: names).compactMap { try? refreshState($0) }
    }
}

/// Where events go, and whether the caller wants the evidence read at all
/// (quiet narration skips the /proc reads).
public struct EventSink: Sendable {
    public let wantsEvidence: Bool
    private let handler: @Sendable (RuntimeEvent) -> Void

    public init(wantsEvidence: Bool, _ handler: @escaping @Sendable (RuntimeEvent) -> Void) {
        self.wantsEvidence = wantsEvidence
        self.handler = handler
    }

    public static let none = EventSink(wantsEvidence: false) { _ in }

    public func emit(_ event: RuntimeEvent) { handler(event) }
}
