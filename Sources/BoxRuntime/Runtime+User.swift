import BoxImages

extension Runtime {
    /// The container's user (see ContainerUser), read from its own files:
    /// its read-write layer over the image's layers, so a user that an
    /// earlier run added (adduser) counts at the next start, as in docker,
    /// which resolves the user at every start.
    func resolveUser(_ spec: String, config: ContainerConfig, paths: ContainerPaths) throws(RuntimeError) -> ContainerUser {
        let files = LayerStack(topFirst: [paths.upper] + config.layerPaths.reversed())
        switch ContainerUser.resolve(spec, passwd: files.readText("/etc/passwd"), group: files.readText("/etc/group")) {
        case let .success(user): return user
        case let .failure(missing): throw .noSuchUser(missing, image: config.imageReference)
        }
    }

    /// The environment docker gives a container's process: PATH, HOSTNAME
    /// and, with -t, TERM=xterm (moby's CreateDaemonEnvironment), each
    /// replaced by the container's own variable of that name, the others
    /// appended in order; then HOME from the user's passwd entry unless
    /// already set (runc's setupUser).
    static func processEnvironment(_ env: [String], hostname: String, tty: Bool, home: String) -> [String] {
        var result = [SecurityDefaults.defaultPath, "HOSTNAME=" + hostname] + (tty ? ["TERM=xterm"] : [])
        func key(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0] }
        for entry in env {
            if let index = result.firstIndex(where: { key($0) == key(entry) }) { result[index] = entry } else { result.append(entry) }
        }
        if !result.contains(where: { key($0) == "HOME" }) { result.append("HOME=" + home) }
        return result
    }

    /// The shim spec's user: uid, gid and the supplementary groups.
    static func addUser(_ user: ContainerUser, to spec: inout ShimSpec) {
        spec.add("uid", String(user.uid))
        spec.add("gid", String(user.gid))
        spec.add("group", all: user.additionalGids.map(String.init))
    }
}
