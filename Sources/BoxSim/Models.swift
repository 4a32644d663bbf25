private typealias F = PublishedFigures

// MARK: - Process

/// The baseline: the program as an ordinary host process.
///
/// Assumptions:
/// - Starting it is one fork/exec: 1 ms ([LIGHTVM]; this machine measures
///   /bin/true at 0.5 ms, design.md §6).
/// - It costs only its own memory, has no image (it uses the host's files)
///   and shares everything with the host: kernel, filesystem, process
///   table, network. Its interface to the host kernel is the whole system
///   call table ("300+", [DOCKER-SECCOMP]).
public struct ProcessModel: MachineModel {
    public init() {}
    public var kind: MachineKind { .process }
    public var traits: Traits {
        Traits(boundary: .processOnly, kernel: .host,
               sharedWithHost: [.kernel, .filesystem, .processTable, .network],
               interface: Interface(kind: .syscalls, count: Int(F.linuxSyscalls.value), hostCodeLines: nil,
                                    shellInside: true))
    }

    public func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage] {
        [Stage(.spawn, ms: jitter.duration(F.processSpawn, salt: "process"), parameter: F.processSpawn.id)]
    }

    public func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown {
        MemoryBreakdown(app: workload.appBytes)
    }

    public func imageBytes(_ workload: Workload) -> Int64 { 0 }
    public func kernelRelease(host: String) -> String { host }
    public func exec() throws -> ExecRoute { .besideOnHost }
    public func runSeveralProcesses() throws {}
    public func boot(guest: GuestOS) throws { throw SimError.unsupported(kind, .sharesHostKernel) }
    public func panicOwnKernel() throws -> Bool { throw SimError.unsupported(kind, .noOwnKernel) }
    public var appCrashEndsInstance: Bool { true }
}

// MARK: - Container

/// The container's traits and per-instance memory, for the exercises.
/// Its boot is never simulated: `stages` throws `.notSimulated`, and
/// `compare` measures a real container through BoxRuntime instead.
///
/// Assumptions (for `sim density` only):
/// - An instance costs its processes' memory plus boxlab's monitor
///   (≈0.3 MiB, measured by boxlab's OverheadTests); namespaces, the cgroup
///   and the overlay mount are kernel objects of a few KiB, not counted.
/// - Image layers are shared on disk by every container of the image.
public struct ContainerModel: MachineModel {
    public init() {}
    public var kind: MachineKind { .container }
    public var traits: Traits {
        Traits(boundary: .namespaces, kernel: .host, sharedWithHost: [.kernel],
               interface: Interface(kind: .syscalls, count: Int(F.linuxSyscalls.value), hostCodeLines: nil,
                                    shellInside: true))
    }

    public func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage] {
        throw SimError.unsupported(kind, .notSimulated)
    }

    public func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown {
        MemoryBreakdown(runtime: F.containerMonitorRSS.bytes, app: workload.appBytes)
    }

    public func imageBytes(_ workload: Workload) -> Int64 { workload.appImageBytes }
    public func kernelRelease(host: String) -> String { host }
    public func exec() throws -> ExecRoute { .setns }
    public func runSeveralProcesses() throws {}
    public func boot(guest: GuestOS) throws { throw SimError.unsupported(kind, .sharesHostKernel) }
    public func panicOwnKernel() throws -> Bool { throw SimError.unsupported(kind, .noOwnKernel) }
    /// PID 1 ending ends the container (docker's rule).
    public var appCrashEndsInstance: Bool { true }
}

// MARK: - MicroVM

/// A Firecracker-class microVM running a minimal Linux guest.
///
/// Stages: the VMM process starts (12 ms typical, 6–60 ms, [FC-SPEC]); there
/// is no firmware and no bootloader: the VMM loads the guest kernel
/// directly, which reaches /sbin/init within 125 ms ([FC-SPEC], taken at
/// its bound); init and the app take the rest of the ~330 ms that Alpine
/// on Firecracker needs in total ([UNIKRAFT]), i.e. 330 − 12 − 125 = 193 ms
/// (derived); the app itself is one fork/exec inside the guest ([LIGHTVM]).
///
/// Memory: the VMM's ≤ 5 MiB ([FC-SPEC]) plus the guest RAM, 128 MiB by
/// default ([FC-SPEC] reference machine), reserved whole: no balloon, no
/// overcommit (Firecracker can oversubscribe, [FC-DESIGN]; `sim density`
/// shows that case separately). Inside it: a minimal kernel (20 MiB) and
/// userland (6 MiB) — both assumptions — and the app.
///
/// Image: guest kernel (assumption: 20 MiB vmlinux) + an Alpine-sized root
/// filesystem (≤ 8 MB, [ALPINE]) + the app. Guests: Linux only
/// ([FC-DESIGN]); no BIOS/UEFI, so no Windows. Interface: 5 emulated
/// devices ([FC-SITE]) in ~50k lines of Rust ([LWN-FC]).
public struct MicroVMModel: MachineModel {
    public init() {}
    public var kind: MachineKind { .microVM }
    public var traits: Traits {
        Traits(boundary: .hypervisor, kernel: .guestLinux, sharedWithHost: [.hardwareViaHypervisor],
               interface: Interface(kind: .virtioDevices, count: Int(F.firecrackerDevices.value),
                                    hostCodeLines: Int(F.firecrackerLines.value), shellInside: true))
    }

