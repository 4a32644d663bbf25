#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A NETLINK_ROUTE socket: boxlab's only way to change the network (no `ip`
/// command runs). Each request carries NLM_F_ACK and waits for the kernel's
/// answer, so every call either did its work or throws `NetError.netlink`
/// naming the request, its target, the errno and the kernel's extended-ack
/// text. The socket belongs to the network namespace it was created in, for
/// its whole life (see `NetNamespace.routeSocket(inNamespaceOf:)`).
public final class NetlinkSocket {
    let fd: Int32
    private var sequence: UInt32 = 0
    private var buffer = [UInt8](repeating: 0, count: 65536)

    /// socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) in the caller's network namespace.
    public init() throws(NetError) {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0 /* NETLINK_ROUTE */)
        if fd < 0 { throw .system(SysError.current("net", "socket(AF_NETLINK)")) }
        self.fd = fd
        // Ask for the kernel's error text (NETLINK_EXT_ACK = 11) and for
        // errors without a copy of our request (NETLINK_CAP_ACK = 10).
        var on: Int32 = 1
        _ = setsockopt(fd, 270 /* SOL_NETLINK */, 11, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, 270, 10, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    // MARK: - Exchanges

    /// Sends a request with NLM_F_ACK and waits for the ACK. Any reply
    /// messages that come before it (a GET) are returned.
    @discardableResult
    public func request(_ message: NetlinkMessage, name: String, target: String) throws(NetError) -> [NetlinkReply] {
        try exchange(message, name: name, target: target, dump: false)
    }

    /// Sends a dump request and collects every message until NLMSG_DONE.
    public func dump(_ message: NetlinkMessage, name: String) throws(NetError) -> [NetlinkReply] {
        try exchange(message, name: name, target: "(dump)", dump: true)
    }

    /// A request ends with its ACK (NLMSG_ERROR with errno 0), a dump with
    /// NLMSG_DONE; replies to other sequence numbers are skipped.
    private func exchange(_ message: NetlinkMessage, name: String, target: String, dump: Bool) throws(NetError) -> [NetlinkReply] {
        sequence &+= 1
        let seq = sequence
        let bytes = message.finished(seq: seq)
        let sent = bytes.withUnsafeBytes { raw in
            while true {
                let n = send(fd, raw.baseAddress, raw.count, 0)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
        if sent < 0 { throw .system(SysError.current("net", "send(netlink \(name))")) }
        var replies: [NetlinkReply] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                while true {
                    let n = recv(fd, raw.baseAddress, raw.count, Int32(MSG_TRUNC))
                    if n < 0 && errno == EINTR { continue }
                    return n
                }
            }
            if count < 0 { throw .system(SysError.current("net", "recv(netlink \(name))")) }
            if count > buffer.count {
                throw .netlink(request: name, target: target, errno: EMSGSIZE, kernelMessage: "reply larger than \(buffer.count) bytes")
            }
            for reply in NetlinkReply.split(buffer[0..<count]) where reply.seq == seq {
                switch reply.type {
                case NL.error:
                    guard let (code, text) = reply.errorCode else { continue }
                    if code != 0 { throw .netlink(request: name, target: target, errno: code, kernelMessage: text) }
                    return replies
                case NL.done:
                    if reply.payload.count >= 4 {
                        let code = -NetlinkReply.read(Int32.self, reply.payload, reply.payload.startIndex)
                        if code > 0 { throw .netlink(request: name, target: target, errno: code, kernelMessage: "") }
                    }
                    return replies
                case NL.noop:
                    continue
                default:
                    replies.append(reply)
                }
            }
        }
    }
}
