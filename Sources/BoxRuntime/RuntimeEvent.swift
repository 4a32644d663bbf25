/// One stage of a container's creation or end, carrying the kernel's own
/// evidence. The runtime emits these; the CLI and shell render them as
/// narration. Every field is read from the live system at the moment of the
/// stage, never assumed.
public enum RuntimeEvent: Sendable {
    /// The image reference resolved to layers on disk.
    case imageResolved(reference: String, imageID: String, layers: [LayerEvidence])
    /// The container's directories and state were written.
    case containerCreated(id: String, name: String, directory: String)
    /// The cgroup exists; limit files as read back from the kernel.
    case cgroupCreated(paths: [String], limits: [CgroupFileValue], version: String)
    /// clone() returned: the host pid, and the process was moved into the cgroup.
    case cloned(hostPid: Int32, namespaces: [String])
    /// Namespace inodes of the host and of the container, from /proc/PID/ns.
    case namespacesCreated(hostPid: Int32, host: [NamespaceInode], container: [NamespaceInode])
    /// The overlay and the special filesystems are mounted (from the container's mountinfo).
    case rootfsMounted(overlay: MountEvidence?, others: [MountEvidence])
    /// pivot_root done: the container's "/" as its own mountinfo shows it.
    case pivoted(root: MountEvidence?, hostname: String)
    /// Capabilities and no_new_privs just before execve (from /proc/PID/status).
    case ready(capEff: String, capBnd: String, noNewPrivs: String)
    /// execve succeeded.
    case exec(argv: [String], hostPid: Int32, kernelRelease: String)
    /// PID 1 ended.
    case exited(code: Int32, signal: Int32?, oomKilled: Bool)
    /// Ctrl-C reached PID 1, which ignored it (no handler): boxlab kills it.
    case interruptIgnored(hostPid: Int32)
    /// What was removed afterwards.
    case teardown(removed: [String])
}

public struct LayerEvidence: Sendable, Equatable {
    public var diffID: String
    public var path: String
    public var bytes: Int64
    public init(diffID: String, path: String, bytes: Int64) {
        self.diffID = diffID
        self.path = path
        self.bytes = bytes
    }
}

public struct CgroupFileValue: Sendable, Equatable {
    public var path: String
    public var value: String
    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }
}

public struct NamespaceInode: Sendable, Equatable {
    public var kind: String
    public var inode: UInt64
    public init(kind: String, inode: UInt64) {
        self.kind = kind
        self.inode = inode
    }
}

public struct MountEvidence: Sendable, Equatable {
    public var mountPoint: String
    public var fsType: String
    public var options: String
    public init(mountPoint: String, fsType: String, options: String) {
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.options = options
    }
}

/// The stages at which `run --step` can pause (after each, before continuing).
public enum CreationStage: String, Sendable, CaseIterable {
    case cloned, rootfs, pivot, ready
}