    public func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage] {
        [
            Stage(.vmm, ms: jitter.duration(F.firecrackerStart, salt: "microvm"), parameter: F.firecrackerStart.id),
            Stage(.kernel, ms: jitter.duration(F.firecrackerBootToInit, salt: "microvm"),
                  parameter: F.firecrackerBootToInit.id),
            Stage(.initSystem, ms: jitter.duration(F.microVMInit, salt: "microvm"), parameter: F.microVMInit.id),
            Stage(.app, ms: jitter.duration(F.processSpawn, salt: "microvm"), parameter: F.processSpawn.id),
        ]
    }

    public func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown {
        try guestMemory(runtime: F.firecrackerOverhead.bytes, kernel: F.microVMGuestKernelMemory.bytes,
                        userspace: F.microVMGuestUserspaceMemory.bytes, app: workload.appBytes,
                        defaultRAM: F.firecrackerGuestRAM.bytes, requested: guestRAM)
    }

    public func imageBytes(_ workload: Workload) -> Int64 {
        F.microVMKernelImage.bytes + F.alpineContainerImage.bytes + workload.appImageBytes
    }

    /// A label, not a real release: the point is that it is not the host's.
    public func kernelRelease(host: String) -> String { "6.1.0-microvm-guest" }
    public func exec() throws -> ExecRoute { .guestAgent }
    public func runSeveralProcesses() throws {}

    public func boot(guest: GuestOS) throws {
        switch guest {
        case .linuxOther: return
        case .freebsd: throw SimError.unsupported(kind, .linuxGuestsOnly)
        case .windows: throw SimError.unsupported(kind, .noFirmware)
        }
    }

    public func panicOwnKernel() throws -> Bool { true }
    /// The guest's kernel and init outlive the app (init may restart it).
    public var appCrashEndsInstance: Bool { false }
}

// MARK: - Full VM

/// A general-purpose VM: QEMU-class VMM emulating a PC, firmware, a boot
/// menu, a distribution kernel, its init and services, then the app.
///
/// Stages: QEMU's start (150 ms in the dynamic linker, [QBOOT]), the BIOS
/// (150 ms, what qboot saves, [QBOOT]), a 1 s boot menu (assumption:
/// GRUB's default is 5 s, [GRUB]), the distribution kernel with its
/// initramfs probing an emulated PC (1.2 s, assumption) and init bringing
/// up services (2 s, assumption) — "a full distro guest boots in seconds"
/// (design.md §4) — then one fork/exec for the app ([LIGHTVM]).
///
/// Memory: QEMU's own (20 MiB, assumption) plus guest RAM of 1 GiB by
/// default (a t3.micro, [AWS-T3]) reserved whole; inside it a distribution
/// kernel (60 MiB) and services (100 MiB), both assumptions, and the app.
///
/// Image: the smallest general-purpose distribution installed to disk
/// (~130 MB, [ALPINE]) plus the app. Guests: anything that boots on a PC
/// ([SEEDS] 000). Interface: a whole emulated PC in a code base of over a
/// million lines of C ([LWN-FC]); the count of devices depends on the
/// machine type and is not given.
public struct FullVMModel: MachineModel {
    public init() {}
    public var kind: MachineKind { .vm }
    public var traits: Traits {
        Traits(boundary: .hypervisor, kernel: .guestAnyOS, sharedWithHost: [.hardwareViaHypervisor],
               interface: Interface(kind: .emulatedPC, count: nil, hostCodeLines: Int(F.qemuLines.value),
                                    shellInside: true))
    }

