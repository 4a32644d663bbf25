import BoxOS
import BoxRuntime

/// Renders runtime events as numbered narration on stderr. Every value shown
/// comes from the event, and every event field was read from the kernel.
/// quiet prints nothing (docker's output only); deep adds the syscalls and
/// files behind each stage. At normal every line of a default run fits in
/// 80 columns: paths under the boxlab root are shown relative to it, ids
/// short (`containers/35e5e83a5ffa/upper`); deep shows them in full.
struct Narrator: Sendable {
    let level: NarrationLevel
    let color: Bool
    let text: Localizer
    /// The boxlab root the events' paths are under (`--root`, $BOXLAB_ROOT).
    let root: String

    init(level: NarrationLevel, color: Bool, language: Language, root: String) {
        self.level = level
        self.color = color
        text = Localizer(language)
        self.root = root
    }

    func render(_ event: RuntimeEvent) {
        guard level != .quiet else { return }
        for line in lines(event) { Terminal.write(line + "\n", fd: 2) }
    }

    func lines(_ event: RuntimeEvent) -> [String] {
        let deep = level == .deep
        switch event {
        case let .imageResolved(reference, imageID, layers):
            let bytes = layers.reduce(Int64(0)) { $0 + $1.bytes }
            var out = [head("①", .stageImage, text(.narrImage, [
                "reference": reference, "count": String(layers.count), "id": short(imageID), "size": Self.size(bytes),
            ]))]
            if deep { out += layers.map { detail(text(.narrLayer, ["id": short($0.diffID), "path": $0.path])) } }
            return out
        case let .containerCreated(id, name, directory):
            return deep ? [detail(text(.narrCreated, ["id": String(id.prefix(12)), "name": name, "directory": directory]))] : []
        case let .cgroupCreated(paths, limits, version):
            // Normal narration names the limits that are set; deep shows every file.
            let quotaSet = limits.contains { Path.base($0.path) == "cpu.cfs_quota_us" && !Self.isUnlimited($0.value) }
            let set = limits.filter {
                !Self.isUnlimited($0.value) && (quotaSet || Path.base($0.path) != "cpu.cfs_period_us")
            }
            let summary = set.map { "\(Path.base($0.path))=\($0.value)" }.joined(separator: " ")
            var out = [head("②", .stageCgroup, text(.narrCgroup, [
                "version": version, "group": paths.first.map(Self.groupName) ?? "?",
                "limits": summary.isEmpty ? text(.narrCgroupNone) : summary,
            ]))]
            if deep { out += limits.map { detail(text(.narrCgroupFile, ["path": $0.path, "value": $0.value])) } }
            return out
        case let .cloned(hostPid, namespaces):
            var out = [head("③", .stageClone, text(.narrClone, ["pid": String(hostPid)])),
                       detail(text(.narrCloneNamespaces, ["namespaces": namespaces.joined(separator: ", ")]))]
            if deep { out.append(detail(text(.narrCloneDeep))) }
            return out
        case let .network(net):
            switch net.mode {
            case "bridge":
                var out = [head(" ", .stageNet, text(.narrNetBridge, [
                    "address": net.address, "veth": net.hostVeth, "bridge": net.bridge, "gateway": net.gateway,
                ]))]
                out += net.ports.map { detail(text(.narrNetPort, ["port": $0])) }
                if deep { out.append(detail(text(.narrNetBridgeDeep, ["mac": net.mac]))) }
                return out
            case "host": return [head(" ", .stageNet, text(.narrNetHost))]
            default: return [head(" ", .stageNet, text(.narrNetNone)), detail(text(.narrNetNoneHint))]
            }
        case let .namespacesCreated(_, host, container):
            let differing = container.filter { c in host.first { $0.kind == c.kind }?.inode != c.inode }
            let shown = deep ? container : container.filter { $0.kind == "pid" }
            var out = [head("⑥", .stageNamespaces, text(.narrNamespaces, [
                "differing": String(differing.count), "total": String(container.count),
            ]))]
            for ns in shown {
                let hostInode = host.first { $0.kind == ns.kind }.map { "\($0.inode)" } ?? "?"
                out.append(detail(text(.narrNamespaceLine, ["kind": ns.kind, "host": hostInode, "inside": String(ns.inode)])))
            }
            return out
        case let .rootfsMounted(overlay, others):
            var out: [String] = []
            if let overlay {
                let options = Self.overlayOptions(overlay.options)
                out.append(head("④", .stageRootfs, text(.narrRootfs, ["merged": shown(overlay.mountPoint)])))
                out.append(detail(text(.narrRootfsLayers, [
                    "lower": options.lower.map(shown).joined(separator: ":"), "upper": options.upper.map(shown) ?? "?",
                ])))
            } else {
                out.append(head("④", .stageRootfs, text(.narrRootfsMissing)))
            }
            if deep { out += others.map { detail(text(.narrMount, ["type": $0.fsType, "path": $0.mountPoint, "options": $0.options])) } }
            return out
        case let .pivoted(root, hostname):
            var out = [head("⑤", .stagePivot, text(.narrPivot)), detail(text(.narrPivotHostname, ["hostname": hostname]))]
            if deep, let root {
                out.append(detail(text(.narrPivotDeep, ["type": root.fsType, "options": String(root.options.prefix(120))])))
            }
            return out
        case let .ready(capEff, capBnd, noNewPrivs):
            var out = [head("⑦", .stageCaps, text(.narrCaps, ["effective": capEff, "nnp": noNewPrivs]))]
            if deep { out.append(detail(text(.narrCapsDeep, ["bounding": capBnd]))) }
            return out
        case let .exec(argv, _, kernelRelease):
            return [head("⑧", .stageExec, text(.narrExec, ["argv": argv.joined(separator: " "), "kernel": kernelRelease]))]
        case let .exited(code, signal, oomKilled):
            var line = text(.narrExit, ["code": String(code)])
            if let signal { line += text(.narrExitSignal, ["signal": String(signal)]) }
            if oomKilled { line += text(.narrExitOOM) }
            return [head(" ", .stageExit, line)]
        case .interruptIgnored:
            // A new line first: the terminal has just echoed "^C".
            return ["", head(" ", .stageExit, text(.narrInterrupt))]
        case let .teardown(removed):
            return deep ? removed.map { detail(text(.narrRemoved, ["path": $0])) } : [head(" ", .stageCleanup, text(.narrCleanup))]
        }
    }

