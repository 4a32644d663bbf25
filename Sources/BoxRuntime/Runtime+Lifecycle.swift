#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import CBoxShim

extension Runtime {
    /// docker stop: SIGTERM, wait up to `timeout` seconds, then SIGKILL.
    /// Returns true if the grace period ran out and SIGKILL was needed.
    @discardableResult
    public func stop(_ reference: String, timeout: Int, events: EventSink) throws -> Bool {
        let container = try container(reference)
        guard container.state.status.hasProcess else { return false }
        try deliver(SIGTERM, to: container)
        var killed = false
        if try !Processes.waitForExit(container.state.pid, timeoutMs: Int32(max(0, timeout) * 1000), stage: "stop") {
            try deliver(SIGKILL, to: container)
            killed = true
            _ = try Processes.waitForExit(container.state.pid, timeoutMs: 10_000, stage: "stop")
        }
        try finalize(container.id, events: events)
        return killed
    }

    /// docker kill: send a signal (default SIGKILL) to PID 1.
    public func kill(_ reference: String, signal: Int32, events: EventSink) throws {
        let container = try container(reference)
        guard container.state.status.hasProcess else {
            throw RuntimeError.wrongState(id: container.id, operation: "kill", state: container.state.status.rawValue)
        }
        try deliver(signal, to: container)
        if signal == SIGKILL {
            _ = try Processes.waitForExit(container.state.pid, timeoutMs: 10_000, stage: "kill")
            try finalize(container.id, events: events)
        }
    }

    /// Sends through a pidfd (no pid-reuse race). A frozen container cannot
    /// act on a signal, so it is thawed after a terminating one, as docker does.
    func deliver(_ signal: Int32, to container: Container) throws {
        let pidfd = bs_pidfd_open_checked(container.state.pid)
        if pidfd >= 0 {
            defer { close(pidfd) }
            if bs_pidfd_send_signal(pidfd, signal) != 0 && errno != ESRCH {
                throw RuntimeError.system(SysError.current("signal", "pidfd_send_signal"))
            }
        }
        if container.state.status == .paused && (signal == SIGKILL || signal == SIGTERM) {
            try cgroup(container.id).thaw()
        }
    }

    /// docker pause: freeze every process of the container with the cgroup
    /// freezer. (Not SIGSTOP: frozen tasks are not in state T.)
    public func pause(_ reference: String) throws {
        var container = try container(reference)
        guard container.state.status == .running else {
            throw RuntimeError.wrongState(id: container.id, operation: "pause", state: container.state.status.rawValue)
        }
        try cgroup(container.id).freeze()
        try container.state.transition(to: .paused, id: container.id, operation: "pause")
        try store.save(state: container.state, id: container.id)
    }

    public func unpause(_ reference: String) throws {
        var container = try container(reference)
        guard container.state.status == .paused else {
            throw RuntimeError.wrongState(id: container.id, operation: "unpause",
                                          state: container.state.status == .running ? "not paused" : container.state.status.rawValue)
        }
        try cgroup(container.id).thaw()
        try container.state.transition(to: .running, id: container.id, operation: "unpause")
        try store.save(state: container.state, id: container.id)
    }

    /// docker wait: block until PID 1 ends; returns its exit code.
    public func wait(_ reference: String) throws -> Int32 {
        let container = try container(reference)
        if container.state.status.hasProcess {
            _ = try Processes.waitForExit(container.state.pid, timeoutMs: -1, stage: "wait")
            // The monitor's reap may remove a --rm container; its exit file has the code.
            let status = waitForExitFile(container)
            let finished = try finalize(container.id, events: .none)
            return finished?.state.exitCode ?? status.map { Processes.exitCode(fromWaitStatus: $0.status) } ?? 255
        }
        return container.state.exitCode
    }

    /// docker rm [-f].
    public func remove(_ reference: String, force: Bool, events: EventSink) throws {
        let container = try container(reference)
        if container.state.status.hasProcess {
            guard force else { throw RuntimeError.runningContainer(id: container.id) }
            try deliver(SIGKILL, to: container)
            _ = try Processes.waitForExit(container.state.pid, timeoutMs: 10_000, stage: "rm")
            guard try finalize(container.id, events: .none) != nil else { return }
        }
        try removeFiles(try store.loadRaw(container.id), events: events)
    }

    /// Deletes the cgroup and every file of the container (its RW layer
    /// included); named volumes and bind sources stay. The directory is first
    /// renamed out of the way under the container's lock, so a late `_reap`
    /// of the monitor finds nothing to write into.
    func removeFiles(_ container: Container, events: EventSink, holdingLock: Bool = false) throws {
        var removed: [String] = []
        if let cg = try? cgroup(container.id), cg.exists() {
            try cg.destroy()
            removed.append(contentsOf: cg.paths)
        }
        let trash = store.containersDirectory + "/" + ContainerStore.trashPrefix + container.id
        if holdingLock {
            try FS.rename(container.paths.directory, trash, stage: "rm")
        } else {
            let lock = try FileLock(path: container.paths.lock, stage: "rm")
            try lock.withLock(stage: "rm") { try FS.rename(container.paths.directory, trash, stage: "rm") }
        }
        try FS.removeTree(trash, stage: "rm")
        removed.append(container.paths.directory)
        // After the directory is gone, so a crash in between leaves a lease
        // whose container no longer exists, which the next attach reclaims.
        if container.config.networkMode == .bridge { network.release(container.id) }
        if events.wantsEvidence { events.emit(.teardown(removed: removed)) }
    }

    /// docker logs: the container's output as the monitor logged it.
    /// With `follow`, keeps writing new output until the container ends.
    public func logs(_ reference: String, follow: Bool, to fd: Int32) throws {
        let container = try container(reference)
        let file = open(container.paths.log, O_RDONLY | O_CLOEXEC)
        if file < 0 {
            if errno == ENOENT { return }
            throw RuntimeError.system(SysError.current("logs", "open", container.paths.log))
        }
        defer { close(file) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if n > 0 {
                try FS.writeAll(fd: fd, Array(buffer[0..<n]), stage: "logs")
                continue
            }
            guard follow else { return }
            if !Processes.isAlive(container.state.pid, startTime: container.state.pidStartTime) {
                // Drain what the monitor wrote last, then stop.
                let rest = try FS.readAll(fd: file, stage: "logs")
                try FS.writeAll(fd: fd, rest, stage: "logs")
                return
            }
            usleep(50_000)
        }
    }
}

/// pidfd_open that tolerates pid 0.
func bs_pidfd_open_checked(_ pid: Int32) -> Int32 {
    pid > 0 ? bs_pidfd_open(pid) : -1
}
