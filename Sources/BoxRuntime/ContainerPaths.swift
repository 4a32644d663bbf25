/// Where one container's files live: ROOT/containers/ID/…
public struct ContainerPaths: Sendable {
    public let directory: String

    public init(root: String, id: String) {
        directory = root + "/containers/" + id
    }

    /// The same files under another directory (a container being staged).
    public init(directory: String) {
        self.directory = directory
    }

    public var config: String { directory + "/config.json" }
    public var state: String { directory + "/state.json" }
    public var lock: String { directory + "/lock" }
    public var shimSpec: String { directory + "/shim.spec" }
    /// Written by the monitor when PID 1 ends: "<wait status> <unix ns>".
    public var exitFile: String { directory + "/exit" }
    public var log: String { directory + "/container.log" }
    public var hostnameFile: String { directory + "/hostname" }
    public var hostsFile: String { directory + "/hosts" }
    public var resolvConf: String { directory + "/resolv.conf" }
    /// The container's read-write layer (overlay upperdir): all its changes.
    public var upper: String { directory + "/upper" }
    public var work: String { directory + "/work" }
    /// The overlay mount point, mounted only inside the container's mount namespace.
    public var rootfs: String { directory + "/rootfs" }
}

/// A container as loaded: its fixed config, its state refreshed from the kernel, its paths.
public struct Container: Sendable {
    public var config: ContainerConfig
    public var state: ContainerState
    public let paths: ContainerPaths

    public var id: String { config.id }
    public var name: String { config.name }
}
