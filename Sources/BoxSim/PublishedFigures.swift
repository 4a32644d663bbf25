/// The parameter table of the simulation: every number the models use, each
/// with the figure as published and its source (../shared/design.md §4).
/// This file holds data only; the models in this target read it by name.
///
/// Sources, in full:
/// - [FC-SPEC]   firecracker-microvm/firecracker, SPECIFICATION.md
/// - [FC-DESIGN] firecracker-microvm/firecracker, docs/design.md
/// - [FC-SITE]   firecracker-microvm.github.io (project home page)
/// - [QBOOT]     github.com/bonzini/qboot, README
/// - [LIGHTVM]   Manco et al., "My VM is Lighter (and Safer) than your Container",
///               SOSP'17, sysml.neclab.eu/projects/lightvm, doi 10.1145/3132747.3132763
/// - [UNIKRAFT]  Kuenzer et al., "Unikraft: Fast, Specialized Unikernels the Easy Way",
///               EuroSys'21, doi 10.1145/3447786.3456248; unikraft.org/docs/concepts/performance;
///               github.com/unikraft/eurosys21-artifacts
/// - [CRUN]      github.com/containers/crun, README
/// - [DOCKER-SECCOMP] docs.docker.com/engine/security/seccomp
/// - [ALPINE]    alpinelinux.org, About
/// - [LWN-FC]    LWN.net, "The Firecracker virtual machine monitor" (January 2019)
/// - [AWS-T3]    aws.amazon.com/ec2/instance-types/t3 (t3.micro)
/// - [GRUB]      GNU GRUB manual, "Simple configuration handling" (GRUB_TIMEOUT)
/// - [DESIGN]    ../shared/design.md (§4 published figures, §6 measured on this machine class)
/// - [SEEDS]     ../shared/seeds (the study notes boxlab teaches from)
public enum PublishedFigures {
    // MARK: - Process (the baseline)

    public static let processSpawn = Parameter(
        "process.fork-exec", 1, .milliseconds,
        figure: "fork/exec of a process: 1 ms (against 2.3 ms for a LightVM unikernel VM boot)",
        source: "[LIGHTVM] SOSP'17; design.md §4")

    // MARK: - Container (references only: the container column is always measured)

    public static let containerMonitorRSS = Parameter(
        "boxlab.monitor.rss", 0.3, .mebibytes, basis: .measured,
        figure: "boxlab's per-container monitor (the static boxlab-shim) stays at ≈0.3 MiB RSS",
        source: "boxlab README (How it is built); Tests/BoxlabCLITests/OverheadTests.swift")
    public static let crunRun = Parameter(
        "crun.run", 16.9, .milliseconds, basis: .derived,
        figure: "100 × /bin/true: crun 1.69 s → 16.9 ms per container run",
        source: "[CRUN] README; design.md §4")
    public static let runcRun = Parameter(
        "runc.run", 33.4, .milliseconds, basis: .derived,
        figure: "100 × /bin/true: runc 3.34 s → 33.4 ms per container run",
        source: "[CRUN] README; design.md §4")

    // MARK: - The workloads' own program

    public static let busyboxIdleRSS = Parameter(
        "busybox.idle.rss", 1.4, .mebibytes, basis: .measured,
        figure: "an idle busybox `sleep` is ~1.4 MiB RSS (52 kB private), with or without crun/runc",
        source: "design.md §6 (measured on this machine class)")
    public static let busyboxImage = Parameter(
        "busybox.image", 2.0, .mebibytes, basis: .measured,
        figure: "the embedded busybox image: 1 read-only layer, 2.0 MiB",
        source: "boxlab README (A first session)")

    // MARK: - Firecracker (the microVM, and the VMM the unikernel runs on)

