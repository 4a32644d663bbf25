#if canImport(Glibc)
import Glibc
#endif

/// One container's cgroup, whatever the version underneath. The runtime
/// holds an `any CgroupManager` made by `CgroupDriver.manager(id:parent:)`
/// and never asks which version it got; the two implementations differ
/// only in which files they write.
///
/// Every method works from the kernel's files at the moment of the call
/// (nothing is cached), so a manager rebuilt after a crash from just the
/// container's id sees the same group the old one made.
public protocol CgroupManager: Sendable {
    var version: CgroupVersion { get }
    /// "<parent>/<id>", the group's path inside each hierarchy.
    var name: String { get }
    /// The group's directories: one per distinct v1 hierarchy, or the one
    /// unified directory on v2.
    var paths: [String] { get }
    /// True when the cgroup itself restricts device access (v1's devices
    /// controller). On v2 device access is controlled by an eBPF program
    /// attached to the group, which boxlab does not load: there this is
    /// false and the runtime must drop CAP_MKNOD instead, so the container
    /// cannot make device nodes beyond the few the runtime put in /dev.
    var confinesDevices: Bool { get }
    /// How long `freeze`/`thaw` wait for the kernel to confirm, in ms.
    var waitTimeoutMs: Int64 { get set }

    /// Makes the group's directories and writes `limits`. On failure what
    /// was made is removed again, so a failed create leaves nothing behind.
    func create(limits: CgroupLimits) throws
    /// Moves `pid` (with all its threads) into the group.
    func join(pid: pid_t) throws
    /// Freezes every process in the group (docker pause) and waits until the
    /// kernel reports the group frozen. Frozen tasks are not stopped by
    /// SIGSTOP: they cannot see or catch anything, and /proc shows them in
    /// "D (disk sleep)", not "T (stopped)".
    func freeze() throws
    /// Undoes `freeze` and waits until the kernel reports the group thawed.
    func thaw() throws
    func isFrozen() -> Bool
    /// How many processes the kernel's OOM killer has killed in the group.
    func oomKillCount() -> Int
    /// Memory charged to the group now, in bytes.
    func memoryUsage() -> Int64?
    /// Tasks in the group now (what pids.max counts).
    func pidsCurrent() -> Int64?
    /// The processes in the group (cgroup.procs of every directory, merged).
    func processes() -> [pid_t]
    /// The limit files as the kernel reads them back, for narration's
    /// evidence, e.g. (".../memory/boxlab/<id>/memory.limit_in_bytes", "33554432").
    func limitFiles() -> [(path: String, value: String)]
    /// Kills whatever is still in the group, removes its directories and
    /// then the parent if no other container uses it. Missing directories
    /// are fine: this is also the clean-up after a crash.
    func destroy() throws
    /// True when any of the group's directories exists.
    func exists() -> Bool
}
