import BoxOS

/// Why a model refuses an operation. Each case is a teaching point, and
/// the shell has a sentence for each in English and Korean
/// ("sim.reason.<rawValue>").
public enum Unsupported: String, Sendable, Equatable, CaseIterable {
    /// A process or container runs on the host's kernel: it cannot bring another.
    case sharesHostKernel = "shares-host-kernel"
    /// A process or container has no kernel of its own that could panic alone.
    case noOwnKernel = "no-own-kernel"
    /// A unikernel is one program in one address space: no shell, no second process.
    case singleAddressSpace = "single-address-space"
    /// A unikernel's kernel is a library linked into the application image.
    case libraryOS = "library-os"
    /// The microVM's VMM documents Linux guests only.
    case linuxGuestsOnly = "linux-guests-only"
    /// The microVM has no BIOS/UEFI firmware: it loads a Linux kernel directly.
    case noFirmware = "no-firmware"
    /// The container is never simulated: `compare` measures a real one.
    case notSimulated = "not-simulated"
}

/// Errors of the simulation and its machine store. `.unsupported` is the
/// habit of design.md §7: a model behind the common protocol throws it for
/// an operation its kind cannot do, with the reason.
public enum SimError: LocalizedFailure, Equatable {
    case unsupported(MachineKind, Unsupported)
    case unknownWorkload(String)
    case unknownKind(String)
    case unknownGuest(String)
    case invalidSize(String)
    case invalidName(String)
    case nameInUse(String)
    case noSuchMachine(String)
    /// `vm rm` without -f on a running machine.
    case machineRunning(String)
    /// `vm exec` into a stopped machine.
    case machineNotRunning(String)
    /// The guest RAM asked for is below what the guest needs to boot.
    case guestRAMTooSmall(requested: Int64, needed: Int64)
    /// The simulated host cannot reserve more guest RAM.
    case hostOutOfMemory(requested: Int64, available: Int64)
    case corruptState(path: String)

    public var key: String {
        switch self {
        case .unsupported: return "sim.err.unsupported"
        case .unknownWorkload: return "sim.err.workload"
        case .unknownKind: return "sim.err.kind"
        case .unknownGuest: return "sim.err.guest"
        case .invalidSize: return "sim.err.size"
        case .invalidName: return "sim.err.name"
        case .nameInUse: return "sim.err.name.inuse"
        case .noSuchMachine: return "sim.err.nomachine"
        case .machineRunning: return "sim.err.running"
        case .machineNotRunning: return "sim.err.notrunning"
        case .guestRAMTooSmall: return "sim.err.ram.small"
        case .hostOutOfMemory: return "sim.err.host.full"
        case .corruptState: return "sim.err.corrupt"
        }
    }

    /// Sizes both formatted ("512 MiB", for the shell) and in bytes (for
    /// the English log line); kind and reason also as keys of their words.
    public var values: [String: String] {
        switch self {
        case let .unsupported(kind, reason):
            return ["kind": kind.rawValue, "reason": reason.rawValue,
                    "kindKey": "sim.kind." + kind.rawValue, "reasonKey": "sim.reason." + reason.rawValue]
        case let .unknownWorkload(name): return ["name": name, "known": Workload.all.map(\.name).joined(separator: ", ")]
        case let .unknownGuest(name): return ["name": name, "known": GuestOS.allCases.map(\.rawValue).joined(separator: ", ")]
        case let .invalidSize(value): return ["value": value]
        case let .unknownKind(name), let .invalidName(name), let .nameInUse(name), let .noSuchMachine(name),
             let .machineRunning(name), let .machineNotRunning(name):
            return ["name": name]
        case let .guestRAMTooSmall(requested, needed):
            return ["requested": Size.format(requested), "needed": Size.format(needed),
                    "requestedBytes": String(requested), "neededBytes": String(needed)]
        case let .hostOutOfMemory(requested, available):
            return ["requested": Size.format(requested), "available": Size.format(max(0, available)),
                    "requestedBytes": String(requested), "availableBytes": String(available)]
        case let .corruptState(path): return ["path": path]
        }
    }

    /// 1 for an operation the model refuses (as a failed command), else 125.
    public var exitCode: Int32 {
        if case .unsupported = self { return 1 }
        return 125
    }

    /// English, for logs and tests; the shell has its own sentences for
    /// the same keys (SimStrings), in English and Korean.
    public static let englishTemplates: [String: String] = [
        "sim.err.unsupported": "{kind}: unsupported ({reason})",
        "sim.err.workload": "unknown workload \"{name}\"",
        "sim.err.kind": "unknown machine kind \"{name}\"",
        "sim.err.guest": "unknown guest \"{name}\"",
        "sim.err.size": "invalid size \"{value}\"",
        "sim.err.name": "invalid name \"{name}\"",
        "sim.err.name.inuse": "the name \"{name}\" is already in use",
        "sim.err.nomachine": "no such simulated machine: {name}",
        "sim.err.running": "simulated machine {name} is running",
        "sim.err.notrunning": "simulated machine {name} is not running",
        "sim.err.ram.small": "guest RAM {requestedBytes} B is below the {neededBytes} B the guest needs",
        "sim.err.host.full": "host cannot reserve {requestedBytes} B ({availableBytes} B left)",
        "sim.err.corrupt": "unreadable state file {path}",
    ]
}
