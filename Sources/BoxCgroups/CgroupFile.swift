#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Reading and writing cgroup control files. Everything the managers do to
/// the kernel goes through here, so every failure is a `SysError` with stage
/// "cgroup" naming the exact file.
public enum CgroupFile {
    /// Writes `value` to a control file in one write(2), opened
    /// O_WRONLY|O_CREAT|O_TRUNC. On cgroupfs O_CREAT and O_TRUNC change
    /// nothing (the kernel made the file, and a control file has no length to
    /// cut); on a plain directory laid out like cgroupfs (the tests' scratch
    /// tree) they make the write land, so the same code is tested on both.
    public static func write(_ path: String, _ value: String) throws {
        try FS.write(path, Array(value.utf8), mode: 0o644, flags: O_WRONLY | O_CREAT | O_TRUNC, stage: "cgroup")
    }

    /// A control file's content without the trailing newline, or nil if it
    /// cannot be read (the group or the controller is not there).
    public static func read(_ path: String) -> String? {
        FS.readTextIfPresent(path).map { $0.trimmingCharacters(in: "\n ") }
    }

    /// A file holding one integer (pids.current, memory.current, …).
    public static func readInt64(_ path: String) -> Int64? {
        read(path).flatMap { Int64($0) }
    }

    /// The value of `key` in a flat-keyed file of "key value" lines
    /// (memory.events, memory.oom_control, cgroup.events).
    public static func keyedValue(_ path: String, _ key: String) -> String? {
        guard let text = read(path) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1)
            if fields.count == 2 && fields[0] == key { return String(fields[1]) }
        }
        return nil
    }

    /// The pids listed in a cgroup.procs file, in file order.
    public static func pids(_ path: String) -> [pid_t] {
        guard let text = read(path) else { return [] }
        return text.split(whereSeparator: { $0 == "\n" || $0 == " " }).compactMap { pid_t($0) }
    }

    /// True when `path` is on a real cgroup filesystem (v1 or v2). Only then
    /// may its cgroup.procs be trusted enough to send signals to the pids it
    /// lists: in a plain directory that file is text anyone could have
    /// written. Decided by statfs(2)'s filesystem magic.
    public static func isCgroupFilesystem(_ path: String) -> Bool {
        guard let type = FS.fileSystemType(path) else { return false }
        return type == 0x27e0eb || type == 0x63677270  // CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC
    }

    /// mkdir -p of a group's directory. Another container's teardown may
    /// remove the shared parent (when it looks empty) between our mkdir of
    /// the parent and of the group: ENOENT then just means "make it again".
    static func makeGroupDirectory(_ path: String) throws {
        var attempt = 0
        while true {
            do {
                try FS.makeDirectories(path, stage: "cgroup")
                return
            } catch let error as SysError where error.errno == ENOENT && attempt < 10 {
                attempt += 1
            }
        }
    }

    /// Polls `condition` with short, growing sleeps (1 ms up to 20 ms) until
    /// it holds or `timeoutMs` passes. The kernel finishes freezing and
    /// killing asynchronously, and there is no portable event to wait on for
    /// v1, so a bounded poll is the honest way to wait.
    static func waitUntil(timeoutMs: Int64, _ condition: () -> Bool) -> Bool {
        let deadline = Clock.monotonicMs() + timeoutMs
        var pauseMicros: UInt32 = 1000
        while true {
            if condition() { return true }
            if Clock.monotonicMs() >= deadline { return false }
            usleep(pauseMicros)
            pauseMicros = min(pauseMicros * 2, 20_000)
        }
    }
}
