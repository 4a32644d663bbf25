#if canImport(Glibc)
import Glibc
#endif
import BoxNet
import BoxOS

extension Runtime {
    /// Reads the kernel's evidence for a stage that just completed and emits it.
    func emitEvidence(_ stage: CreationStage, pid: Int32, config: ContainerConfig, paths: ContainerPaths,
                      events: EventSink) {
        switch stage {
        case .cloned:
            events.emit(.cloned(hostPid: pid, namespaces: config.networkMode == .host
                ? ["pid", "mnt", "uts", "ipc"] : ["pid", "mnt", "uts", "ipc", "net"]))
        case .rootfs:
            let mounts = ProcFS.mountInfo(pid)
            let overlay = mounts.last { $0.mountPoint == paths.rootfs }
            let others = mounts.filter { $0.mountPoint.hasPrefix(paths.rootfs + "/") }
            events.emit(.rootfsMounted(overlay: overlay.map(Self.evidence), others: others.map(Self.evidence)))
        case .pivot:
            let mounts = ProcFS.mountInfo(pid)
            events.emit(.pivoted(root: mounts.first { $0.mountPoint == "/" }.map(Self.evidence),
                                 hostname: config.hostname))
        case .ready:
            // Read here, not earlier: the cgroup namespace is made just before this stage.
            let namespaces = ContainerEvidence.namespaces(pid: pid)
            events.emit(.namespacesCreated(
                hostPid: getpid(),
                host: namespaces.compactMap { ns in ns.host.map { NamespaceInode(kind: ns.kind, inode: $0) } },
                container: namespaces.compactMap { ns in ns.container.map { NamespaceInode(kind: ns.kind, inode: $0) } }))
            events.emit(.ready(capEff: ProcFS.statusField(pid, "CapEff") ?? "?",
                               capBnd: ProcFS.statusField(pid, "CapBnd") ?? "?",
                               noNewPrivs: ProcFS.statusField(pid, "NoNewPrivs") ?? "?"))
        }
    }

    /// What the `network` event says: the mode, and for the bridge what
    /// `attach` made (the MAC and interface name were read back from inside).
    func networkEvidence(_ config: ContainerConfig, _ attachment: BridgeNetwork.Attachment?) -> NetworkEvidence {
        guard let a = attachment else { return NetworkEvidence(mode: config.networkMode.rawValue) }
        return NetworkEvidence(
            mode: config.networkMode.rawValue, bridge: a.bridge, gateway: a.gateway.description, subnet: a.subnet.description,
            address: "\(a.address)/\(a.subnet.prefixLength)", hostVeth: a.veth, interface: a.interface, mac: a.mac,
            ports: a.ports.map { "\($0.hostIP):\($0.hostPort) → \(a.address):\($0.containerPort)/\($0.proto)" })
    }

    /// Any error of the network set-up as a runtime error (exit 125).
    static func networkFailure(_ error: Error) -> RuntimeError {
        switch error {
        case let error as RuntimeError: return error
        case let error as NetError: return .network(error)
        case let error as SysError: return .network(.system(error))
        default: return .network(.proxy(detail: "\(error)"))
        }
    }

    static func evidence(_ mount: ProcFS.MountInfo) -> MountEvidence {
        MountEvidence(mountPoint: mount.mountPoint, fsType: mount.fsType,
                      options: mount.fsType == "overlay" ? mount.superOptions : mount.options)
    }
}
