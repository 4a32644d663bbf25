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
public enum SimError: Error, Equatable, CustomStringConvertible {
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

    /// English, for logs and tests; the shell prints its own localized text.
    public var description: String {
        switch self {
        case let .unsupported(kind, reason): return "\(kind.rawValue): unsupported (\(reason.rawValue))"
        case let .unknownWorkload(name): return "unknown workload \"\(name)\""
        case let .unknownKind(name): return "unknown machine kind \"\(name)\""
        case let .unknownGuest(name): return "unknown guest \"\(name)\""
        case let .invalidSize(text): return "invalid size \"\(text)\""
        case let .invalidName(name): return "invalid name \"\(name)\""
        case let .nameInUse(name): return "the name \"\(name)\" is already in use"
        case let .noSuchMachine(name): return "no such simulated machine: \(name)"
        case let .machineRunning(name): return "simulated machine \(name) is running"
        case let .machineNotRunning(name): return "simulated machine \(name) is not running"
        case let .guestRAMTooSmall(requested, needed): return "guest RAM \(requested) B is below the \(needed) B the guest needs"
        case let .hostOutOfMemory(requested, available): return "host cannot reserve \(requested) B (\(available) B left)"
        case let .corruptState(path): return "unreadable state file \(path)"
        }
    }
}
