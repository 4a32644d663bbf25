#if canImport(Glibc)
import Glibc
#endif
import BoxCgroups
import BoxImages
import BoxOS

/// The read-only questions about a container's live kernel state that
/// narration, `inspect`, lesson checks and `compare` ask — one reader for
/// each, so that none of them can say something the others contradict.
/// Everything is read when asked, from the kernel's files (proc(5),
/// namespaces(7), the cgroup's own files), never from boxlab's records.
public struct ContainerEvidence: Sendable {
    /// One kind of namespace, as /proc/PID/ns/KIND names it on both sides.
    public struct Namespace: Sendable, Equatable {
        public var kind: String
        public var host: UInt64?
        public var container: UInt64?
        /// The container has a namespace of its own: its inode differs
        /// from the host's (namespaces(7): same inode, same namespace).
        public var isolated: Bool { container != nil && container != host }
    }

    /// The container's PID 1 on the host (0: it has no process).
    public let pid: Int32
    /// The process standing for the host (boxlab itself).
    public let hostPid: Int32
    let container: Container
    let runtime: Runtime

    init(container: Container, runtime: Runtime) {
        self.container = container
        self.runtime = runtime
        let alive = container.state.status.hasProcess
            && Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime)
        pid = alive ? container.state.pid : 0
        hostPid = getpid()
    }

    /// Every namespace kind, host against container.
    public func namespaces() -> [Namespace] {
        Self.namespaces(pid: pid, hostPid: hostPid)
    }

    /// The same for any process (narration reads it before the container record is whole).
    public static func namespaces(pid: Int32, hostPid: Int32 = getpid()) -> [Namespace] {
        let host = ProcFS.namespaceInodes(hostPid)
        let inside = pid > 0 ? ProcFS.namespaceInodes(pid) : [:]
        return ProcFS.namespaceKinds.map { Namespace(kind: $0, host: host[$0], container: inside[$0]) }
    }

    public func namespace(_ kind: String) -> Namespace? { namespaces().first { $0.kind == kind } }

    /// /proc/PID/mountinfo: the container's own mount table.
    public func mounts() -> [ProcFS.MountInfo] { pid > 0 ? ProcFS.mountInfo(pid) : [] }

    /// A field of /proc/PID/status (CapEff, CapBnd, NoNewPrivs, Seccomp, Uid, State…).
    public func status(_ field: String) -> String? { pid > 0 ? ProcFS.statusField(pid, field) : nil }

    /// The memory limit the kernel enforces, from the cgroup's own file
    /// (memory.limit_in_bytes on v1, memory.max on v2); nil when unlimited.
    public func memoryLimit() -> Int64? {
        guard let files = try? runtime.cgroup(container.id).limitFiles() else { return nil }
        for file in files where ["memory.limit_in_bytes", "memory.max"].contains(Path.base(file.path)) {
            if let value = Int64(file.value), value < 1 << 62 { return value }
        }
        return nil
    }

    /// A file in the container's root as the container sees it: through
    /// /proc/PID/root while it runs, else its read-write layer over the
    /// image's layers (whiteouts and opaque directories honoured).
    public func fileText(_ path: String) -> String? {
        let clean = Path.normalize(path)
        if pid > 0 { return FS.readTextIfPresent("/proc/\(pid)/root" + clean) }
        return LayerStack(topFirst: [container.paths.upper] + container.config.layerPaths.reversed()).readText(clean)
    }
}

extension Runtime {
    /// The live evidence about `container`.
    public func evidence(_ container: Container) -> ContainerEvidence {
        ContainerEvidence(container: container, runtime: self)
    }
}

extension ContainerConfig {
    /// Whether it was created with this memory limit (docker's size syntax, "32m").
    public func memoryLimit(is text: String) -> Bool {
        (try? CgroupLimits.parseMemory(text)) == memoryBytes
    }
}
