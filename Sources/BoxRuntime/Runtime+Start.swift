#if canImport(Glibc)
import Glibc
#endif
import BoxCgroups
import BoxNet
import BoxOS
import CBoxShim

/// How a started container's stdio is connected.
public enum Attachment: Sendable {
    /// docker run -d: output goes to the container log; boxlab returns once PID 1 runs.
    case detached
    /// Foreground: the shim relays between these fds and the container (and logs).
    case attached(stdin: Int32, stdout: Int32, stderr: Int32)
}

/// Decides, after each creation stage, whether to go on (`run --step`).
public typealias Stepper = @Sendable (CreationStage) -> Bool

extension Runtime {
    /// docker start: make the cgroup, spawn the shim, walk it through the
    /// stages, and either return once PID 1 runs (detached) or wait for it to
    /// end (attached). Returns the exit code when attached.
    @discardableResult
    public func start(_ reference: String, attachment: Attachment, events: EventSink,
                      stepper: Stepper? = nil, interruptFD: Int32? = nil) throws -> Int32? {
        let id = try store.resolveID(reference)
        let paths = store.paths(id)
        let lock = try FileLock(path: paths.lock, stage: "state")
        try lock.lock(stage: "state")
        var container = try refreshStateHoldingLock(id)
        switch container.state.status {
        case .running: lock.unlock(); return nil  // docker start on a running container does nothing
        case .paused: throw RuntimeError.wrongState(id: id, operation: "start", state: "paused")
        case .created, .exited: break
        }
        let user: ContainerUser
        do { user = try resolveUser(container.config.user, config: container.config, paths: paths) } catch {
            try failedStart(error, container: &container, lock: lock)  // nothing was made yet
        }
        let ports = OpenPorts(try bindPorts(container.config))
        defer { ports.close() }  // boxlab's copies; the proxy has its own
        let cg = try makeCgroup(container.config, events: events)
        try FS.removeFile(paths.exitFile, stage: "state")
        // Stepping (a wait after every stage) is needed only to read evidence
        // or to pause; otherwise the child waits once, until it is in its
        // cgroups (and on the bridge), and then runs straight to exec.
        let stepping = events.wantsEvidence || stepper != nil
        let session = try spawnShim(container, user: user, cgroup: cg, attachment: attachment, stepping: stepping)
        let party = StartParty(runtime: self, container: container, cgroup: cg, ports: ports,
                               stepping: stepping, stepper: stepper, events: events)
        var conversation = ShimConversation(channel: session, party: party, argv: container.config.argv)
        try conversation.run()
        guard conversation.started else {
            try abandonStart(&conversation, session: session, cgroup: cg, lock: lock)
        }
        // The proxy started at clone time; by now it has reported its pid.
        if let pending = conversation.party.wiring?.proxy { network.recordProxy(pending, container: id) }
        lock.unlock()
        return try finishStart(session, conversation: &conversation, attachment: attachment,
                               interruptFD: interruptFD, events: events)
    }

    /// Published ports are bound here, in boxlab's namespace, before any
    /// kernel object exists: a taken port fails cleanly, naming its holder.
    func bindPorts(_ config: ContainerConfig) throws -> [BoundPort] {
        guard config.networkMode == .bridge && !config.ports.isEmpty else { return [] }
        let network = self.network
        do { return try PortListeners.bind(config.ports, container: config.id, holders: { network.endpoints() }) } catch {
            throw RuntimeError.network(error)
        }
    }

    /// The container's cgroup with its limits, narrated.
    func makeCgroup(_ config: ContainerConfig, events: EventSink) throws -> any CgroupManager {
        let cg = try cgroup(config.id)
        try cg.create(limits: CgroupLimits(memoryBytes: config.memoryBytes, pidsMax: config.pidsLimit, cpus: config.cpus))
        if events.wantsEvidence {
            events.emit(.cgroupCreated(paths: cg.paths, limits: cg.limitFiles().map {
                CgroupFileValue(path: $0.path, value: $0.value)
            }, version: cg.version == .v1 ? "v1" : "v2"))
        }
        DebugHold.at("cgroup", environment: environment)
        return cg
    }

