import BoxOS

/// One cgroup or cgroup2 line of /proc/self/mountinfo. Detection reads the
/// mount table instead of guessing paths because distributions differ:
/// "cpu" may be its own hierarchy or co-mounted as "cpu,cpuacct" (with
/// /sys/fs/cgroup/cpu a symlink), and inside a container the tree may be
/// mounted elsewhere. For v1 the super options list the controllers a
/// hierarchy carries ("rw,cpu,cpuacct").
public struct CgroupMount: Sendable, Equatable {
    public var mountPoint: String
    /// "cgroup" (v1) or "cgroup2".
    public var fsType: String
    /// v1: the controllers this hierarchy carries; empty for cgroup2 and for
    /// named hierarchies such as name=systemd.
    public var controllers: [String]

    public init(mountPoint: String, fsType: String, controllers: [String]) {
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.controllers = controllers
    }

    /// The cgroup mounts in a mountinfo text, in table order (later lines
    /// are mounted over earlier ones at the same place).
    ///
    /// Line format (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS…] - FSTYPE SOURCE SUPEROPTS`.
    public static func parse(mountInfo text: String) -> [CgroupMount] {
        ProcFS.parseMountInfo(text).compactMap { mount in
            guard mount.fsType == "cgroup" || mount.fsType == "cgroup2" else { return nil }
            let options = mount.superOptions.split(separator: ",").map(String.init)
            let controllers = mount.fsType == "cgroup"
                ? options.filter { !$0.contains("=") && !nonControllerOptions.contains($0) }
                : []
            return CgroupMount(mountPoint: mount.mountPoint, fsType: mount.fsType, controllers: controllers)
        }
    }

    /// Super options of a v1 cgroup mount that are not controller names.
    static let nonControllerOptions: Set<String> = [
        "rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods", "none",
    ]

}
