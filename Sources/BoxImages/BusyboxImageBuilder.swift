import BoxOS

/// The image boxlab ships without a registry: docker.io/library/busybox:latest
/// built from the host's static busybox. One layer holds a minimal root (the
/// directories a shell expects, /etc files, one symlink per applet); owner
/// root and every mtime set to the binary's, so the same binary always
/// yields the same layer digest and the same image id.
struct BusyboxImageBuilder {
    static let reference = "docker.io/library/busybox:latest"
    static let path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    let host: HostBusybox

    /// (directory, mode) of the root skeleton.
    static let directories: [(String, UInt32)] = [
        ("bin", 0o755), ("dev", 0o755), ("etc", 0o755), ("home", 0o755), ("proc", 0o755), ("root", 0o700),
        ("sbin", 0o755), ("sys", 0o755), ("tmp", 0o1777), ("usr", 0o755), ("usr/bin", 0o755),
        ("usr/sbin", 0o755), ("var", 0o755), ("var/tmp", 0o1777),
    ]

    /// Small text files every image is expected to have.
    static let etcFiles: [(String, String)] = [
        ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
        ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        ("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"),
        ("etc/resolv.conf", "# boxlab: no network DNS is configured in this image\n"),
        ("etc/hostname", "busybox\n"),
    ]

    /// Every entry of the layer, sorted by path (parents before children), with contents.
    func layerEntries() -> [(TarEntry, [UInt8])] {
        let time = host.mtime
        var entries: [String: (TarEntry, [UInt8])] = [:]
        for (path, mode) in Self.directories {
            entries[path] = (.directory(path, mode: mode, mtime: time), [])
        }
        for applet in host.applets where applet != "bin/busybox" {
            var parent = Path.parent(applet)
            while parent != "." && parent != "/" && entries[parent] == nil {
                entries[parent] = (.directory(parent, mtime: time), [])
                parent = Path.parent(parent)
            }
            entries[applet] = (.symlink(applet, to: "/bin/busybox", mtime: time), [])
        }
        entries["bin/busybox"] = (.file("bin/busybox", size: host.binary.count, mode: 0o755, mtime: time), host.binary)
        for (path, text) in Self.etcFiles {
            let bytes = Array(text.utf8)
            entries[path] = (.file(path, size: bytes.count, mtime: time), bytes)
        }
        return entries.keys.sorted().map { entries[$0]! }
    }

    /// Writes the layer tar to `fd`; returns its digest (= diff_id) and size.
    func writeLayer(to fd: Int32) throws -> (digest: String, size: Int64) {
        var writer = TarWriter(fd: fd)
        for (entry, contents) in layerEntries() { try writer.add(entry, contents: contents) }
        return try writer.finish()
    }

    /// The image config for a layer with `diffID`.
    func config(diffID: String, architecture: String = Platform.architecture()) -> ImageConfig {
        let created = Clock.rfc3339(host.mtime * 1_000_000_000)
        return ImageConfig(
            env: [Self.path], cmd: ["sh"], labels: ["org.opencontainers.image.title": "busybox"],
            architecture: architecture, os: "linux", created: created, diffIDs: [diffID],
            history: [ImageHistoryEntry(created: created, createdBy: "boxlab: busybox-static \(host.version) from \(host.path)")])
    }
}
