#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import CBoxShim

/// Port publishing is a userspace proxy, like docker's `docker-proxy`, not
/// nftables/iptables DNAT. Why:
/// - DNAT does not catch connections the host makes to itself on
///   127.0.0.1 (the lab's first `wget localhost:8080`) without
///   `route_localnet` and an SNAT rule; docker falls back to its proxy for
///   exactly that case.
/// - DNAT'd traffic is forwarded: it needs `net.ipv4.ip_forward=1` and
///   FORWARD rules, i.e. changing how the whole machine routes. boxlab
///   never touches forwarding or NAT; the proxy only opens sockets.
/// - No nft/iptables binary or nf_tables netlink dialect is needed, and a
///   crash leaves no rule behind: a proxy is a process, and it ends itself
///   when the container's PID 1 ends (it watches a pidfd).
/// The cost is a copy through user space per byte (benchmarks/network
/// measures it against going to the container's address directly).
public struct ProxyPlan: Sendable, Equatable {
    public struct Route: Sendable, Equatable {
        public var listenFD: Int32
        public var target: IPv4Address
        public var port: UInt16
    }

    public var containerPid: Int32
    public var containerStartTime: UInt64
    public var routes: [Route]

    /// `boxlab _proxy PID STARTTIME FD=IP:PORT…` (what `ProxyLauncher` spawns).
    public static func parse(pid: String, startTime: String, routes: [String]) -> ProxyPlan? {
        guard let pid = Int32(pid), let startTime = UInt64(startTime) else { return nil }
        var parsed: [Route] = []
        for route in routes {
            let parts = route.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let fd = Int32(parts[0]) else { return nil }
            let target = parts[1].split(separator: ":")
            guard target.count == 2, let ip = IPv4Address(target[0]), let port = UInt16(target[1]) else { return nil }
            parsed.append(Route(listenFD: fd, target: ip, port: port))
        }
        return ProxyPlan(containerPid: pid, containerStartTime: startTime, routes: parsed)
    }

    public var arguments: [String] {
        [String(containerPid), String(containerStartTime)] + routes.map { "\($0.listenFD)=\($0.target):\($0.port)" }
    }
}

/// Starts and stops the per-container proxy process.
///
/// The proxy must outlive the `boxlab run -d` that starts it, and must not
/// become a zombie child of a long-lived lab shell: so boxlab spawns
/// `boxlab _proxy …`, which forks once — while still single-threaded, the
/// only moment fork() is safe in a Swift process — and the first process
/// exits at once. boxlab reaps it; the daemon is reparented to init. The
/// daemon writes its pid on a pipe first, so boxlab can stop it later.
public enum ProxyLauncher {
    public struct Pending: Sendable {
        public let intermediate: Int32
        let pipeFD: Int32
    }

    /// Spawns the proxy with the listening sockets as fds 3, 4, … It runs
    /// meanwhile; `finish` collects its pid.
    public static func launch(binary: String, containerPid: Int32, containerStartTime: UInt64, target: IPv4Address,
                              ports: [BoundPort]) throws(NetError) -> Pending {
        do {
            let pipe = try Processes.pipe(stage: "net")
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            defer {
                close(pipe.write)
                if null >= 0 { close(null) }
            }
            var fds: [Int32: Int32] = [0: null, 1: pipe.write, 2: null]
            var routes: [ProxyPlan.Route] = []
            for (index, port) in ports.enumerated() {
                let child = Int32(3 + index)
                fds[child] = port.fd
                routes.append(.init(listenFD: child, target: target, port: port.mapping.containerPort))
            }
            let plan = ProxyPlan(containerPid: containerPid, containerStartTime: containerStartTime, routes: routes)
            do {
                let pid = try Processes.spawn(binary, arguments: ["boxlab", "_proxy"] + plan.arguments, environment: [],
                                              fds: fds, stage: "net")
                return Pending(intermediate: pid, pipeFD: pipe.read)
            } catch {
                close(pipe.read)
                throw error
            }
        } catch let error as NetError {
            throw error
        } catch let error as SysError {
            throw .system(error)
        } catch {
            throw .proxy(detail: "\(error)")
        }
    }