    public func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage] {
        [
            Stage(.vmm, ms: jitter.duration(F.qemuStart, salt: "vm"), parameter: F.qemuStart.id),
            Stage(.firmware, ms: jitter.duration(F.biosBoot, salt: "vm"), parameter: F.biosBoot.id),
            Stage(.bootloader, ms: jitter.duration(F.bootloaderWait, salt: "vm"), parameter: F.bootloaderWait.id),
            Stage(.kernel, ms: jitter.duration(F.vmKernelBoot, salt: "vm"), parameter: F.vmKernelBoot.id),
            Stage(.initSystem, ms: jitter.duration(F.vmInit, salt: "vm"), parameter: F.vmInit.id),
            Stage(.app, ms: jitter.duration(F.processSpawn, salt: "vm"), parameter: F.processSpawn.id),
        ]
    }

    public func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown {
        try guestMemory(runtime: F.qemuOverhead.bytes, kernel: F.vmGuestKernelMemory.bytes,
                        userspace: F.vmGuestUserspaceMemory.bytes, app: workload.appBytes,
                        defaultRAM: F.vmGuestRAM.bytes, requested: guestRAM)
    }

    public func imageBytes(_ workload: Workload) -> Int64 { F.distroDiskImage.bytes + workload.appImageBytes }
    public func kernelRelease(host: String) -> String { "6.1.0-vm-guest" }
    public func exec() throws -> ExecRoute { .guestAgent }
    public func runSeveralProcesses() throws {}
    public func boot(guest: GuestOS) throws {}
    public func panicOwnKernel() throws -> Bool { true }
    public var appCrashEndsInstance: Bool { false }
}

// MARK: - Unikernel

/// A unikernel: the application linked with a library OS (Unikraft-style)
/// into one image with one address space, run by a Firecracker-class VMM.
///
/// Stages: the VMM starts (12 ms, [FC-SPEC]); the library OS initialises in
/// around 1 ms ([UNIKRAFT]; tens to hundreds of µs in the published range);
/// the app is entered by a function call, not an exec (0 ms). The total
/// stays inside Unikraft's published 3–40 ms.
///
/// Memory: the VMM (≤ 5 MiB, [FC-SPEC]) plus guest RAM sized to the
/// library OS's minimum (2 MB, the low end of "2–6 MB suffice",
/// [UNIKRAFT]) plus the app's own memory; there is no separate userspace.
/// Image: ~1 MB, app included ([UNIKRAFT]).
///
/// It cannot exec anything or run a second process (one program, one
/// address space, no shell: [SEEDS] 002), and its kernel is whatever
/// library OS it was built with: another OS means another build.
public struct UnikernelModel: MachineModel {
    public init() {}
    public var kind: MachineKind { .unikernel }
    public var traits: Traits {
        Traits(boundary: .hypervisor, kernel: .libraryOS, sharedWithHost: [.hardwareViaHypervisor],
               interface: Interface(kind: .virtioDevices, count: Int(F.firecrackerDevices.value),
                                    hostCodeLines: Int(F.firecrackerLines.value), shellInside: false))
    }

    public func stages(_ workload: Workload, jitter: Jitter) throws -> [Stage] {
        [
            Stage(.vmm, ms: jitter.duration(F.firecrackerStart, salt: "unikernel"), parameter: F.firecrackerStart.id),
            Stage(.libraryOS, ms: jitter.duration(F.unikernelBoot, salt: "unikernel"), parameter: F.unikernelBoot.id),
            Stage(.app, ms: 0, parameter: ""),
        ]
    }

    public func memory(_ workload: Workload, guestRAM: Int64?) throws -> MemoryBreakdown {
        try guestMemory(runtime: F.firecrackerOverhead.bytes, kernel: F.unikernelMinimumMemory.bytes,
                        userspace: 0, app: workload.appBytes, defaultRAM: 0, requested: guestRAM)
    }

    public func imageBytes(_ workload: Workload) -> Int64 { F.unikernelImage.bytes }
    public func kernelRelease(host: String) -> String { "unikraft-libos" }
    public func exec() throws -> ExecRoute { throw SimError.unsupported(kind, .singleAddressSpace) }
    public func runSeveralProcesses() throws { throw SimError.unsupported(kind, .singleAddressSpace) }
    public func boot(guest: GuestOS) throws { throw SimError.unsupported(kind, .libraryOS) }
    public func panicOwnKernel() throws -> Bool { true }
    /// App and kernel are one program: the app's crash is the machine's end.
    public var appCrashEndsInstance: Bool { true }
}
