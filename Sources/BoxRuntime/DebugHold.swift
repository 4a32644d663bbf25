#if canImport(Glibc)
import Glibc
#endif

/// Test hook of the crash-recovery tests: BOXLAB_DEBUG_HOLD_AT=POINT makes
/// this boxlab say so on stderr and then stop for good at POINT, so that a
/// test can SIGKILL it exactly there. The points, in the order `run` passes
/// them: `create` (the container's files are staged, not yet in place),
/// `cgroup` (its cgroups exist, no process yet), then the creation stages
/// `cloned`, `rootfs`, `pivot`, `ready` (the child waits on the shim).
public enum DebugHold {
    public static let variable = "BOXLAB_DEBUG_HOLD_AT"

    public static func at(_ point: String, environment: [String: String]) {
        guard environment[variable] == point else { return }
        let line = Array("boxlab: holding at \(point) (\(variable))\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        while true { sleep(60) }
    }
}
