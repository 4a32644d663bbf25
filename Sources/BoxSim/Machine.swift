/// The five ways to run a program that boxlab compares.
public enum MachineKind: String, Sendable, Equatable, CaseIterable {
    case process, container, microVM = "microvm", vm, unikernel

    /// The model behind the kind (the container's is only its traits and
    /// memory; its timings are always measured).
    public var model: any MachineModel {
        switch self {
        case .process: return ProcessModel()
        case .container: return ContainerModel()
        case .microVM: return MicroVMModel()
        case .vm: return FullVMModel()
        case .unikernel: return UnikernelModel()
        }
    }

    /// True for the kinds that are hardware-virtualized machines.
    public var isVirtualMachine: Bool { self == .microVM || self == .vm || self == .unikernel }
}

/// One stage of a boot, in the order it happens.
public struct Stage: Sendable, Equatable {
    public enum ID: String, Sendable, Equatable, CaseIterable {
        case spawn, vmm, firmware, bootloader, kernel, initSystem = "init", libraryOS = "library-os", app
    }

    public let id: ID
    public let ms: Double
    /// The parameter the duration comes from ("" when it is structural, e.g. 0 ms).
    public let parameter: String

    public init(_ id: ID, ms: Double, parameter: String) {
        self.id = id
        self.ms = ms
        self.parameter = parameter
    }
}

/// Memory of one instance, by owner. `unusedReserved` is guest RAM a VM
/// holds but the guest has not touched: the host cannot give it to anyone
/// else unless it overcommits.
public struct MemoryBreakdown: Sendable, Equatable {
    /// The VMM's own memory (VMs), or the container's monitor process.
    public var runtime: Int64 = 0
    public var guestKernel: Int64 = 0
    public var guestUserspace: Int64 = 0
    public var app: Int64 = 0
    public var unusedReserved: Int64 = 0

    public init(runtime: Int64 = 0, guestKernel: Int64 = 0, guestUserspace: Int64 = 0, app: Int64 = 0,
                unusedReserved: Int64 = 0) {
        self.runtime = runtime
        self.guestKernel = guestKernel
        self.guestUserspace = guestUserspace
        self.app = app
        self.unusedReserved = unusedReserved
    }

    /// What the host sets aside for the instance.
    public var reserved: Int64 { runtime + guestKernel + guestUserspace + app + unusedReserved }
    /// What is actually in use (what a host that overcommits must back).
    public var touched: Int64 { runtime + guestKernel + guestUserspace + app }
}

/// Where the isolation boundary is.
public enum Boundary: String, Sendable, Equatable {
    /// Ordinary process: user ids and file permissions only.
    case processOnly = "process"
    /// Namespaces and cgroups around processes of the one shared kernel.
    case namespaces
    /// Hardware virtualization (KVM) with a VMM process per machine.
    case hypervisor
}

/// What the instance has in common with the host.
public enum Shared: String, Sendable, Equatable {
    case kernel, filesystem, processTable = "process-table", network
    /// CPU and memory, handed out by the hypervisor (KVM) in the host kernel.
    case hardwareViaHypervisor = "hardware-via-hypervisor"
}

/// Whose kernel the program runs on.
public enum KernelOwner: String, Sendable, Equatable {
    case host
    /// Its own guest kernel, any OS the emulated PC can boot.
    case guestAnyOS = "guest-any-os"
    /// Its own guest kernel, Linux only.
    case guestLinux = "guest-linux"
    /// A library OS linked into the application image.
    case libraryOS = "library-os"
}

/// How a compromised application reaches the host.
public struct Interface: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// System calls into the host kernel.
        case syscalls
        /// A few virtio (and legacy) devices emulated by a minimal VMM.
        case virtioDevices = "virtio-devices"
        /// A whole emulated PC (firmware, PCI, disks, display, USB, …).
        case emulatedPC = "emulated-pc"
    }

    public let kind: Kind
    /// How many entry points, when published.
    public let count: Int?
    /// Lines of code behind the interface on the host side, when published.
    public let hostCodeLines: Int?
    /// True when a shell and tools exist inside for an attacker to use.
    public let shellInside: Bool
}

/// The qualitative side of a kind.
public struct Traits: Sendable, Equatable {
    public let boundary: Boundary
    public let kernel: KernelOwner
    public let sharedWithHost: [Shared]
    public let interface: Interface
}

/// A guest operating system to try in `sim kernel`.
public enum GuestOS: String, Sendable, Equatable, CaseIterable {
    case windows, freebsd, linuxOther = "linux-other"
}

/// How `exec` reaches into an instance.
public enum ExecRoute: String, Sendable, Equatable {
    /// A process is not isolated: "exec" is another process beside it on the host.
    case besideOnHost = "beside-on-host"
    /// setns() into the container's namespaces; the host kernel runs it.
    case setns
    /// Through ssh or an agent in the guest (vsock); the guest's kernel runs it.
    case guestAgent = "guest-agent"
}

/// One machine model. Every model answers the same questions; what its kind
/// cannot do throws `SimError.unsupported(kind, reason)` (design.md §7:
/// the VM behind a protocol whose unsupported operations throw).
public protocol MachineModel: Sendable {
    var kind: MachineKind { get }
    var traits: Traits { get }
    /// The boot, stage by stage, until the app runs.
    func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage]
    /// Memory of one instance; `guestRAM` overrides the default guest RAM of a VM.
    func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown
    /// Bytes to store and ship per image.
    func imageBytes(_ workload: Workload) -> Int64
    /// The kernel release a program inside sees (`uname -r`).
    func kernelRelease(host: String) -> String
    /// Run another command inside a running instance.
    func exec() throws -> ExecRoute
    /// Run several processes in one instance (an OS container, sidecars, a shell).
    func runSeveralProcesses() throws
    /// Boot a different operating system kernel.
    func boot(guest: GuestOS) throws
    /// The instance's own kernel panics: returns true when only this instance is lost.
    func panicOwnKernel() throws -> Bool
    /// The application crashes: true when the instance itself ends with it.
    var appCrashEndsInstance: Bool { get }
}

extension MachineModel {
    /// Sum of the stages.
    public func bootMs(_ workload: Workload, jitter: Jitter) throws -> Double {
        try stages(workload, jitter: jitter).reduce(0) { $0 + $1.ms }
    }

    /// Guest RAM needed to boot at all (kernel + userspace + app), for VMs.
    public func minimumGuestRAM(_ workload: Workload) throws -> Int64 {
        let memory = try self.memory(workload, guestRAM: nil)
        return memory.guestKernel + memory.guestUserspace + memory.app
    }
}

// MARK: - Guest RAM

/// Guest RAM is reserved whole: the guest's kernel, userspace and app live
/// inside it, and the rest is reserved but unused. Asking for less than the
/// guest needs is refused, as a real guest would fail to boot.
func guestMemory(runtime: Int64, kernel: Int64, userspace: Int64, app: Int64, defaultRAM: Int64,
                 requested: Int64?) throws -> MemoryBreakdown {
    let needed = kernel + userspace + app
    let ram = requested ?? max(defaultRAM, roundUpToMiB(needed))
    if ram < needed { throw SimError.guestRAMTooSmall(requested: ram, needed: needed) }
    return MemoryBreakdown(runtime: runtime, guestKernel: kernel, guestUserspace: userspace, app: app,
                           unusedReserved: ram - needed)
}

func roundUpToMiB(_ bytes: Int64) -> Int64 {
    (bytes + Size.mebibyte - 1) / Size.mebibyte * Size.mebibyte
}