    /// Writes the run spec and spawns the shim; a shim that cannot be
    /// spawned takes the new cgroup with it.
    func spawnShim(_ container: Container, user: ContainerUser, cgroup cg: any CgroupManager,
                   attachment: Attachment, stepping: Bool) throws -> ShimSession {
        let detached: Bool
        if case .detached = attachment { detached = true } else { detached = false }
        var spec = try runSpec(config: container.config, paths: container.paths, user: user, detached: detached,
                               allowMknod: cg.confinesDevices)
        spec.flag("step", stepping)
        try FS.writeAtomically(container.paths.shimSpec, spec.bytes, mode: 0o600, stage: "state")
        do {
            return try ShimSession(shim: try ShimLocator.path(environment: environment), mode: "run",
                                   specPath: container.paths.shimSpec, stdio: try stdio(for: attachment))
        } catch {
            try? cg.destroy()
            throw error
        }
    }

    /// The container never ran: let the shim go, undo the cgroup and the
    /// network, keep "created", and fail with the first reason reported.
    func abandonStart(_ conversation: inout ShimConversation<StartParty>, session: ShimSession,
                      cgroup cg: any CgroupManager, lock: FileLock) throws -> Never {
        conversation.readExitIfReported()
        session.send(ShimAnswer.done.byte)
        session.closeControl()
        // Never wait for a child while holding a lock it may need: the
        // lock goes while the shim ends, and is taken again to clean up.
        lock.unlock()
        _ = try? session.reap()
        try lock.lock(stage: "state")
        try? cg.destroy()
        var container = conversation.party.container
        if container.config.networkMode == .bridge {
            if let pending = conversation.party.wiring?.proxy { _ = ProxyLauncher.finish(pending) }
            network.detach(container.id)
        }
        container.state.pid = 0
        try container.state.transition(to: .created, id: container.id, operation: "start")
        let error = conversation.failure
            ?? .shim(stage: "start", step: "shim", errno: 0, detail: "the shim ended before the container ran")
        try failedStart(error, container: &container, lock: lock)
    }

    /// PID 1 runs. Detached: the shim's parent ends (the monitor lives on).
    /// Attached: the shim relays I/O until PID 1 ends, then reports.
    func finishStart(_ session: ShimSession, conversation: inout ShimConversation<StartParty>, attachment: Attachment,
                     interruptFD: Int32?, events: EventSink) throws -> Int32? {
        if case .detached = attachment {
            _ = try session.reap()
            return nil
        }
        let container = conversation.party.container
        let status = try conversation.exitStatus
            ?? waitAttached(session, conversation: &conversation, interruptFD: interruptFD, events: events)
        session.send(ShimAnswer.done.byte)
        session.closeControl()
        _ = try? session.reap()
        let finished = try finalize(container.id, events: events)
        return finished?.state.exitCode ?? status.map(Processes.exitCode(fromWaitStatus:)) ?? 255
    }

    /// A start that ran nothing: the reason is kept in the state (ps -a,
    /// inspect), or the container goes with --rm once the lock is let go.
    func failedStart(_ error: RuntimeError, container: inout Container, lock: FileLock) throws -> Never {
        container.state.exitCode = error.exitCode
        container.state.error = error.description
        try store.save(state: container.state, id: container.id)
        lock.unlock()
        if container.config.autoRemove { try? remove(container.id, force: true, events: .none) }
        throw error
    }

