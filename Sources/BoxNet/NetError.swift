import BoxOS

/// Everything that can go wrong while boxlab wires a container to the
/// network. Like `RuntimeError`, each case is a message key, an English
/// template and its values, so the shell can say it in Korean too
/// (BoxShell's NetStrings holds the Korean side).
public enum NetError: LocalizedFailure, Equatable, Sendable {
    /// A netlink request the kernel refused: which request, on what, errno,
    /// and the kernel's own extended-ack message when it gave one.
    case netlink(request: String, target: String, errno: Int32, kernelMessage: String)
    /// A plain syscall failed (socket, setns, bind…).
    case system(SysError)
    case invalidSubnet(value: String, reason: String)
    /// The subnet would shadow a route the host already has.
    case subnetOverlap(subnet: String, route: String, device: String)
    /// BOXLAB_SUBNET changed while containers still hold leases in the old one.
    case subnetChanged(old: String, new: String, holders: Int)
    case addressesExhausted(subnet: String)
    case invalidNetworkMode(String)
    case invalidPort(spec: String, reason: String)
    /// -p with --network none|host.
    case portsNeedBridge(mode: String)
    /// The host port is published by another boxlab container.
    case portAllocated(hostIP: String, hostPort: UInt16, container: String, id: String)
    /// The host port is held by some other program on the host.
    case portBusy(hostIP: String, hostPort: UInt16, errno: Int32)
    case proxy(detail: String)

    public var key: String {
        switch self {
        case .netlink: return "error.net.netlink"
        case .system: return "error.net.system"
        case .invalidSubnet: return "error.net.subnet"
        case .subnetOverlap: return "error.net.overlap"
        case .subnetChanged: return "error.net.subnetChanged"
        case .addressesExhausted: return "error.net.exhausted"
        case .invalidNetworkMode: return "error.net.mode"
        case .invalidPort: return "error.net.port"
        case .portsNeedBridge: return "error.net.portsNeedBridge"
        case .portAllocated: return "error.net.portAllocated"
        case .portBusy: return "error.net.portBusy"
        case .proxy: return "error.net.proxy"
        }
    }

    public var values: [String: String] {
        switch self {
        case let .netlink(request, target, errno, kernelMessage):
            let reason = SysError(stage: "net", call: request, errno: errno).reason
            return ["request": request, "target": target,
                    "reason": kernelMessage.isEmpty ? reason : reason + ": " + kernelMessage]
        case let .system(error): return ["detail": error.description]
        case let .invalidSubnet(value, reason): return ["value": value, "reason": reason]
        case let .subnetOverlap(subnet, route, device): return ["subnet": subnet, "route": route, "device": device]
        case let .subnetChanged(old, new, holders): return ["old": old, "new": new, "count": String(holders)]
        case let .addressesExhausted(subnet): return ["subnet": subnet]
        case let .invalidNetworkMode(mode): return ["mode": mode]
        case let .invalidPort(spec, reason): return ["spec": spec, "reason": reason]
        case let .portsNeedBridge(mode): return ["mode": mode]
        case let .portAllocated(hostIP, hostPort, container, id):
            return ["address": hostIP, "port": String(hostPort), "container": container, "id": String(id.prefix(12))]
        case let .portBusy(hostIP, hostPort, errno):
            return ["address": hostIP, "port": String(hostPort), "reason": SysError(stage: "net", call: "bind", errno: errno).reason]
        case let .proxy(detail): return ["detail": detail]
        }
    }

    /// English templates (docker's wording where docker has one).
    public static let englishTemplates: [String: String] = [
        "error.net.netlink": "network set-up failed: {request} {target}: {reason}",
        "error.net.system": "network set-up failed: {detail}",
        "error.net.subnet": "invalid subnet \"{value}\" (BOXLAB_SUBNET): {reason}",
        "error.net.overlap": "the container subnet {subnet} overlaps the host's route {route} on {device}; "
            + "choose a free one with BOXLAB_SUBNET=A.B.C.D/N",
        "error.net.subnetChanged": "BOXLAB_SUBNET changed from {old} to {new} while {count} {count|container holds|containers hold} addresses "
            + "in {old}; remove them first (rm) or keep the old subnet",
        "error.net.exhausted": "no free address left in {subnet}: every address is leased to a container",
        "error.net.mode": "invalid network \"{mode}\": use bridge, none or host",
        "error.net.port": "invalid publish spec \"{spec}\": {reason}",
        "error.net.portsNeedBridge": "-p publishes a port through the bridge; it does nothing with --network {mode}",
        "error.net.portAllocated": "Bind for {address}:{port} failed: port is already allocated by container "
            + "\"{container}\" ({id})",
        "error.net.portBusy": "Bind for {address}:{port} failed: the port is in use by another program on the host ({reason})",
        "error.net.proxy": "port proxy failed: {detail}",
    ]

    public var cause: (any Error)? {
        if case let .system(error) = self { return error }
        return nil
    }
}