    /// Reads the daemon's pid and reaps the intermediate process.
    public static func finish(_ pending: Pending) -> (pid: Int32, startTime: UInt64)? {
        let text = String(decoding: (try? FS.readAll(fd: pending.pipeFD, stage: "net")) ?? [], as: UTF8.self)
        close(pending.pipeFD)
        _ = try? Processes.wait(pending.intermediate, stage: "net")
        guard let pid = Int32(text.trimmingCharacters(in: " \n")), pid > 0,
              let start = ProcFS.stat(pid)?.startTime else { return nil }
        return (pid, start)
    }

    /// Stops a proxy: SIGTERM through a pidfd (no pid-reuse race: the start
    /// time is checked first), then waits until it is gone so its ports are
    /// free when this returns; SIGKILL after a second.
    public static func stop(pid: Int32, startTime: UInt64) {
        guard pid > 0, Processes.isAlive(pid, startTime: startTime) else { return }
        let pidfd = bs_pidfd_open(pid)
        guard pidfd >= 0 else { return }
        defer { close(pidfd) }
        guard ProcFS.stat(pid)?.startTime == startTime else { return }
        _ = bs_pidfd_send_signal(pidfd, SIGTERM)
        if (try? Processes.pollReadable(pidfd, timeoutMs: 1000, stage: "net")) == true { return }
        _ = bs_pidfd_send_signal(pidfd, SIGKILL)
        _ = try? Processes.pollReadable(pidfd, timeoutMs: 1000, stage: "net")
    }
}

/// The proxy process itself.
public enum PortProxy {
    /// `boxlab _proxy`: detach (see `ProxyLauncher`), then serve until the
    /// container's PID 1 ends. Returns only in the first process, or on error.
    public static func detachAndServe(_ plan: ProxyPlan) -> Int32 {
        // fork() is safe only while this process has a single thread.
        let threads = (try? FS.list("/proc/self/task").count) ?? 0
        guard threads == 1 else { return 125 }
        let child = fork()
        if child < 0 { return 125 }
        if child > 0 { _exit(0) }
        setsid()
        let line = Array("\(getpid())\n".utf8)
        _ = try? FS.writeAll(fd: 1, line, stage: "net")
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            for fd: Int32 in 0...2 { dup2(null, fd) }
            if null > 2 { close(null) }
        }
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        _ = chdir("/")
        serve(plan)
        _exit(0)
    }

    /// The loop: one poll() over the container's pidfd, the listeners and
    /// every relayed connection. No threads; memory is two 64 KiB buffers
    /// per open connection, none when idle.
    public static func serve(_ plan: ProxyPlan) {
        let pidfd = bs_pidfd_open(plan.containerPid)
        guard pidfd >= 0, ProcFS.stat(plan.containerPid)?.startTime == plan.containerStartTime else { return }
        for route in plan.routes { _ = fcntl(route.listenFD, F_SETFL, O_NONBLOCK) }
        var relays: [Relay] = []
        var fds: [pollfd] = []
        while true {
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0))
            for route in plan.routes { fds.append(pollfd(fd: route.listenFD, events: Int16(POLLIN), revents: 0)) }
            for relay in relays {
                let (client, upstream) = relay.interest
                fds.append(pollfd(fd: relay.client, events: client, revents: 0))
                fds.append(pollfd(fd: relay.upstream, events: upstream, revents: 0))
            }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[0].revents != 0 { return }  // PID 1 is gone: so is the container's address
            for (index, route) in plan.routes.enumerated() where fds[1 + index].revents != 0 {
                acceptAll(route, into: &relays)
            }
            let base = 1 + plan.routes.count
            for (index, relay) in relays.enumerated() {
                let events = fds.count > base + 2 * index + 1 ? fds[base + 2 * index].revents | fds[base + 2 * index + 1].revents : 0
                if events != 0 { relay.pump() }
            }
            relays.removeAll { relay in
                if relay.finished { relay.close() }
                return relay.finished
            }
        }
    }

    static func acceptAll(_ route: ProxyPlan.Route, into relays: inout [Relay]) {
        while true {
            let client = accept(route.listenFD, nil, nil)
            if client < 0 { return }  // EAGAIN: all taken
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if upstream < 0 {
                close(client)
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, O_NONBLOCK)
            var on: Int32 = 1
            for fd in [client, upstream] {
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = PortListeners.socketAddress(route.target, route.port)
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if rc != 0 && errno != EINPROGRESS {
                close(client)
                close(upstream)
                continue
            }
            relays.append(Relay(client: client, upstream: upstream, connected: rc == 0))
        }
    }
}

