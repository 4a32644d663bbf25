import BoxOS

/// Failures of the cgroup layer that are not a single failed syscall (those
/// are `SysError` with stage "cgroup"). Each case says what was expected and
/// what was seen, because these are what a student reads when `pause` or
/// `run -m` does not work on their machine.
public enum CgroupError: LocalizedFailure, Equatable, Sendable {
    /// Neither a cgroup2 mount at the root nor any v1 controller was found.
    case unavailable(mountRoot: String)
    /// A limit or an operation needs a controller that is not mounted (v1) or
    /// not offered in cgroup.controllers (v2).
    case controllerMissing(controller: String, neededFor: String)
    /// A state change (freeze, thaw) did not show up in the kernel's files in time.
    case timedOut(operation: String, path: String, waitedMs: Int64, lastSeen: String)
    /// A group or parent name that is empty or would climb out of the cgroup tree.
    case invalidName(String)

    public var key: String {
        switch self {
        case .unavailable: return "error.cgroup.unavailable"
        case .controllerMissing: return "error.cgroup.controllerMissing"
        case .timedOut: return "error.cgroup.timedOut"
        case .invalidName: return "error.cgroup.invalidName"
        }
    }

    public var values: [String: String] {
        switch self {
        case .unavailable(let root): return ["root": root]
        case .controllerMissing(let controller, let neededFor): return ["controller": controller, "neededFor": neededFor]
        case .timedOut(let operation, let path, let waitedMs, let lastSeen):
            return ["operation": operation, "path": path, "ms": String(waitedMs),
                    "seen": lastSeen.isEmpty ? "nothing" : "\"" + lastSeen + "\""]
        case .invalidName(let name): return ["name": name]
        }
    }

    public static let englishTemplates: [String: String] = [
        "error.cgroup.unavailable": "cgroup: no cgroup2 mount at {root} and no cgroup v1 controller in /proc/self/mountinfo",
        "error.cgroup.controllerMissing": "cgroup: the {controller} controller is not available, but {neededFor} needs it",
        "error.cgroup.timedOut": "cgroup: {operation} did not complete within {ms} ms: {path} still shows {seen}",
        "error.cgroup.invalidName": "cgroup: invalid group name \"{name}\" (no empty, \".\" or \"..\" components)",
    ]
}
