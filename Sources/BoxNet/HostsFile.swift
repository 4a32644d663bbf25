#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// The /etc/hosts of containers on the bridge: how they find each other by
/// name (docker's default bridge has no names; its user-defined networks
/// use an embedded DNS server — a file is what fits a lab without a daemon).
///
/// Each container's file is ROOT/containers/ID/hosts, bind-mounted onto its
/// /etc/hosts. A bind mount of a file pins the *inode*, not the path: the
/// usual atomic write (temp file + rename) would give the path a new inode
/// and the container would keep reading the old one forever. So the file
/// is rewritten in place: one pwrite() of the whole new text at offset 0,
/// then ftruncate() to its length. It is never truncated first, so a
/// resolver reading concurrently never sees an empty file; the only window
/// is between the two calls when the list shrank, where a reader may see
/// the new lines followed by the old tail. Every rewrite happens under the
/// network lock, so writers never interleave.
public enum HostsFile {
    public static let header = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"

    /// The whole file for a container on `bridge`: localhost, then every
    /// running container on the bridge (itself included), by address.
    public static func render(bridge: String, endpoints: [Endpoint]) -> String {
        var text = header + "# containers on \(bridge), kept up to date by boxlab as they start and stop\n"
        for endpoint in endpoints.sorted(by: { $0.address < $1.address }) {
            var names = [endpoint.name]
            if !endpoint.hostname.isEmpty && endpoint.hostname != endpoint.name { names.append(endpoint.hostname) }
            text += "\(endpoint.address)\t\(names.joined(separator: " "))\n"
        }
        return text
    }

    /// Rewrites `path` in place (same inode). A missing file (a container
    /// being removed) is skipped: returns false.
    @discardableResult
    public static func rewriteInPlace(_ path: String, _ text: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return false }
            throw SysError.current("net", "open", path)
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { raw in pwrite(fd, raw.baseAddress, raw.count, 0) }
        if written != bytes.count { throw SysError.current("net", "pwrite", path) }
        if ftruncate(fd, off_t(bytes.count)) != 0 { throw SysError.current("net", "ftruncate", path) }
        return true
    }
}
