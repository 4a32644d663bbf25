#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A published port's listening socket, bound by boxlab itself in the
/// host's namespace before the container is even cloned: a taken port is a
/// clear error at once (naming the container that holds it), and the
/// socket is handed to the proxy, so the port is reachable — connections
/// wait in the backlog — from the moment `run -d` returns.
public struct BoundPort: Sendable {
    /// The mapping with the host port actually bound (`-p 80` gets one from the kernel).
    public var mapping: PortMapping
    public var fd: Int32
}

public enum PortListeners {
    /// Binds every mapping, or none: on any failure the ones already bound are closed.
    public static func bind(_ mappings: [PortMapping], container: String, holders: () -> [Endpoint]) throws(NetError) -> [BoundPort] {
        var bound: [BoundPort] = []
        var seen: Set<String> = []
        do throws(NetError) {
            for mapping in mappings {
                if mapping.hostPort != 0 {
                    let key = "\(mapping.hostPort)"
                    if seen.contains(key) {
                        throw .invalidPort(spec: mapping.description, reason: "host port \(mapping.hostPort) is published twice")
                    }
                    seen.insert(key)
                }
                bound.append(try listen(mapping, container: container, holders: holders))
            }
            return bound
        } catch {
            close(bound)
            throw error
        }
    }

    public static func close(_ ports: [BoundPort]) {
        for port in ports { Glibc.close(port.fd) }
    }

    static func listen(_ mapping: PortMapping, container: String, holders: () -> [Endpoint]) throws(NetError) -> BoundPort {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .system(SysError.current("net", "socket(AF_INET)")) }
        var on: Int32 = 1
        // SO_REUSEADDR: a port whose last connections sit in TIME_WAIT can be
        // published again at once; it never lets two listeners share a port.
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = socketAddress(mapping.hostIP, mapping.hostPort)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            let code = errno
            Glibc.close(fd)
            if code == EADDRINUSE, let holder = holders().first(where: { endpoint in
                endpoint.container != container && endpoint.ports.contains {
                    $0.hostPort == mapping.hostPort && ($0.hostIP == mapping.hostIP || $0.hostIP == .any || mapping.hostIP == .any)
                }
            }) {
                throw .portAllocated(hostIP: mapping.hostIP.description, hostPort: mapping.hostPort,
                                     container: holder.name, id: holder.container)
            }
            throw .portBusy(hostIP: mapping.hostIP.description, hostPort: mapping.hostPort, errno: code)
        }
        if Glibc.listen(fd, 128) != 0 {
            let error = SysError.current("net", "listen")
            Glibc.close(fd)
            throw .system(error)
        }
        var actual = mapping
        if mapping.hostPort == 0 {
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            actual.hostPort = UInt16(bigEndian: bound.sin_port)
        }
        return BoundPort(mapping: actual, fd: fd)
    }

    static func socketAddress(_ ip: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: ip.value.bigEndian)
        return address
    }
}