/// One relayed connection: client ⇄ container, each direction with its own
/// 64 KiB buffer (mapped on first use); a half-close (EOF one way) is passed on with shutdown(SHUT_WR).
final class Relay {
    static let bufferSize = 65536

    /// One direction of the stream.
    struct Direction {
        var buffer: UnsafeMutableRawPointer?
        var start = 0
        var end = 0
        var eof = false
        var shut = false
        var pending: Int { end - start }
    }

    let client: Int32
    let upstream: Int32
    var connecting: Bool
    var toContainer = Direction()
    var toClient = Direction()
    var failed = false

    init(client: Int32, upstream: Int32, connected: Bool) {
        self.client = client
        self.upstream = upstream
        connecting = !connected
    }

    var finished: Bool { failed || (toContainer.shut && toClient.shut) }

    /// poll() events for (client, upstream).
    var interest: (Int16, Int16) {
        if connecting { return (0, Int16(POLLOUT)) }
        var clientEvents: Int16 = 0, upstreamEvents: Int16 = 0
        if toContainer.pending == 0 && !toContainer.eof { clientEvents |= Int16(POLLIN) }
        if toContainer.pending > 0 { upstreamEvents |= Int16(POLLOUT) }
        if toClient.pending == 0 && !toClient.eof { upstreamEvents |= Int16(POLLIN) }
        if toClient.pending > 0 { clientEvents |= Int16(POLLOUT) }
        return (clientEvents, upstreamEvents)
    }

    func pump() {
        if connecting {
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(upstream, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == EINPROGRESS || error == EALREADY { return }
            if error != 0 {
                failed = true  // nothing listens in the container: the client sees the connection close
                return
            }
            connecting = false
        }
        move(&toContainer, from: client, to: upstream)
        move(&toClient, from: upstream, to: client)
    }

    /// Copies until one side would block (bounded, so one busy connection
    /// cannot starve the others).
    private func move(_ direction: inout Direction, from source: Int32, to destination: Int32) {
        for _ in 0..<8 where !failed {
            if direction.pending > 0 {
                let n = send(destination, direction.buffer! + direction.start, direction.pending, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EAGAIN || errno == EINTR { return }
                    failed = true
                    return
                }
                direction.start += n
                if direction.pending > 0 { return }
                direction.start = 0
                direction.end = 0
            } else if !direction.eof {
                if direction.buffer == nil {
                    // mmap, not malloc: munmap gives the pages back the moment
                    // the connection closes, so an idle proxy stays small.
                    guard let memory = mmap(nil, Self.bufferSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                          memory != MAP_FAILED else {
                        failed = true
                        return
                    }
                    direction.buffer = memory
                }
                let n = recv(source, direction.buffer!, Self.bufferSize, 0)
                if n < 0 {
                    if errno == EAGAIN || errno == EINTR { return }
                    failed = true
                    return
                }
                if n == 0 {
                    direction.eof = true
                } else {
                    direction.end = n
                }
            } else {
                break
            }
        }
        // EOF read and everything before it delivered: pass the half-close on.
        if !failed && direction.eof && direction.pending == 0 && !direction.shut {
            shutdown(destination, Int32(SHUT_WR))
            direction.shut = true
        }
    }

    func close() {
        Glibc.close(client)
        Glibc.close(upstream)
        if let buffer = toContainer.buffer { munmap(buffer, Self.bufferSize) }
        if let buffer = toClient.buffer { munmap(buffer, Self.bufferSize) }
        toContainer.buffer = nil
        toClient.buffer = nil
    }
}