    public static let firecrackerStart = Parameter(
        "firecracker.vmm.start", 12, .milliseconds, range: 6...60,
        figure: "the VMM starts within 8 CPU ms; wall-clock 6 ms to 60 ms, typically 12 ms",
        source: "[FC-SPEC] Stability")
    public static let firecrackerOverhead = Parameter(
        "firecracker.vmm.overhead", 5, .mebibytes,
        figure: "VMM threads' memory overhead ≤ 5 MiB for a microVM with 1 vCPU and 128 MiB",
        source: "[FC-SPEC] Overhead")
    public static let firecrackerBootToInit = Parameter(
        "firecracker.boot.to-init", 125, .milliseconds,
        figure: "≤ 125 ms from the InstanceStart API call to the guest's /sbin/init (minimal kernel and rootfs)",
        source: "[FC-SPEC] Overhead")
    public static let firecrackerGuestRAM = Parameter(
        "firecracker.guest.ram", 128, .mebibytes,
        figure: "the reference microVM: 1 vCPU and 128 MiB of RAM",
        source: "[FC-SPEC] Overhead; [FC-DESIGN] Features")
    public static let firecrackerLaunchRate = Parameter(
        "firecracker.launch.rate", 5, .perCorePerSecond,
        figure: "a steady mutation rate of 5 microVMs per host core per second",
        source: "[FC-DESIGN] Features")
    public static let firecrackerDevices = Parameter(
        "firecracker.devices", 5, .count,
        figure: "only 5 emulated devices: virtio-net, virtio-block, virtio-vsock, serial console, a minimal keyboard controller",
        source: "[FC-SITE]; [FC-DESIGN] Machine Model")
    public static let firecrackerLines = Parameter(
        "firecracker.code.lines", 50_000, .count,
        figure: "Firecracker is around 50 thousand lines of Rust",
        source: "[LWN-FC]")
    public static let alpineOnFirecracker = Parameter(
        "alpine.firecracker.boot", 330, .milliseconds,
        figure: "Alpine Linux on Firecracker boots in ~330 ms (VMM included)",
        source: "[UNIKRAFT] EuroSys'21 boot-time comparison; design.md §4")
    /// Derived: what is left of Alpine-on-Firecracker's total once the VMM
    /// start and the kernel-to-init time are taken out (330 − 12 − 125 ms).
    public static let microVMInit = Parameter(
        "microvm.guest.init",
        alpineOnFirecracker.value - firecrackerStart.value - firecrackerBootToInit.value, .milliseconds,
        basis: .derived,
        figure: "Alpine on Firecracker ~330 ms in total, minus VMM start (12 ms) and InstanceStart → /sbin/init (125 ms)",
        source: "[UNIKRAFT]; [FC-SPEC]")
    public static let microVMGuestKernelMemory = Parameter(
        "microvm.guest.kernel.mem", 20, .mebibytes, basis: .assumption,
        figure: "assumption: a minimal Linux guest kernel (no PCI/ACPI, virtio only) resident after boot; "
            + "check any guest with `dmesg | grep Memory:`",
        source: "assumption anchored on [FC-SPEC] (minimal kernel in a 128 MiB guest)")
    public static let microVMGuestUserspaceMemory = Parameter(
        "microvm.guest.userspace.mem", 6, .mebibytes, basis: .assumption,
        figure: "assumption: a minimal init and busybox userland (Alpine-sized)",
        source: "assumption anchored on [ALPINE] (a container requires no more than 8 MB)")
    public static let microVMKernelImage = Parameter(
        "microvm.kernel.image", 20, .mebibytes, basis: .assumption,
        figure: "assumption: an uncompressed vmlinux of a minimal config (Firecracker loads the kernel directly)",
        source: "assumption anchored on [FC-DESIGN] (Linux guests, direct kernel boot)")
    public static let alpineContainerImage = Parameter(
        "alpine.container.image", 8, .megabytes,
        figure: "a container requires no more than 8 MB",
        source: "[ALPINE]")

    // MARK: - Full VM (QEMU + firmware + bootloader + distribution)

