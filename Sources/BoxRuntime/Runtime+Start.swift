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
        var container = try reconcileHoldingLock(id)
        switch container.state.status {
        case .running: lock.unlock(); return nil  // docker start on a running container does nothing
        case .paused: throw RuntimeError.wrongState(id: id, operation: "start", state: "paused")
        case .created, .exited: break
        }
        let config = container.config
        let user: ContainerUser
        do { user = try resolveUser(config.user, config: config, paths: paths) } catch {
            try failedStart(error, container: &container, lock: lock)  // nothing was made yet
        }
        // Published ports are bound here, in boxlab's namespace, before any
        // kernel object exists: a taken port fails cleanly, naming its holder.
        let network = self.network
        let bridged = config.networkMode == .bridge
        var listeners: [BoundPort] = []
        if bridged && !config.ports.isEmpty {
            do { listeners = try PortListeners.bind(config.ports, container: id, holders: { network.endpoints() }) } catch {
                throw RuntimeError.network(error)
            }
        }
        defer { PortListeners.close(listeners) }  // boxlab's copies; the proxy has its own
        var wiring: BridgeNetwork.Attachment?
        let cg = try cgroup(id)
        try cg.create(limits: CgroupLimits(memoryBytes: config.memoryBytes, pidsMax: config.pidsLimit, cpus: config.cpus))
        if events.wantsEvidence {
            events.emit(.cgroupCreated(paths: cg.paths, limits: cg.limitFiles().map {
                CgroupFileValue(path: $0.path, value: $0.value)
            }, version: cg.version == .v1 ? "v1" : "v2"))
        }
        DebugHold.at("cgroup", environment: environment)
        try FS.removeFile(paths.exitFile, stage: "state")
        let detached: Bool
        if case .detached = attachment { detached = true } else { detached = false }
        // Stepping (a wait after every stage) is needed only to read evidence
        // or to pause; otherwise the child waits once, until it is in its
        // cgroups (and on the bridge), and then runs straight to exec.
        let stepping = events.wantsEvidence || stepper != nil
        var spec = try runSpec(config: config, paths: paths, user: user, detached: detached, allowMknod: cg.confinesDevices)
        spec.flag("step", stepping)
        try FS.writeAtomically(paths.shimSpec, spec.bytes, mode: 0o600, stage: "state")

        let session: ShimSession
        do {
            session = try ShimSession(shim: try ShimLocator.path(environment: environment), mode: "run",
                                      specPath: paths.shimSpec, stdio: try stdio(for: attachment))
        } catch {
            try? cg.destroy()
            throw error
        }
        var failure: RuntimeError?
        var started = false
        var exitStatus: Int32?
        records: while let record = try session.next() {
            switch UInt32(bitPattern: record.kind) {
            case BS_KIND_MONITOR.rawValue:
                container.state.monitorPid = record.value
                container.state.monitorStartTime = ProcFS.stat(record.value)?.startTime ?? 0
            case BS_KIND_STAGE.rawValue:
                let stage = UInt32(bitPattern: record.stage)
                if stage == BS_STAGE_EXEC.rawValue {
                    container.state.status = .running
                    container.state.startedNanos = Clock.nowNanos()
                    container.state.startCount += 1
                    container.state.exitCode = 0
                    container.state.oomKilled = false
                    container.state.error = ""
                    try store.save(state: container.state, id: id)
                    if events.wantsEvidence {
                        events.emit(.exec(argv: config.argv, hostPid: container.state.pid,
                                          kernelRelease: ProcFS.kernelRelease()))
                    }
                    // A stepping shim holds the command's output until the
                    // narration of exec is out.
                    if stepping { session.send(Int32(BS_CMD_CONTINUE.rawValue)) }
                    // The proxy started at clone time; by now it has reported its pid.
                    if let pending = wiring?.proxy { network.recordProxy(pending, container: id) }
                    started = true
                    break records
                }
                if stage == BS_STAGE_CLONED.rawValue {
                    let pid = record.value
                    container.state.pid = pid
                    container.state.pidStartTime = ProcFS.stat(pid)?.startTime ?? 0
                    try store.save(state: container.state, id: id)
                    // The child waits for this answer before it does anything,
                    // so a failed join is the join's own error (never a
                    // child that already exited), and aborts the start.
                    do { try cg.join(pid: pid) } catch let error as SysError { failure = .system(error) }
                    // The new net namespace exists (the shim brings its
                    // loopback up); wire it to the bridge before the child
                    // may go on.
                    if bridged && failure == nil {
                        do {
                            wiring = try network.attach(BridgeNetwork.AttachRequest(
                                container: id, name: config.name, hostname: config.hostname, pid: pid,
                                pidStartTime: container.state.pidStartTime, hostsFile: paths.hostsFile,
                                ports: listeners, proxyBinary: ShimLocator.selfPath()))
                        } catch {
                            failure = Self.networkFailure(error)
                        }
                        PortListeners.close(listeners)
                        listeners = []
                    }
                    if !stepping { session.send(Int32(failure == nil ? BS_CMD_CONTINUE.rawValue : BS_CMD_ABORT.rawValue)) }
                }
                guard stepping, let creationStage = Self.creationStage(stage) else { continue }
                if events.wantsEvidence {
                    emitEvidence(creationStage, pid: container.state.pid, config: config, paths: paths, events: events)
                    if creationStage == .cloned && failure == nil {
                        events.emit(.network(networkEvidence(config, wiring)))
                    }
                }
                if failure != nil && creationStage == .cloned {
                    session.send(Int32(BS_CMD_ABORT.rawValue))
                } else if let stepper, !stepper(creationStage) {
                    session.send(Int32(BS_CMD_ABORT.rawValue))
                    failure = .aborted
                } else {
                    session.send(Int32(BS_CMD_CONTINUE.rawValue))
                }
            case BS_KIND_ERROR.rawValue:
                failure = failure ?? shimFailure(record, argv: config.argv)
            case BS_KIND_EXITED.rawValue:
                exitStatus = record.value
                break records
            default:
                break
            }
        }
        if !started {
            // The container never ran: let the shim go, undo the cgroup, keep "created".
            if exitStatus == nil, let next = try? session.next(), next.kind == Int32(BS_KIND_EXITED.rawValue) {
                exitStatus = next.value
            }
            session.send(Int32(BS_CMD_DONE.rawValue))
            session.closeControl()
            // Never wait for a child while holding a lock it may need: the
            // lock goes while the shim ends, and is taken again to clean up.
            lock.unlock()
            _ = try? session.reap()
            try lock.lock(stage: "state")
            try? cg.destroy()
            if bridged {
                if let pending = wiring?.proxy { _ = ProxyLauncher.finish(pending) }
                network.detach(id)
            }
            container.state.pid = 0
            container.state.status = .created
            let error = failure ?? .shim(stage: "start", step: "shim", errno: 0, detail: "the shim ended before the container ran")
            try failedStart(error, container: &container, lock: lock)
        }
        lock.unlock()
        if detached {
            _ = try session.reap()
            return nil
        }
        // Attached: the shim relays I/O until PID 1 ends, then reports.
        let status = try exitStatus ?? waitAttached(session, container: container, interruptFD: interruptFD, events: events)
        session.send(Int32(BS_CMD_DONE.rawValue))
        session.closeControl()
        _ = try? session.reap()
        let finished = try finalize(id, events: events)
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
    func waitAttached(_ session: ShimSession, container: Container, interruptFD: Int32?,
                      events: EventSink) throws -> Int32? {
        guard let interruptFD else {
            while let record = try session.next() {
                if record.kind == Int32(BS_KIND_EXITED.rawValue) { return record.value }
            }
            return nil
        }
        var interruptedAt: Int64?
        while true {
            let timeout: Int32 = interruptedAt.map { Int32(max(0, 1500 - (Clock.monotonicMs() - $0))) } ?? -1
            switch try session.next(interruptFD: interruptFD, timeoutMs: timeout) {
            case let .record(record):
                if record.kind == Int32(BS_KIND_EXITED.rawValue) { return record.value }
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

    func shimFailure(_ record: bs_record, argv: [String]) -> RuntimeError {
        switch UInt32(bitPattern: record.value) {
        case BS_STEP_EXEC_NOT_FOUND.rawValue: return .commandNotFound(argv.first ?? "")
        case BS_STEP_EXEC_NOT_EXEC.rawValue: return .commandNotExecutable(argv.first ?? "", errno: record.err)
        default:
            return .shim(stage: ShimNames.stage(record.stage), step: ShimNames.step(record.value),
                         errno: record.err, detail: "")
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
