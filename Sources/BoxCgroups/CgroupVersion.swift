/// Which cgroup interface the machine offers. Chosen once per process by
/// `CgroupDriver.detect` and never mixed: a hybrid host (v1 controllers plus
/// an empty cgroup2 at /sys/fs/cgroup/unified) is v1, because the limits a
/// container needs live in the v1 hierarchies there.
public enum CgroupVersion: String, Sendable, Equatable, CustomStringConvertible {
    /// One hierarchy per controller (memory, pids, cpu, freezer, devices),
    /// each mounted at its own directory.
    case v1
    /// The unified hierarchy: one tree, controllers switched on per level
    /// through cgroup.subtree_control.
    case v2

    public var description: String { rawValue }
}
