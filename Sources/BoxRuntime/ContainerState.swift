import BoxJSON

/// The lifecycle states, as docker names them.
public enum ContainerStatus: String, Sendable, CaseIterable {
    case created, running, paused, exited

    /// PID 1 exists (a frozen one too): what stop, kill, rm -f and ps count as up.
    public var hasProcess: Bool { self == .running || self == .paused }

    /// The legal moves, as runc's libcontainer/state_linux.go has them.
    /// A failed start (or restart) leaves `created`; a running or paused
    /// container may be refreshed to the same status from the freezer.
    public func canTransition(to next: ContainerStatus) -> Bool {
        switch (self, next) {
        case (.created, .created), (.created, .running): return true
        case (.running, .running), (.running, .paused), (.running, .exited): return true
        case (.paused, .paused), (.paused, .running), (.paused, .exited): return true
        case (.exited, .running), (.exited, .created): return true
        default: return false
        }
    }

    /// The one place a status changes.
    public mutating func transition(to next: ContainerStatus, id: String, operation: String) throws(RuntimeError) {
        guard canTransition(to: next) else { throw .wrongState(id: id, operation: operation, state: rawValue) }
        self = next
    }
}

/// What changes over a container's life (containers/ID/state.json). The
/// stored value is only a cache: `ContainerStore` re-derives it from the
/// kernel (/proc, the cgroup, the monitor's exit file) every time it loads.
public struct ContainerState: Equatable, Sendable {
    /// Changed only by `transition(to:id:operation:)`.
    public private(set) var status: ContainerStatus = .created
    public var pid: Int32 = 0
    public var pidStartTime: UInt64 = 0     // /proc/PID/stat field 22: guards pid reuse
    public var monitorPid: Int32 = 0
    public var monitorStartTime: UInt64 = 0
    public var startedNanos: Int64 = 0
    public var finishedNanos: Int64 = 0
    public var exitCode: Int32 = 0
    public var oomKilled: Bool = false
    public var error: String = ""
    public var startCount: Int = 0

    public init() {}

    public mutating func transition(to next: ContainerStatus, id: String, operation: String) throws(RuntimeError) {
        try status.transition(to: next, id: id, operation: operation)
    }

    public var json: JSON {
        .object([
            ("Status", .string(status.rawValue)), ("Pid", .int(pid)), ("PidStartTime", .int(pidStartTime)),
            ("MonitorPid", .int(monitorPid)), ("MonitorStartTime", .int(monitorStartTime)),
            ("StartedAt", .int(startedNanos)), ("FinishedAt", .int(finishedNanos)),
            ("ExitCode", .int(exitCode)), ("OOMKilled", .bool(oomKilled)), ("Error", .string(error)),
            ("StartCount", .int(startCount)),
        ])
    }

    public init(json: JSON, path: String) throws(RuntimeError) {
        guard let raw = json["Status"]?.stringValue, let status = ContainerStatus(rawValue: raw) else {
            throw .corruptState(path: path, reason: "missing or unknown Status")
        }
        self.status = status
        pid = Int32(json["Pid"]?.intValue ?? 0)
        pidStartTime = UInt64(json["PidStartTime"]?.intValue ?? 0)
        monitorPid = Int32(json["MonitorPid"]?.intValue ?? 0)
        monitorStartTime = UInt64(json["MonitorStartTime"]?.intValue ?? 0)
        startedNanos = json["StartedAt"]?.int64Value ?? 0
        finishedNanos = json["FinishedAt"]?.int64Value ?? 0
        exitCode = Int32(json["ExitCode"]?.intValue ?? 0)
        oomKilled = json["OOMKilled"]?.boolValue ?? false
        error = json["Error"]?.stringValue ?? ""
        startCount = json["StartCount"]?.intValue ?? 0
    }
}