    /// Waits for EXITED. On Ctrl-C the shim has already passed SIGINT to PID 1
    /// (it shares our terminal's process group); a PID 1 without a SIGINT
    /// handler ignores it, so if PID 1 still lives 1.5 s later it is killed:
    /// Ctrl-C always gets the student back to the prompt.
    func waitAttached(_ session: ShimSession, conversation: inout ShimConversation<StartParty>, interruptFD: Int32?,
                      events: EventSink) throws -> Int32? {
        guard let interruptFD else {
            try conversation.run()  // StartParty ends it at EXITED
            return conversation.exitStatus
        }
        let container = conversation.party.container
        var interruptedAt: Int64?
        while true {
            let timeout: Int32 = interruptedAt.map { Int32(max(0, 1500 - (Clock.monotonicMs() - $0))) } ?? -1
            switch try session.next(interruptFD: interruptFD, timeoutMs: timeout) {
            case let .record(record):
                if try conversation.receive(record), let status = conversation.exitStatus { return status }
            case .interrupted:
                Interrupts.drain()
                if interruptedAt == nil { interruptedAt = Clock.monotonicMs() }
            case .timedOut:
                interruptedAt = nil
                if Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime) {
                    events.emit(.interruptIgnored(hostPid: container.state.pid))
                    try deliver(SIGKILL, to: container)
                }
            case .ended:
                return nil
            }
        }
    }

    static func creationStage(_ stage: UInt32) -> CreationStage? {
        switch stage {
        case BS_STAGE_CLONED.rawValue: return .cloned
        case BS_STAGE_ROOTFS.rawValue: return .rootfs
        case BS_STAGE_PIVOT.rawValue: return .pivot
        case BS_STAGE_READY.rawValue: return .ready
        default: return nil
        }
    }

    /// The fds the shim gets as 0, 1, 2.
    func stdio(for attachment: Attachment) throws -> [Int32: Int32] {
        switch attachment {
        case let .attached(stdin, stdout, stderr):
            return [0: stdin, 1: stdout, 2: stderr]
        case .detached:
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            if null < 0 { throw SysError.current("shim", "open", "/dev/null") }
            return [0: null, 1: null, 2: null]
        }
    }

    /// overlay's lowerdir list, top layer first, each directory once at its
    /// topmost place. Layers are stored by diff id, so two identical layers
    /// (two RUN steps that changed nothing) are one directory, and overlayfs
    /// refuses a directory twice (ELOOP). Dropping the deeper copy changes
    /// nothing: every file it holds is already visible from its twin above.
    static func overlayLowerDirs(_ bottomFirst: [String]) -> [String] {
        var seen = Set<String>()
        return bottomFirst.reversed().filter { seen.insert($0).inserted }
    }

    /// Builds the shim spec: every mount, device, mask and capability comes from here.
    func runSpec(config: ContainerConfig, paths: ContainerPaths, user: ContainerUser, detached: Bool,
                 allowMknod: Bool) throws -> ShimSpec {
        var spec = ShimSpec()
        spec.add("id", config.id)
        spec.add("rootfs", paths.rootfs)
        spec.add("lower", all: Self.overlayLowerDirs(config.layerPaths))
        spec.add("upper", paths.upper)
        spec.add("work", paths.work)
        spec.add("hostname", config.hostname)
        spec.add("cwd", config.workingDir)
        // --network host: no net namespace, the host's devices and ports.
        spec.add("namespaces", config.networkMode == .host ? "pid,mnt,uts,ipc,cgroup" : "pid,mnt,uts,ipc,net,cgroup")
        var argv = config.argv
        if config.useInit {
            spec.add("init", try ShimLocator.path(environment: environment))
            argv = [SecurityDefaults.initPath, "init", "--"] + argv
        }
        spec.add("arg", all: argv)
        spec.add("env", all: Self.processEnvironment(config.env, hostname: config.hostname, tty: config.tty, home: user.home))
        Self.addUser(user, to: &spec)
        spec.add("caps", String(SecurityDefaults.capabilityMask(allowMknod: allowMknod), radix: 16))
        spec.flag("nnp", true)
        for device in SecurityDefaults.devices {
            spec.add("device", "c \(device.major) \(device.minor) \(String(device.mode, radix: 8)) \(device.path)")
        }
        spec.add("bind", "\(paths.hostnameFile)\n/etc/hostname\nrw")
        spec.add("bind", "\(paths.hostsFile)\n/etc/hosts\nrw")
        spec.add("bind", "\(paths.resolvConf)\n/etc/resolv.conf\nrw")
        for mount in config.mounts {
            let source = mount.kind == .bind ? mount.source : try volumes.dataPath(mount.source)
            spec.add("bind", "\(source)\n\(mount.destination)\n\(mount.readOnly ? "ro" : "rw")")
        }
        spec.add("mask", all: SecurityDefaults.maskedPaths)
        spec.add("readonly", all: SecurityDefaults.readonlyPaths)
        spec.flag("tty", config.tty)
        spec.flag("stdin", config.openStdin)
        spec.flag("detach", detached)
        spec.add("log", paths.log)
        spec.add("exitfile", paths.exitFile)
        spec.add("reap", all: [ShimLocator.selfPath(), "--root", root, "_reap", config.id])
        return spec
    }
}
