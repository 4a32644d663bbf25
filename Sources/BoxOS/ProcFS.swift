#if canImport(Glibc)
import Glibc
#endif

/// Readers of /proc: the kernel's own evidence that narration shows.
public enum ProcFS {
    /// The fields of /proc/PID/stat boxlab needs.
    public struct Stat: Sendable, Equatable {
        public var state: Character
        public var parent: pid_t
        public var startTime: UInt64  // clock ticks after boot (field 22)
    }

    public static func stat(_ pid: pid_t) -> Stat? {
        guard let text = FS.readTextIfPresent("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "comm)" start at field 3 (state).
        let rest = text[text.index(after: close)...].split(separator: " ")
        guard rest.count > 19, let state = rest[0].first,
              let parent = pid_t(rest[1]), let start = UInt64(rest[19]) else { return nil }
        return Stat(state: state, parent: parent, startTime: start)
    }

    /// The six namespaces a container gets, in the order narration lists them.
    public static let namespaceKinds = ["pid", "mnt", "uts", "ipc", "net", "cgroup"]

    /// The inode of /proc/PID/ns/KIND, e.g. 4026531836 (what `readlink` shows as pid:[4026531836]).
    public static func namespaceInode(_ pid: pid_t, _ kind: String) -> UInt64? {
        guard let link = try? FS.readLink("/proc/\(pid)/ns/\(kind)"),
              let open = link.firstIndex(of: "["), let close = link.lastIndex(of: "]") else { return nil }
        return UInt64(link[link.index(after: open)..<close])
    }

    /// Inodes of every namespace kind for `pid` ("self" is allowed as 0).
    public static func namespaceInodes(_ pid: pid_t) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for kind in namespaceKinds {
            result[kind] = namespaceInode(pid == 0 ? getpid() : pid, kind)
        }
        return result
    }

    /// One line of /proc/PID/mountinfo.
    public struct MountInfo: Sendable, Equatable {
        public var mountPoint: String
        public var fsType: String
        public var source: String
        public var options: String       // per-mount options (ro, nosuid, …)
        public var superOptions: String  // filesystem options (lowerdir=…, upperdir=…)
    }

    public static func mountInfo(_ pid: pid_t) -> [MountInfo] {
        FS.readTextIfPresent("/proc/\(pid)/mountinfo").map(parseMountInfo) ?? []
    }

    /// Parses a mountinfo text (proc(5): `ID PARENT MAJ:MIN ROOT MOUNTPOINT
    /// OPTS [TAGS…] - FSTYPE SOURCE SUPEROPTS`), in table order.
    public static func parseMountInfo(_ text: String) -> [MountInfo] {
        var result: [MountInfo] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 5, let dash = fields.firstIndex(of: "-"), dash >= 6, fields.count > dash + 1 else { continue }
            result.append(MountInfo(
                mountPoint: unescape(String(fields[4])), fsType: String(fields[dash + 1]),
                source: fields.count > dash + 2 ? String(fields[dash + 2]) : "", options: String(fields[5]),
                superOptions: fields.count > dash + 3 ? String(fields[dash + 3]) : ""))
        }
        return result
    }

    /// mountinfo escapes space, tab, newline and backslash as \ooo.
    public static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 4 <= raw.count,
               let value = UInt8(String(decoding: raw[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A field of /proc/PID/status ("State", "CapEff", "VmRSS", …).
    public static func statusField(_ pid: pid_t, _ name: String) -> String? {
        guard let text = FS.readTextIfPresent("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).trimmingCharacters(in: " \t")
        }
        return nil
    }

    /// The pids of the children of `pid` in every thread.
    public static func children(_ pid: pid_t) -> [pid_t] {
        guard let text = FS.readTextIfPresent("/proc/\(pid)/task/\(pid)/children") else { return [] }
        return text.split(separator: " ").compactMap { pid_t($0) }
    }

    /// The kernel release (uname -r): shared by every container on the host.
    public static func kernelRelease() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafePointer(to: names.release) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }
}

extension Substring {
    /// Trims any of `characters` from both ends.
    public func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension String {
    public func trimmingCharacters(in characters: String) -> String {
        self[...].trimmingCharacters(in: characters)
    }
}
