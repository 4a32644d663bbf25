import BoxCgroups
import BoxNet
import BoxOS

/// boxlab's own listening sockets for -p: held until the proxy has its
/// copies (at CLONED), or to the end of a start that never got there.
final class OpenPorts {
    private(set) var ports: [BoundPort]

    init(_ ports: [BoundPort]) { self.ports = ports }

    /// Idempotent: each fd is closed once.
    func close() {
        PortListeners.close(ports)
        ports = []
    }
}

/// start's side: record the pids, put the child in its cgroup and on the
/// bridge at CLONED, read the evidence and ask the stepper at each stage,
/// and mark the container running at EXEC.
struct StartParty: ShimParty {
    let runtime: Runtime
    private(set) var container: Container
    let cgroup: any CgroupManager
    let ports: OpenPorts
    let stepping: Bool
    let stepper: Stepper?
    let events: EventSink
    private(set) var wiring: BridgeNetwork.Attachment?

    init(runtime: Runtime, container: Container, cgroup: any CgroupManager, ports: OpenPorts,
         stepping: Bool, stepper: Stepper?, events: EventSink) {
        self.runtime = runtime
        self.container = container
        self.cgroup = cgroup
        self.ports = ports
        self.stepping = stepping
        self.stepper = stepper
        self.events = events
    }

    mutating func monitor(pid: Int32) -> ShimReply {
        container.state.monitorPid = pid
        container.state.monitorStartTime = ProcFS.stat(pid)?.startTime ?? 0
        return .read
    }

    mutating func cloned(pid: Int32) throws -> ShimReply {
        container.state.pid = pid
        container.state.pidStartTime = ProcFS.stat(pid)?.startTime ?? 0
        try runtime.store.save(state: container.state, id: container.id)
        let failure = try join(pid)
        guard stepping else { return ShimReply(answer: failure == nil ? .continue : .abort, failure: failure) }
        if events.wantsEvidence {
            evidence(.cloned)
            if failure == nil { events.emit(.network(runtime.networkEvidence(container.config, wiring))) }
        }
        if let failure { return ShimReply(answer: .abort, failure: failure) }
        return ask(.cloned)
    }

    /// The child waits for this answer before it does anything, so a failed
    /// join is the join's own error (never a child that already exited),
    /// and aborts the start. The new net namespace exists (the shim brings
    /// its loopback up); it is wired to the bridge before the child goes on.
    mutating func join(_ pid: Int32) throws -> RuntimeError? {
        do { try cgroup.join(pid: pid) } catch let error as SysError { return .system(error) }
        guard container.config.networkMode == .bridge else { return nil }
        defer { ports.close() }
        do {
            wiring = try runtime.network.attach(BridgeNetwork.AttachRequest(
                container: container.id, name: container.config.name, hostname: container.config.hostname, pid: pid,
                pidStartTime: container.state.pidStartTime, hostsFile: container.paths.hostsFile,
                ports: ports.ports, proxyBinary: ShimLocator.selfPath()))
        } catch {
            return Runtime.networkFailure(error)
        }
        return nil
    }

    func stage(_ stage: UInt32, pid: Int32) -> ShimReply {
        guard stepping, let creationStage = Runtime.creationStage(stage) else { return .read }
        if events.wantsEvidence { evidence(creationStage) }
        return ask(creationStage)
    }

    mutating func exec(pid: Int32) throws -> ShimReply {
        try container.state.transition(to: .running, id: container.id, operation: "start")
        container.state.startedNanos = Clock.nowNanos()
        container.state.startCount += 1
        container.state.exitCode = 0
        container.state.oomKilled = false
        container.state.error = ""
        try runtime.store.save(state: container.state, id: container.id)
        if events.wantsEvidence {
            events.emit(.exec(argv: container.config.argv, hostPid: container.state.pid,
                              kernelRelease: ProcFS.kernelRelease()))
        }
        // A stepping shim holds the command's output until the narration of exec is out.
        return ShimReply(answer: stepping ? .continue : nil, ends: true)
    }

    func exited(status: Int32) -> ShimReply { ShimReply(ends: true) }

    private func evidence(_ stage: CreationStage) {
        runtime.emitEvidence(stage, pid: container.state.pid, config: container.config, paths: container.paths,
                             events: events)
    }

    /// `run --step`: the student may stop at any stage.
    private func ask(_ stage: CreationStage) -> ShimReply {
        if let stepper, !stepper(stage) { return ShimReply(answer: .abort, failure: .aborted) }
        return .answer(.continue)
    }
}
