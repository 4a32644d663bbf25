/// One cgroup or cgroup2 line of /proc/self/mountinfo. Detection reads the
/// mount table instead of guessing paths because distributions differ:
/// "cpu" may be its own hierarchy or co-mounted as "cpu,cpuacct" (with
/// /sys/fs/cgroup/cpu a symlink), and inside a container the tree may be
/// mounted elsewhere. For v1 the super options list the controllers a
/// hierarchy carries ("rw,cpu,cpuacct").
public struct CgroupMount: Sendable, Equatable {
    public var mountPoint: String
    /// "cgroup" (v1) or "cgroup2".
    public var fsType: String
    /// v1: the controllers this hierarchy carries; empty for cgroup2 and for
    /// named hierarchies such as name=systemd.
    public var controllers: [String]

    public init(mountPoint: String, fsType: String, controllers: [String]) {
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.controllers = controllers
    }

    /// The cgroup mounts in a mountinfo text, in table order (later lines
    /// are mounted over earlier ones at the same place).
    ///
    /// Line format (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS…] - FSTYPE SOURCE SUPEROPTS`.
    public static func parse(mountInfo text: String) -> [CgroupMount] {
        var mounts: [CgroupMount] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 5, let dash = fields.firstIndex(of: "-"), dash >= 6,
                  fields.count > dash + 1 else { continue }
            let fsType = String(fields[dash + 1])
            guard fsType == "cgroup" || fsType == "cgroup2" else { continue }
            let superOptions = fields.count > dash + 3 ? fields[dash + 3] : ""
            let options = superOptions.split(separator: ",").map(String.init)
            let controllers = fsType == "cgroup"
                ? options.filter { !$0.contains("=") && !nonControllerOptions.contains($0) }
                : []
            mounts.append(CgroupMount(mountPoint: unescape(String(fields[4])), fsType: fsType,
                                      controllers: controllers))
        }
        return mounts
    }

    /// Super options of a v1 cgroup mount that are not controller names.
    static let nonControllerOptions: Set<String> = [
        "rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods", "none",
    ]

    /// mountinfo writes space, tab, newline and backslash as \ooo (octal).
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        let raw = Array(field.utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 3 < raw.count,
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
}
