#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import CBoxShim

/// One conversation with boxlab-shim over its two pipes (report fd 3,
/// control fd 4), following the table in boxshim.h.
public final class ShimSession {
    public let pid: pid_t
    private let reportFD: Int32
    private var controlFD: Int32

    /// Spawns `boxlab-shim MODE SPECFILE` attached to `stdio` (child fd → our fd).
    public init(shim: String, mode: String, specPath: String, stdio: [Int32: Int32]) throws {
        let report = try Processes.pipe(stage: "shim")
        let control = try Processes.pipe(stage: "shim")
        var fds = stdio
        fds[3] = report.write
        fds[4] = control.read
        defer {
            close(report.write)
            close(control.read)
        }
        do {
            pid = try Processes.spawn(shim, arguments: ["boxlab-shim", mode, specPath], environment: [],
                                      fds: fds, stage: "shim")
        } catch {
            close(report.read)
            close(control.write)
            throw error
        }
        reportFD = report.read
        controlFD = control.write
    }

    deinit {
        close(reportFD)
        if controlFD >= 0 { close(controlFD) }
    }

    /// The next record, or nil once every writer has closed fd 3.
    public func next() throws -> bs_record? {
        var record = bs_record()
        let size = MemoryLayout<bs_record>.size
        var got = 0
        while got < size {
            let n = withUnsafeMutableBytes(of: &record) { buf in
                read(reportFD, buf.baseAddress! + got, size - got)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw SysError.current("shim", "read") }
            if n == 0 { return nil }
            got += n
        }
        return record
    }

    /// What waiting for the next record can end with.
    public enum Wait {
        case record(bs_record)
        case interrupted
        case timedOut
        case ended
    }

    /// Waits for a record, a byte on `interruptFD` (Ctrl-C), or the timeout
    /// (ms, -1 for none).
    public func next(interruptFD: Int32, timeoutMs: Int32) throws -> Wait {
        var fds = [pollfd(fd: reportFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: interruptFD, events: Int16(POLLIN), revents: 0)]
        let rc = poll(&fds, 2, timeoutMs)
        if rc < 0 && errno == EINTR { return .interrupted }
        if rc < 0 { throw SysError.current("shim", "poll") }
        if rc == 0 { return .timedOut }
        if fds[1].revents != 0 { return .interrupted }
        return try next().map(Wait.record) ?? .ended
    }

    /// Sends one control byte; a shim already gone is not an error here (its
    /// records say what happened).
    public func send(_ command: Int32) {
        guard controlFD >= 0 else { return }
        var byte = UInt8(truncatingIfNeeded: command)
        _ = write(controlFD, &byte, 1)
    }

    /// Closes our end of the control pipe (the shim reads EOF = abort/gone).
    public func closeControl() {
        if controlFD >= 0 { close(controlFD) }
        controlFD = -1
    }

    /// Reaps the spawned shim process (in a detached run, the short-lived
    /// parent that forked the monitor) and returns its wait status.
    public func reap() throws -> Int32 {
        try Processes.wait(pid, stage: "shim")
    }
}

/// Finds the boxlab-shim binary: $BOXLAB_SHIM, else beside the running boxlab.
public enum ShimLocator {
    public static func path(environment: [String: String]) throws(RuntimeError) -> String {
        if let explicit = environment["BOXLAB_SHIM"], !explicit.isEmpty { return explicit }
        if let exe = try? FS.readLink("/proc/self/exe") {
            let candidate = Path.parent(exe) + "/boxlab-shim"
            if FS.exists(candidate) { return candidate }
        }
        throw .shim(stage: "spawn", step: "locate", errno: 0,
                    detail: "boxlab-shim not found beside boxlab (run scripts/build, or set BOXLAB_SHIM)")
    }

    /// The boxlab binary itself (for the monitor's reap command).
    public static func selfPath() -> String {
        (try? FS.readLink("/proc/self/exe")) ?? "/proc/self/exe"
    }
}

/// Human names for the shim's stage and step numbers.
enum ShimNames {
    static func stage(_ value: Int32) -> String {
        switch UInt32(bitPattern: value) {
        case BS_STAGE_SPEC.rawValue: return "spec"
        case BS_STAGE_CLONED.rawValue: return "clone"
        case BS_STAGE_CGROUPNS.rawValue: return "cgroupns"
        case BS_STAGE_ROOTFS.rawValue: return "rootfs"
        case BS_STAGE_PIVOT.rawValue: return "pivot"
        case BS_STAGE_READY.rawValue: return "ready"
        case BS_STAGE_EXEC.rawValue: return "exec"
        case BS_STAGE_IO.rawValue: return "io"
        case BS_STAGE_SETNS.rawValue: return "setns"
        default: return "stage \(value)"
        }
    }

    static func step(_ value: Int32) -> String {
        let names: [UInt32: String] = [
            BS_STEP_MOUNT_PRIVATE.rawValue: "mount / private", BS_STEP_MOUNT_OVERLAY.rawValue: "mount overlay",
            BS_STEP_MOUNT_PROC.rawValue: "mount /proc", BS_STEP_MOUNT_DEV.rawValue: "mount /dev",
            BS_STEP_MOUNT_SYS.rawValue: "mount /sys", BS_STEP_MOUNT_BIND.rawValue: "bind mount",
            BS_STEP_PIVOT_ROOT.rawValue: "pivot_root", BS_STEP_UMOUNT_OLD.rawValue: "umount old root",
            BS_STEP_MASK.rawValue: "mask paths", BS_STEP_HOSTNAME.rawValue: "sethostname",
            BS_STEP_CAPS.rawValue: "capabilities", BS_STEP_NNP.rawValue: "no_new_privs",
            BS_STEP_CHDIR.rawValue: "chdir", BS_STEP_EXEC_NOT_FOUND.rawValue: "execve",
            BS_STEP_EXEC_NOT_EXEC.rawValue: "execve", BS_STEP_PTY.rawValue: "pty",
            BS_STEP_SETNS.rawValue: "setns", BS_STEP_CLONE.rawValue: "clone", BS_STEP_SPEC.rawValue: "spec",
            BS_STEP_USER.rawValue: "set user",
        ]
        return names[UInt32(bitPattern: value)] ?? "step \(value)"
    }
}
