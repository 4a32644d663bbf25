#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// runc's refreshState, boxlab style: the stored state is a cache, the
/// kernel is the truth. A container whose PID 1 is gone is finalized here,
/// whoever notices first (the attached client, the monitor's `_reap`, or any
/// later command after a crash).
extension Runtime {
    /// Loads `id` and brings its state in line with the kernel.
    public func refreshState(_ id: String) throws -> Container {
        let container = try store.loadRaw(id)
        switch container.state.status {
        case .running, .paused:
            if Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime) {
                return try refreshPause(container)
            }
            return try finalize(id, events: .none) ?? container
        case .created:
            guard container.state.pid != 0 || ((try? cgroup(id).exists()) ?? false) else { return container }
            // Leftovers of a start that died: clean them if nobody is starting it now.
            let lock = try FileLock(path: container.paths.lock, stage: "state")
            guard try lock.tryLock() else { return container }
            defer { lock.unlock() }
            return try refreshStateHoldingLock(id)
        case .exited:
            return container
        }
    }

    /// The same, for a caller that already holds the container's lock.
    func refreshStateHoldingLock(_ id: String) throws -> Container {
        var container = try store.loadRaw(id)
        let alive = Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime)
        switch container.state.status {
        case .running, .paused:
            if alive { return try refreshPause(container) }
            return try finalizeHoldingLock(id, events: .none) ?? container
        case .created:
            if container.state.pid != 0 && alive {
                // A start crashed after clone but before exec: the child waits
                // on a pipe nobody writes; end it.
                Glibc.kill(container.state.pid, SIGKILL)
                _ = try? Processes.waitForExit(container.state.pid, timeoutMs: 2000, stage: "refresh")
            }
            if let cg = try? cgroup(id), cg.exists() { try? cg.destroy() }
            // Its veth died with its namespace; the endpoint, a proxy and the
            // veth's host end (deleted now, not when the kernel gets to it) go too.
            if container.state.pid != 0 && container.config.networkMode == .bridge { network.detach(id) }
            if container.state.pid != 0 {
                container.state.pid = 0
                container.state.pidStartTime = 0
                try store.save(state: container.state, id: id)
            }
            return container
        case .exited:
            return container
        }
    }

    /// Reads the freezer so `paused` is the kernel's word, not ours.
    func refreshPause(_ container: Container) throws -> Container {
        guard let frozen = try? cgroup(container.id).isFrozen() else { return container }
        var updated = container
        try updated.state.transition(to: frozen ? .paused : .running, id: container.id, operation: "refresh")
        if updated.state.status != container.state.status {
            try? store.save(state: updated.state, id: container.id)
        }
        return updated
    }

    /// Records the end of a container whose PID 1 is gone: exit code from the
    /// monitor's exit file, OOM from the cgroup, then removes the cgroup (and
    /// the container, for --rm). Idempotent. Returns nil if it was removed.
    @discardableResult
    public func finalize(_ id: String, events: EventSink) throws -> Container? {
        let paths = store.paths(id)
        guard FS.exists(paths.directory) else { return nil }
        let lock = try FileLock(path: paths.lock, stage: "state")
        try lock.lock(stage: "state")
        defer { lock.unlock() }
        return try finalizeHoldingLock(id, events: events)
    }

    func finalizeHoldingLock(_ id: String, events: EventSink) throws -> Container? {
        guard FS.exists(store.paths(id).config) else { return nil }
        var container = try store.loadRaw(id)
        guard container.state.status.hasProcess else { return container }
        if Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime) { return container }
        let exit = waitForExitFile(container)
        let cg = try? cgroup(id)
        let signal = exit.map { Processes.terminatingSignal(fromWaitStatus: $0.status) } ?? nil
        let oomKills = (try? cg?.oomKillCount()) ?? 0
        container.state.oomKilled = signal == SIGKILL && (oomKills ?? 0) > 0
        container.state.exitCode = exit.map { Processes.exitCode(fromWaitStatus: $0.status) } ?? 255
        container.state.finishedNanos = exit?.nanos ?? Clock.nowNanos()
        if exit == nil { container.state.error = "the container's monitor ended without recording an exit status" }
        try container.state.transition(to: .exited, id: id, operation: "finalize")
        container.state.pid = 0
        container.state.pidStartTime = 0
        try? cg?.destroy()
        if container.config.networkMode == .bridge { network.detach(id) }  // the lease stays until rm
        if events.wantsEvidence {
            events.emit(.exited(code: container.state.exitCode, signal: signal, oomKilled: container.state.oomKilled))
        }
        if container.config.autoRemove {
            try removeFiles(container, events: events, holdingLock: true)
            return nil
        }
        try store.save(state: container.state, id: id)
        return container
    }

    /// The monitor writes the exit file just after PID 1 dies; give it a
    /// moment if it is still alive.
    func waitForExitFile(_ container: Container) -> (status: Int32, nanos: Int64)? {
        let deadline = Clock.monotonicMs() + 3000
        while true {
            if let text = FS.readTextIfPresent(container.paths.exitFile) {
                let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
                if fields.count >= 2, let status = Int32(fields[0]), let nanos = Int64(fields[1]) {
                    return (status, nanos)
                }
            }
            let monitorAlive = Processes.isAlive(container.state.monitorPid, startTime: container.state.monitorStartTime)
            if !monitorAlive || Clock.monotonicMs() > deadline { return nil }
            usleep(2000)
        }
    }
}
