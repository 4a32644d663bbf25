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
    /// The container's network, just after clone: for the bridge, the veth
    /// pair, the bridge, its address and route (read back from the kernel).
    case network(NetworkEvidence)
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

/// How a container was wired to the network (the `network` event).
public struct NetworkEvidence: Sendable, Equatable {
    public var mode: String            // bridge, none, host
    public var bridge: String          // "boxlab0"
    public var gateway: String         // the bridge's address: "172.31.240.1"
    public var subnet: String          // "172.31.240.0/20"
    public var address: String         // the container's: "172.31.240.2/20"
    public var hostVeth: String        // host end of the pair: "veth1a2b3c4d5e6"
    public var interface: String       // its peer inside: "eth0"
    public var mac: String
    public var ports: [String]         // "0.0.0.0:8080 → 172.31.240.2:80/tcp"

    public init(mode: String, bridge: String = "", gateway: String = "", subnet: String = "", address: String = "",
                hostVeth: String = "", interface: String = "", mac: String = "", ports: [String] = []) {
        self.mode = mode
        self.bridge = bridge
        self.gateway = gateway
        self.subnet = subnet
        self.address = address
        self.hostVeth = hostVeth
        self.interface = interface
        self.mac = mac
        self.ports = ports
    }
}

/// The stages at which `run --step` can pause (after each, before continuing).
public enum CreationStage: String, Sendable, CaseIterable {
    case cloned, rootfs, pivot, ready
}