    /// A message outside the event stream (stop's SIGKILL, an interrupt), in the same voice.
    func note(_ key: MessageKey, _ values: [String: String] = [:]) {
        guard level != .quiet else { return }
        Terminal.write(detail(text(key, values)) + "\n", fd: 2)
    }

    private func head(_ number: String, _ stage: MessageKey, _ line: String) -> String {
        let label = text(stage).padded(to: text.language == .ko ? 12 : 7)
        return color ? " \(number) \u{1B}[1m\(label)\u{1B}[0m \(line)" : " \(number) \(label) \(line)"
    }

    private func detail(_ line: String) -> String {
        let indent = String(repeating: " ", count: text.language == .ko ? 16 : 11)
        return color ? indent + "\u{1B}[2m\(line)\u{1B}[0m" : indent + line
    }

    /// A path as this level shows it: at normal, one under the root is
    /// relative to it with its 64-hex ids cut to 12 (docker's short ids);
    /// at deep, or outside the root, as the event has it.
    func shown(_ path: String) -> String {
        guard level != .deep, path.hasPrefix(root + "/") else { return path }
        return path.dropFirst(root.count + 1).split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.count == 64 && part.allSatisfy(\.isHexDigit) ? String(part.prefix(12)) : String(part)
        }.joined(separator: "/")
    }

    private func short(_ digest: String) -> String {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        return "sha256:" + hex.prefix(12) + "…"
    }

    static func groupName(_ path: String) -> String {
        guard let range = path.firstRange(of: "/boxlab/") else { return path }
        return String(path[range.lowerBound...].dropFirst()).prefixID()
    }

    /// "max", -1 and the kernel's page-rounded "no limit" (≥ 2^62).
    static func isUnlimited(_ value: String) -> Bool {
        if value == "max" || value == "-1" { return true }
        if let number = Int64(value), number >= 1 << 62 { return true }
        return false
    }

    /// The overlay's lowerdir entries and upperdir, from its mount options.
    static func overlayOptions(_ options: String) -> (lower: [String], upper: String?) {
        var lower: [String] = ["?"], upper: String?
        for part in options.split(separator: ",") {
            if part.hasPrefix("lowerdir=") { lower = part.dropFirst(9).split(separator: ":").map(String.init) }
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

    /// "boxlab/<64 hex>" → "boxlab/<12 hex>".
    func prefixID() -> String {
        guard let slash = lastIndex(of: "/") else { return self }
        return String(self[...slash]) + self[index(after: slash)...].prefix(12)
    }
}
