import BoxOS
import BoxRuntime

/// Renders runtime events as numbered narration on stderr. Every value shown
/// comes from the event, and every event field was read from the kernel.
/// quiet prints nothing (docker's output only); deep adds the syscalls and
/// files behind each stage. (The shell's i18n catalogue will take the
/// strings over; this renderer is English.)
struct Narrator: Sendable {
    let level: NarrationLevel
    let color: Bool

    func render(_ event: RuntimeEvent) {
        guard level != .quiet else { return }
        for line in lines(event) { Terminal.write(line + "\n", fd: 2) }
    }

    func lines(_ event: RuntimeEvent) -> [String] {
        let deep = level == .deep
        switch event {
        case let .imageResolved(reference, imageID, layers):
            let bytes = layers.reduce(Int64(0)) { $0 + $1.bytes }
            var out = [head("①", "image", "\(reference) → \(layers.count) read-only layer\(layers.count == 1 ? "" : "s") "
                + "(\(short(imageID)), \(Self.size(bytes)))")]
            if deep { out += layers.map { detail("layer \(short($0.diffID)) at \($0.path)") } }
            return out
        case let .containerCreated(id, name, directory):
            return deep ? [detail("container \(id.prefix(12)) \"\(name)\": state in \(directory)")] : []
        case let .cgroupCreated(paths, limits, version):
            // Normal narration names the limits that are set; deep shows every file.
            let set = limits.filter { !Self.isUnlimited($0.value) }
            let summary = set.map { "\(Path.base($0.path))=\($0.value)" }.joined(separator: " ")
            var out = [head("②", "cgroup", "\(version) \(paths.first.map(Self.groupName) ?? "?"): "
                + (summary.isEmpty ? "created, no limits set" : summary))]
            if deep { out += limits.map { detail("\($0.path) = \($0.value)") } }
            return out
        case let .cloned(hostPid, namespaces):
            var out = [head("③", "clone", "PID \(hostPid) on the host is PID 1 inside; new \(namespaces.joined(separator: ", ")) namespaces")]
            if deep { out.append(detail("clone(CLONE_NEWPID|CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET) in boxlab-shim; pid written to cgroup.procs")) }
            return out
        case let .namespacesCreated(_, host, container):
            let differing = container.filter { c in host.first { $0.kind == c.kind }?.inode != c.inode }
            let shown = deep ? container : container.filter { $0.kind == "pid" }
            var out = [head("⑥", "ns", "\(differing.count) of \(container.count) namespaces differ from the host's (from /proc/PID/ns)")]
            for ns in shown {
                let hostInode = host.first { $0.kind == ns.kind }.map { "\($0.inode)" } ?? "?"
                out.append(detail("host \(ns.kind):[\(hostInode)] → container \(ns.kind):[\(ns.inode)]"))
            }
            return out
        case let .rootfsMounted(overlay, others):
            var out: [String] = []
            if let overlay {
                let options = Self.overlayOptions(overlay.options)
                out.append(head("④", "rootfs", "overlay: lower=\(options.lower) upper=\(options.upper) → \(overlay.mountPoint)"))
            } else {
                out.append(head("④", "rootfs", "overlay mounted (not visible in mountinfo)"))
            }
            if deep { out += others.map { detail("\($0.fsType) on \($0.mountPoint) (\($0.options))") } }
            return out
        case let .pivoted(root, hostname):
            var out = [head("⑤", "pivot", "root is now the overlay; old root detached; /proc mounted fresh; hostname \(hostname)")]
            if deep, let root { out.append(detail("container's / = \(root.fsType) (\(root.options.prefix(120)))")) }
            return out
        case let .ready(capEff, capBnd, noNewPrivs):
            var out = [head("⑦", "caps", "CapEff=\(capEff) NoNewPrivs=\(noNewPrivs) (docker's default set)")]
            if deep { out.append(detail("CapBnd=\(capBnd); prctl(PR_CAPBSET_DROP), capset(), prctl(PR_SET_NO_NEW_PRIVS)")) }
            return out
        case let .exec(argv, _, kernelRelease):
            return [head("⑧", "exec", "\(argv.joined(separator: " "))   (kernel shared with the host: \(kernelRelease))")]
        case let .exited(code, signal, oomKilled):
            var text = "PID 1 ended with exit code \(code)"
            if let signal { text += " (signal \(signal))" }
            if oomKilled { text += " — killed by the OOM killer (memory limit)" }
            return [head(" ", "exit", text)]
        case let .teardown(removed):
            return deep ? removed.map { detail("removed \($0)") } : [head(" ", "cleanup", "cgroup and container files removed")]
        }
    }

    private func head(_ number: String, _ stage: String, _ text: String) -> String {
        let label = stage.padding(7)
        return color ? " \(number) \u{1B}[1m\(label)\u{1B}[0m \(text)" : " \(number) \(label) \(text)"
    }

    private func detail(_ text: String) -> String {
        color ? "           \u{1B}[2m\(text)\u{1B}[0m" : "           \(text)"
    }

    private func short(_ digest: String) -> String {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        return "sha256:" + hex.prefix(12) + "…"
    }

    static func groupName(_ path: String) -> String {
        guard let range = path.range(of: "/boxlab/") else { return path }
        return String(path[range.lowerBound...].dropFirst()).prefixID()
    }

    /// "max", -1 and the kernel's page-rounded "no limit" (≥ 2^62).
    static func isUnlimited(_ value: String) -> Bool {
        if value == "max" || value == "-1" { return true }
        if let number = Int64(value), number >= 1 << 62 { return true }
        return false
    }

    static func overlayOptions(_ options: String) -> (lower: String, upper: String) {
        var lower = "?", upper = "?"
        for part in options.split(separator: ",") {
            if part.hasPrefix("lowerdir=") { lower = part.dropFirst(9).split(separator: ":").map { Path.base(String($0)).prefix(12) }.joined(separator: ":") }
            if part.hasPrefix("upperdir=") { upper = String(part.dropFirst(9)) }
        }
        return (lower, upper)
    }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// "boxlab/<64 hex>" → "boxlab/<12 hex>".
    func prefixID() -> String {
        guard let slash = lastIndex(of: "/") else { return self }
        return String(self[...slash]) + self[index(after: slash)...].prefix(12)
    }

    func range(of target: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
