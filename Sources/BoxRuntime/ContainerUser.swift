/// Who a container's process runs as: docker's `USER` / `--user`
/// `NAME|UID[:GROUP|GID]`, resolved the way runc's libcontainer/user
/// GetExecUser does it, against the container's own /etc/passwd and
/// /etc/group (never the host's):
/// - the user matches a passwd entry by name or by uid; that entry gives
///   the uid, the primary gid and HOME. A number with no entry is taken as
///   is (gid 0, HOME "/"); a name with no entry is an error;
/// - a group matches a group entry by name or gid (a number with no entry
///   is taken as is; a name with no entry is an error) and replaces the
///   primary gid; without one, every group that lists the user's name is a
///   supplementary group (see setgroups(2));
/// - no user at all is root (uid 0), with root's HOME from passwd.
/// Written by hand: the files are read from image layers, not through NSS,
/// which would read the host's.
public struct ContainerUser: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var additionalGids: [UInt32]
    public var home: String

    public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = [], home: String) {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
        self.home = home
    }

    /// What went wrong, for RuntimeError.noSuchUser.
    public enum Missing: Error, Equatable, Sendable {
        case user(String), group(String)
    }

    /// Resolves `spec` against the text of passwd and group files (nil: the
    /// image has none).
    public static func resolve(_ spec: String, passwd: String?, group: String?) -> Result<ContainerUser, Missing> {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userPart = parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? "0"
        let groupPart = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil

        let users = entries(passwd, fields: 7)
        var user: ContainerUser
        var name: String?
        if let entry = users.first(where: { $0[0] == userPart || $0[2] == userPart }),
           let uid = UInt32(entry[2]), let gid = UInt32(entry[3]) {
            user = ContainerUser(uid: uid, gid: gid, home: entry[5].isEmpty ? "/" : entry[5])
            name = entry[0]
        } else if let uid = id(userPart) {
            user = ContainerUser(uid: uid, gid: 0, home: "/")
        } else {
            return .failure(.user(userPart))
        }

        let groups = entries(group, fields: 4)
        if let groupPart {
            if let entry = groups.first(where: { $0[0] == groupPart || $0[2] == groupPart }), let gid = UInt32(entry[2]) {
                user.gid = gid
            } else if let gid = id(groupPart) {
                user.gid = gid
            } else {
                return .failure(.group(groupPart))
            }
        } else if let name {
            var seen = Set<UInt32>()
            user.additionalGids = groups.compactMap { entry -> UInt32? in
                guard entry[3].split(separator: ",").contains(where: { $0 == name }), let gid = UInt32(entry[2]) else { return nil }
                return seen.insert(gid).inserted ? gid : nil
            }
        }
        return .success(user)
    }

    /// A uid or gid written as a number (runc allows up to 2^31-1).
    static func id(_ text: String) -> UInt32? {
        guard let value = UInt32(text), value <= UInt32(Int32.max) else { return nil }
        return value
    }

    /// The lines of a colon-separated file with at least `fields` fields
    /// (shorter ones padded), comments and blank lines skipped.
    static func entries(_ text: String?, fields: Int) -> [[String]] {
        guard let text else { return [] }
        return text.split(separator: "\n").compactMap { line in
            var trimmed = line
            while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
            while let last = trimmed.last, last == " " || last == "\t" || last == "\r" { trimmed.removeLast() }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            var parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            while parts.count < fields { parts.append("") }
            return parts
        }
    }
}