    public static let qemuStart = Parameter(
        "qemu.start", 150, .milliseconds,
        figure: "most of QEMU's startup time is spent in the dynamic linker: 150 ms less with a stripped-down build",
        source: "[QBOOT] README; design.md §4")
    public static let biosBoot = Parameter(
        "bios.boot", 150, .milliseconds,
        figure: "in the BIOS: qboot saves another 150 ms",
        source: "[QBOOT] README")
    public static let bootloaderWait = Parameter(
        "bootloader.wait", 1000, .milliseconds, basis: .assumption,
        figure: "assumption: a 1 s boot menu (GRUB's default GRUB_TIMEOUT is 5 s; cloud images shorten it)",
        source: "assumption anchored on [GRUB] GRUB_TIMEOUT")
    public static let vmKernelBoot = Parameter(
        "vm.guest.kernel.boot", 1200, .milliseconds, basis: .assumption,
        figure: "assumption: a distribution kernel and initramfs probing an emulated PC (PCI, ACPI, disks)",
        source: "assumption anchored on design.md §4 (full distro guest boot is seconds)")
    public static let vmInit = Parameter(
        "vm.guest.init", 2000, .milliseconds, basis: .assumption,
        figure: "assumption: the distribution's init (systemd) bringing up its services",
        source: "assumption anchored on design.md §4 (full distro guest boot is seconds)")
    public static let qemuOverhead = Parameter(
        "qemu.overhead", 20, .mebibytes, basis: .assumption,
        figure: "assumption: QEMU's own memory beside the guest RAM for a small VM (Firecracker keeps it ≤ 5 MiB)",
        source: "assumption anchored on [FC-SPEC] Overhead")
    public static let vmGuestRAM = Parameter(
        "vm.guest.ram", 1024, .mebibytes,
        figure: "a small general-purpose cloud VM: t3.micro has 1 GiB of memory",
        source: "[AWS-T3]")
    public static let vmGuestKernelMemory = Parameter(
        "vm.guest.kernel.mem", 60, .mebibytes, basis: .assumption,
        figure: "assumption: a distribution kernel with its modules, slab and page tables",
        source: "assumption; check any guest with `dmesg | grep Memory:` and /proc/meminfo")
    public static let vmGuestUserspaceMemory = Parameter(
        "vm.guest.userspace.mem", 100, .mebibytes, basis: .assumption,
        figure: "assumption: init (systemd), journald, udevd, sshd and the other services of a distribution",
        source: "assumption; check any guest with `ps -eo rss,comm`")
    public static let distroDiskImage = Parameter(
        "alpine.disk.image", 130, .megabytes,
        figure: "a minimal installation to disk requires around 130 MB of storage (the smallest general-purpose distribution)",
        source: "[ALPINE]")
    public static let qemuLines = Parameter(
        "qemu.code.lines", 1_000_000, .count,
        figure: "the QEMU code base is well over one million lines of C",
        source: "[LWN-FC]")

    // MARK: - Unikernel (Unikraft on a Firecracker-class VMM)

    public static let unikernelBoot = Parameter(
        "unikraft.guest.boot", 1, .milliseconds, range: 0.05...1.0,
        figure: "guests boot in around 1 ms on top of the VMM time (tens to hundreds of µs)",
        source: "[UNIKRAFT] abstract; design.md §4")
    public static let unikernelTotalBoot = Parameter(
        "unikraft.total.boot", 40, .milliseconds, range: 3...40,
        figure: "total boot time 3 ms – 40 ms, VMM included",
        source: "[UNIKRAFT] abstract")
    public static let unikernelImage = Parameter(
        "unikraft.image", 1, .megabytes,
        figure: "images for NGINX, SQLite and Redis are around 1 MB (< 2 MB)",
        source: "[UNIKRAFT] abstract; unikraft.org/docs/concepts/performance")
    public static let unikernelMinimumMemory = Parameter(
        "unikraft.guest.min-mem", 2, .megabytes, range: 2...6,
        figure: "2–6 MB of memory suffice for Unikraft guests (less than 10 MB of RAM to run)",
        source: "[UNIKRAFT] Fig. 11 (eurosys21-artifacts fig_11_compare-min-mem)")

    // MARK: - Interfaces to the host

    public static let linuxSyscalls = Parameter(
        "linux.syscalls", 300, .count,
        figure: "Docker's default seccomp profile disables around 44 system calls out of 300+",
        source: "[DOCKER-SECCOMP]")
    public static let dockerSeccompBlocked = Parameter(
        "docker.seccomp.blocked", 44, .count,
        figure: "the default profile disables around 44 system calls (boxlab applies no seccomp filter)",
        source: "[DOCKER-SECCOMP]")

