// MARK: - Crash: who survives?

/// One instance on the simulated host.
public struct Instance: Sendable, Equatable {
    public let kind: MachineKind
    public let name: String

    public init(kind: MachineKind, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// What fails.
public enum CrashEvent: Sendable, Equatable {
    /// The host's kernel panics.
    case host
    /// The kernel of the first instance of this kind panics.
    case guestKernel(MachineKind)
    /// The application of the first instance of this kind crashes.
    case app(MachineKind)
}

/// After the crash.
public enum InstanceState: String, Sendable, Equatable {
    case up
    case down
    /// The machine still runs (its kernel and init), its app does not.
    case appDown = "app-down"
}

/// Why an instance ended up as it did ("sim.why.<rawValue>" in the shell).
public enum CrashWhy: String, Sendable, Equatable, CaseIterable {
    /// It ran on the host kernel, which panicked.
    case ranOnHostKernel = "ran-on-host-kernel"
    /// Its VMM was a host process and KVM is part of the host kernel.
    case hypervisorOnHost = "hypervisor-on-host"
    /// Its own kernel panicked.
    case ownKernelPanicked = "own-kernel-panicked"
    /// A VM with its own kernel: another guest's panic does not reach it.
    case separateKernel = "separate-kernel"
    /// It runs on the host kernel, which is fine.
    case hostKernelFine = "host-kernel-fine"
    /// Its app crashed and the instance ended with it (a process; a container whose PID 1 exited).
    case appEnded = "app-ended"
    /// Its app crashed; the guest kernel and init keep the VM running.
    case appGuestStays = "app-guest-stays"
    /// Its app crashed, and in a unikernel app and kernel are one program.
    case appIsKernel = "app-is-kernel"
    /// Another instance's app crashed: this one is a separate process tree or machine.
    case unaffected
}

public struct CrashOutcome: Sendable, Equatable {
    public let instance: Instance
    public let state: InstanceState
    public let why: CrashWhy
}

public enum CrashExercise {
    /// The default host: `perKind` instances of every kind, named "vm-1", "vm-2", …
    public static func fleet(perKind: Int = 2) -> [Instance] {
        MachineKind.allCases.flatMap { kind in
            (1...max(1, perKind)).map { Instance(kind: kind, name: "\(kind.rawValue)-\($0)") }
        }
    }

    /// What each instance of `fleet` looks like after `event`. A guest-kernel
    /// panic in a process or container throws `.unsupported(kind, .noOwnKernel)`:
    /// the only kernel it has is the host's (that is the `.host` event).
    public static func run(_ event: CrashEvent, fleet: [Instance] = fleet()) throws -> [CrashOutcome] {
        switch event {
        case .host:
            return fleet.map {
                CrashOutcome(instance: $0, state: .down,
                             why: $0.kind.isVirtualMachine ? .hypervisorOnHost : .ranOnHostKernel)
            }
        case let .guestKernel(kind):
            _ = try kind.model.panicOwnKernel()
            let target = fleet.first { $0.kind == kind }
            return fleet.map { instance in
                if instance == target { return CrashOutcome(instance: instance, state: .down, why: .ownKernelPanicked) }
                return CrashOutcome(instance: instance, state: .up,
                                    why: instance.kind.isVirtualMachine ? .separateKernel : .hostKernelFine)
            }
        case let .app(kind):
            let target = fleet.first { $0.kind == kind }
            return fleet.map { instance in
                guard instance == target else { return CrashOutcome(instance: instance, state: .up, why: .unaffected) }
                if kind == .unikernel { return CrashOutcome(instance: instance, state: .down, why: .appIsKernel) }
                return kind.model.appCrashEndsInstance
                    ? CrashOutcome(instance: instance, state: .down, why: .appEnded)
                    : CrashOutcome(instance: instance, state: .appDown, why: .appGuestStays)
            }
        }
    }
}

// MARK: - Density: how many fit?

public struct DensityRow: Sendable, Equatable {
    public let kind: MachineKind
    public let memory: MemoryBreakdown
    /// Instances whose memory is reserved whole (no overcommit).
    public let fitsReserved: Int64
    /// Instances if the host overcommits and backs only touched memory.
    public let fitsTouched: Int64
}

public enum DensityExercise {
    /// How many instances of each kind fit in `hostBytes` of RAM when each
    /// runs `workload`. Assumption: all of `hostBytes` is for instances (the
    /// host's own use is not subtracted); VMs get their default guest RAM.
    public static func run(hostBytes: Int64, workload: Workload) throws -> [DensityRow] {
        try MachineKind.allCases.map { kind in
            let memory = try kind.model.memory(workload, guestRAM: nil)
            return DensityRow(kind: kind, memory: memory,
                              fitsReserved: hostBytes / max(1, memory.reserved),
                              fitsTouched: hostBytes / max(1, memory.touched))
        }
    }
}

// MARK: - Kernel: another OS?

public struct KernelAnswer: Sendable, Equatable {
    public let kind: MachineKind
    public let guest: GuestOS
    /// nil when the guest boots; else why not.
    public let refusal: Unsupported?
}

public enum KernelExercise {
    public static func run(guests: [GuestOS] = GuestOS.allCases) -> [KernelAnswer] {
        MachineKind.allCases.flatMap { kind in
            guests.map { guest in
                do {
                    try kind.model.boot(guest: guest)
                    return KernelAnswer(kind: kind, guest: guest, refusal: nil)
                } catch let SimError.unsupported(_, reason) {
                    return KernelAnswer(kind: kind, guest: guest, refusal: reason)
                } catch {
                    return KernelAnswer(kind: kind, guest: guest, refusal: .sharesHostKernel)
                }
            }
        }
    }
}
