#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Entering a container's network namespace from Swift.
///
/// A network namespace is a per-thread attribute: `setns(fd, CLONE_NEWNET)`
/// moves only the calling thread, and the kernel allows it in a
/// multi-threaded process (unlike a mount or user namespace, which is why
/// the C shim does the child's side of clone). And a socket stays in the
/// namespace it was created in for its whole life. So boxlab enters the
/// container's namespace only for the one `socket()` call, synchronously on
/// the calling thread, and switches straight back: no Swift code ever runs
/// in the container's namespace except that call, nothing can hop threads
/// in between (there is no `await`), and everything after it is plain
/// netlink on the returned socket.
///
/// glibc's `setns()` is not visible through Swift's Glibc module (the
/// declaration sits behind _GNU_SOURCE), so it is resolved once with
/// dlsym(3) instead of adding a C function to the shim.
public enum NetNamespace {
    private typealias SetnsFunction = @convention(c) (Int32, Int32) -> Int32
    private static let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET

    private static func setnsFunction() throws(NetError) -> SetnsFunction {
        guard let symbol = dlsym(nil, "setns") else {
            throw .system(SysError(stage: "net", call: "dlsym(setns)", errno: ENOSYS))
        }
        return unsafeBitCast(symbol, to: SetnsFunction.self)
    }

    /// A NETLINK_ROUTE socket that lives in the network namespace of `pid`.
    public static func routeSocket(inNamespaceOf pid: Int32) throws(NetError) -> NetlinkSocket {
        try withNamespace(of: pid) { () throws(NetError) in try NetlinkSocket() }
    }

    /// Runs `body` with the calling thread in the network namespace of
    /// `pid`, then puts the thread back. Keep `body` to socket creation.
    static func withNamespace<T>(of pid: Int32, _ body: () throws(NetError) -> T) throws(NetError) -> T {
        let setns = try setnsFunction()
        let target = open("/proc/\(pid)/ns/net", O_RDONLY | O_CLOEXEC)
        if target < 0 { throw .system(SysError.current("net", "open", "/proc/\(pid)/ns/net")) }
        defer { close(target) }
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        if home < 0 { throw .system(SysError.current("net", "open", "/proc/thread-self/ns/net")) }
        defer { close(home) }
        if setns(target, cloneNewNet) != 0 { throw .system(SysError.current("net", "setns(CLONE_NEWNET)", "/proc/\(pid)/ns/net")) }
        let result = Result { () throws(NetError) in try body() }
        if setns(home, cloneNewNet) != 0 {
            // A thread left in a container's namespace would create every
            // later socket there: never go on like that.
            fatalError("boxlab: cannot return to its own network namespace: \(SysError.current("net", "setns").description)")
        }
        return try result.get()
    }
}
