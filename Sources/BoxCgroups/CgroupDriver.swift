import BoxOS

/// How this machine's cgroups are reached: the version and, for v1, where
/// each controller's hierarchy is mounted. Detected once, then every
/// container's manager is made from it (crun's design: the manager is
/// chosen once and dispatched through one interface, so no caller ever
/// branches on the version).
public struct CgroupDriver: Sendable, Equatable {
    public var version: CgroupVersion
    /// The directory the hierarchy (v2) or the hierarchies (v1) hang under.
    public var mountRoot: String
    /// v1 only: controller → mount point of the hierarchy carrying it,
    /// e.g. "memory" → "/sys/fs/cgroup/memory", "cpu" → "/sys/fs/cgroup/cpu,cpuacct".
    public var controllerMounts: [String: String]

    /// The v1 controllers boxlab uses, in the order paths are listed.
    public static let v1Controllers = ["memory", "pids", "cpu", "freezer", "devices"]
    /// The v2 controllers boxlab switches on for its groups.
    public static let v2Controllers = ["cpu", "memory", "pids"]

    /// A driver given explicitly; tests use this to point v2 at a scratch
    /// directory laid out like cgroupfs, and v1 at chosen mount points.
    public init(version: CgroupVersion, mountRoot: String = "/sys/fs/cgroup", controllerMounts: [String: String] = [:]) {
        self.version = version
        self.mountRoot = mountRoot
        self.controllerMounts = controllerMounts
    }

    /// Detects the machine's cgroup setup from the mount table
    /// (`mountInfo`, or /proc/self/mountinfo when nil):
    /// - v2 when `mountRoot` itself is a cgroup2 mount (the unified hierarchy);
    /// - otherwise v1, each of `v1Controllers` found by the super options of
    ///   the `cgroup` mounts (preferring mounts under `mountRoot`). A hybrid
    ///   host's cgroup2 at `mountRoot`/unified carries no controllers and is
    ///   ignored.
    /// Throws `CgroupError.unavailable` when neither is there.
    public static func detect(mountRoot: String = "/sys/fs/cgroup", mountInfo: String? = nil) throws -> CgroupDriver {
        let text = try mountInfo ?? FS.readText("/proc/self/mountinfo", stage: "cgroup")
        let mounts = CgroupMount.parse(mountInfo: text)
        let root = mountRoot.count > 1 && mountRoot.hasSuffix("/") ? String(mountRoot.dropLast()) : mountRoot

        // The last mount at a place is the one visible there.
        if let top = mounts.last(where: { $0.mountPoint == root }), top.fsType == "cgroup2" {
            return CgroupDriver(version: .v2, mountRoot: root)
        }

        var found: [String: String] = [:]
        for controller in v1Controllers {
            let carrying = mounts.filter { $0.fsType == "cgroup" && $0.controllers.contains(controller) }
            let preferred = carrying.first { $0.mountPoint.hasPrefix(root + "/") } ?? carrying.first
            if let preferred { found[controller] = preferred.mountPoint }
        }
        if found.isEmpty { throw CgroupError.unavailable(mountRoot: root) }
        return CgroupDriver(version: .v1, mountRoot: root, controllerMounts: found)
    }

    /// The manager for the group `<parent>/<id>`. `parent` ("boxlab" for the
    /// runtime) keeps every container under one subtree that `ls` can show
    /// and that can be removed with the last container. Both may contain
    /// "/" for nesting, but no empty, "." or ".." component, so a name can
    /// never reach outside the cgroup tree.
    public func manager(id: String, parent: String = "boxlab") throws -> any CgroupManager {
        for name in [id, parent] {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            if name.isEmpty || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                throw CgroupError.invalidName(name)
            }
        }
        switch version {
        case .v1: return CgroupV1Manager(controllerMounts: controllerMounts, parent: parent, id: id)
        case .v2: return CgroupV2Manager(mountRoot: mountRoot, parent: parent, id: id)
        }
    }
}