    /// Every parameter, in the order `sim sources` lists them.
    public static let all: [Parameter] = [
        processSpawn, containerMonitorRSS, crunRun, runcRun, busyboxIdleRSS, busyboxImage,
        firecrackerStart, firecrackerOverhead, firecrackerBootToInit, firecrackerGuestRAM,
        firecrackerLaunchRate, firecrackerDevices, firecrackerLines, alpineOnFirecracker, microVMInit,
        microVMGuestKernelMemory, microVMGuestUserspaceMemory, microVMKernelImage, alpineContainerImage,
        qemuStart, biosBoot, bootloaderWait, vmKernelBoot, vmInit, qemuOverhead, vmGuestRAM,
        vmGuestKernelMemory, vmGuestUserspaceMemory, distroDiskImage, qemuLines,
        unikernelBoot, unikernelTotalBoot, unikernelImage, unikernelMinimumMemory,
        linuxSyscalls, dockerSeccompBlocked,
    ]

    // MARK: - References

    /// The tags the sources above use, in full (`sim sources` prints them).
    public static let references: [(tag: String, citation: String)] = [
        ("[FC-SPEC]", "firecracker-microvm/firecracker, SPECIFICATION.md"),
        ("[FC-DESIGN]", "firecracker-microvm/firecracker, docs/design.md"),
        ("[FC-SITE]", "firecracker-microvm.github.io"),
        ("[QBOOT]", "github.com/bonzini/qboot, README"),
        ("[LIGHTVM]", "Manco et al., My VM is Lighter (and Safer) than your Container, SOSP'17, "
            + "sysml.neclab.eu/projects/lightvm, doi 10.1145/3132747.3132763"),
        ("[UNIKRAFT]", "Kuenzer et al., Unikraft: Fast, Specialized Unikernels the Easy Way, EuroSys'21, "
            + "doi 10.1145/3447786.3456248; unikraft.org/docs/concepts/performance; github.com/unikraft/eurosys21-artifacts"),
        ("[CRUN]", "github.com/containers/crun, README"),
        ("[DOCKER-SECCOMP]", "docs.docker.com/engine/security/seccomp"),
        ("[ALPINE]", "alpinelinux.org, About"),
        ("[LWN-FC]", "LWN.net, The Firecracker virtual machine monitor (January 2019)"),
        ("[AWS-T3]", "aws.amazon.com/ec2/instance-types/t3 (t3.micro)"),
        ("[GRUB]", "GNU GRUB manual, Simple configuration handling (GRUB_TIMEOUT)"),
        ("[SEEDS]", "../shared/seeds: the Korean study notes boxlab teaches from"),
    ]

    // MARK: - Qualitative facts

    public static let facts: [Fact] = [
        Fact("container.shares-kernel",
             "containers share the host machine's Linux kernel; a VM's hypervisor emulates hardware and the VM boots its own kernel",
             source: "[SEEDS] 000, 002 (커널 공유 vs 가상화)"),
        Fact("container.linux-only",
             "a container can run only Linux software for the host's kernel (리눅스용 소프트웨어밖에 지원하지 않는다)",
             source: "[SEEDS] 000, 001"),
        Fact("host.failure",
             "if the host has a problem, every container on it is affected (호스트 서버에 문제가 생기면 모든 컨테이너에 영향)",
             source: "[SEEDS] 000, 001"),
        Fact("vm.any-os",
             "a VM is the equivalent of a physical server: any operating system can be installed in it",
             source: "[SEEDS] 000 (가상화 기술)"),
        Fact("firecracker.linux-guests",
             "Firecracker runs on Linux hosts and with Linux guest OSs",
             source: "[FC-DESIGN] Host Integration"),
        Fact("firecracker.direct-boot",
             "Firecracker has no BIOS or UEFI firmware: it loads the guest kernel itself (kernel_image_path)",
             source: "[FC-DESIGN]; firecracker docs/getting-started.md"),
        Fact("firecracker.oversubscribe",
             "Firecracker microVMs can oversubscribe host CPU and memory",
             source: "[FC-DESIGN] Features"),
        Fact("unikernel.single-address-space",
             "a unikernel is the application compiled with a library OS into a single-address-space machine image, "
                 + "keeping only the functions the application needs",
             source: "[SEEDS] 002 (유니커널); [UNIKRAFT]"),
        Fact("unikernel.benefits",
             "unikernels boot in under a second, use little memory and expose a small attack surface",
             source: "[SEEDS] 002 (Benefits of Unikernel)"),
    ]
}
