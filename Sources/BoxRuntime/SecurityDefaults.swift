/// Docker's default hardening, as data. The shim applies it mechanically;
/// the policy lives here so narration and tests can name every item.
public enum SecurityDefaults {
    /// Docker's default capability set (moby's oci/caps defaults), by number.
    public static let capabilities: [(name: String, number: Int)] = [
        ("CAP_CHOWN", 0), ("CAP_DAC_OVERRIDE", 1), ("CAP_FOWNER", 3), ("CAP_FSETID", 4),
        ("CAP_KILL", 5), ("CAP_SETGID", 6), ("CAP_SETUID", 7), ("CAP_SETPCAP", 8),
        ("CAP_NET_BIND_SERVICE", 10), ("CAP_NET_RAW", 13), ("CAP_SYS_CHROOT", 18),
        ("CAP_MKNOD", 27), ("CAP_AUDIT_WRITE", 29), ("CAP_SETFCAP", 31),
    ]

    /// The capability mask to keep. Without a devices cgroup (cgroup v2 has
    /// none; it needs an eBPF program) CAP_MKNOD is dropped instead, so a
    /// container cannot create device nodes to reach host devices.
    public static func capabilityMask(allowMknod: Bool) -> UInt64 {
        var mask: UInt64 = 0
        for cap in capabilities where allowMknod || cap.number != 27 { mask |= 1 << UInt64(cap.number) }
        return mask
    }

    /// Paths runc masks by default: directories get an empty read-only tmpfs,
    /// files get /dev/null bound over them.
    public static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
        "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Paths runc makes read-only by default.
    public static let readonlyPaths = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]

    /// The minimal /dev: (path, major, minor, mode). /dev/pts, /dev/ptmx and
    /// /dev/shm are mounted by the shim itself.
    public static let devices: [(path: String, major: Int, minor: Int, mode: Int)] = [
        ("/dev/null", 1, 3, 0o666), ("/dev/zero", 1, 5, 0o666), ("/dev/full", 1, 7, 0o666),
        ("/dev/random", 1, 8, 0o666), ("/dev/urandom", 1, 9, 0o666), ("/dev/tty", 5, 0, 0o666),
    ]

    /// Where `--init` finds boxlab's tiny init inside the container.
    public static let initPath = "/dev/init"

    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}
