#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Emptying and removing groups, shared by both managers. A cgroup directory
/// can only be removed once no process is left in it, so teardown is always
/// kill → wait → rmdir, and it must be idempotent: it also cleans up after a
/// boxlab that crashed half-way.
enum CgroupTeardown {
    /// SIGKILLs every process listed in `procsFiles` until they are all gone
    /// or `timeoutMs` passes; returns whether the group emptied. Killing is
    /// repeated because a process may fork between our read and our kill.
    /// Only directories on a real cgroup filesystem are trusted (see
    /// `CgroupFile.isCgroupFilesystem`), and boxlab never signals itself.
    /// `killFile` is v2's cgroup.kill (kernel 5.14+): one write kills the
    /// whole group atomically, fork races included.
    @discardableResult
    static func killAll(procsFiles: [String], killFile: String? = nil, timeoutMs: Int64) -> Bool {
        let trusted = procsFiles.filter { CgroupFile.isCgroupFilesystem(Path.parent($0)) }
        if trusted.isEmpty { return true }
        if let killFile, FS.exists(killFile), CgroupFile.isCgroupFilesystem(Path.parent(killFile)) {
            try? CgroupFile.write(killFile, "1")
        }
        let me = getpid()
        func remaining() -> [pid_t] {
            var seen = Set<pid_t>()
            for file in trusted { for pid in CgroupFile.pids(file) where pid != me { seen.insert(pid) } }
            return seen.sorted()
        }
        return CgroupFile.waitUntil(timeoutMs: timeoutMs) {
            let pids = remaining()
            for pid in pids { kill(pid, SIGKILL) }
            return pids.isEmpty
        }
    }

    /// rmdir of one group directory. A missing directory is fine. EBUSY
    /// (tasks still exiting) is retried a few times with short sleeps,
    /// calling `whenBusy` (another kill round) in between.
    static func removeGroup(_ directory: String, whenBusy: () -> Void) throws {
        var attempts = 0
        var clearedScratch = false
        while true {
            if rmdir(directory) == 0 { return }
            let error = errno
            if error == ENOENT { return }
            if error == ENOTEMPTY, !clearedScratch, clearScratchDirectory(directory) {
                clearedScratch = true
                continue
            }
            if error != EBUSY || attempts >= 20 {
                throw SysError(stage: "cgroup", call: "rmdir", path: directory, errno: error)
            }
            attempts += 1
            whenBusy()
            usleep(UInt32(min(attempts, 5)) * 10_000)
        }
    }

    /// rmdir of the shared parent ("boxlab") once its last container is gone.
    /// Every failure is ignored: ENOTEMPTY/EBUSY mean other containers still
    /// live there, and the parent is not this container's to insist on.
    static func removeParentIfEmpty(_ directory: String) {
        if rmdir(directory) == 0 { return }
        if errno == ENOTEMPTY, clearScratchDirectory(directory) { _ = rmdir(directory) }
    }

    /// On cgroupfs the control files vanish with the directory; in a plain
    /// directory laid out like cgroupfs they are ordinary files and make
    /// rmdir fail with ENOTEMPTY. Removes them, but only outside a cgroup
    /// filesystem and only when no subdirectory (another group) is inside.
    private static func clearScratchDirectory(_ directory: String) -> Bool {
        if CgroupFile.isCgroupFilesystem(directory) { return false }
        guard let names = try? FS.list(directory, stage: "cgroup") else { return false }
        var files: [String] = []
        for name in names {
            guard let status = try? FS.status(directory + "/" + name) else { continue }
            if status.isDirectory { return false }
            files.append(directory + "/" + name)
        }
        for file in files { try? FS.removeFile(file, stage: "cgroup") }
        return true
    }
}
