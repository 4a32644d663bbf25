#if canImport(Glibc)
import Glibc
#endif
import BoxImages
import BoxNet
import BoxOS
import BoxRuntime

/// `inspect ns|mounts|cgroup|layers|proc`: the kernel's live state about a
/// container, read at the moment of asking (never from boxlab's records).
enum Evidence {
    static let kinds = ["ns", "mounts", "cgroup", "layers", "proc", "net"]

    static func show(_ kind: String, _ reference: String, runtime: Runtime, text: Localizer) throws {
        switch kind {
        case "layers":
            try layers(reference, runtime: runtime)
            return
        default:
            break
        }
        let container = try runtime.container(reference)
        let pid = container.state.pid
        let alive = pid > 0 && Processes.isAlive(pid, startTime: container.state.pidStartTime)
        if kind == "cgroup" { return try cgroup(container, runtime: runtime) }
        guard alive else {
            throw RuntimeError.wrongState(id: container.id, operation: "inspect \(kind) of",
                                          state: container.state.status.rawValue + " (no process to look at)")
        }
        switch kind {
        case "ns": namespaces(runtime.evidence(container))
        case "mounts": mounts(container, pid: pid)
        case "net": try network(container, pid: pid, runtime: runtime, text: text)
        default: processes(container, runtime: runtime)
        }
    }

    static func namespaces(_ evidence: ContainerEvidence) {
        var rows = [["NAMESPACE", "HOST (/proc/\(evidence.hostPid)/ns)", "CONTAINER (/proc/\(evidence.pid)/ns)", ""]]
        for namespace in evidence.namespaces() {
            let h = namespace.host.map { "\(namespace.kind):[\($0)]" } ?? "?"
            let c = namespace.container.map { "\(namespace.kind):[\($0)]" } ?? "?"
            rows.append([namespace.kind, h, c, h == c ? "shared" : "isolated"])
        }
        Terminal.write(Table.render(rows))
    }

    static func mounts(_ container: Container, pid: Int32) {
        let table = ProcFS.mountInfo(pid)
        if let root = table.first(where: { $0.mountPoint == "/" }), root.fsType == "overlay" {
            for option in root.superOptions.split(separator: ",") {
                for key in ["lowerdir=", "upperdir=", "workdir="] where option.hasPrefix(key) {
                    let value = option.dropFirst(key.count)
                    Terminal.line(String(key.dropLast()).padded(to: 9) + " " + value.split(separator: ":").joined(separator: "\n          "))
                }
            }
            Terminal.line("")
        }
        var rows = [["MOUNT POINT", "TYPE", "OPTIONS"]]
        for mount in table { rows.append([mount.mountPoint, mount.fsType, mount.options]) }
        Terminal.write(Table.render(rows))
    }

    /// The container's devices, addresses and routes read from inside its
    /// network namespace, then the host end of its veth and the bridge.
    static func network(_ container: Container, pid: Int32, runtime: Runtime, text: Localizer) throws {
        let host = ProcFS.namespaceInode(getpid(), "net").map { "net:[\($0)]" } ?? "?"
        let inside = ProcFS.namespaceInode(pid, "net").map { "net:[\($0)]" } ?? "?"
        Terminal.line(text(.netInspectMode, ["mode": container.config.networkMode.rawValue, "inside": inside, "host": host]))
        let network = runtime.network
        let evidence: NetEvidence
        do { evidence = try network.evidence(pid: pid, container: container.id) } catch { throw RuntimeError.network(error) }
        Terminal.line("")
        Terminal.line(text(.netInspectInside, ["pid": String(pid)]))
        Terminal.write(Table.render([["INTERFACE", "KIND", "STATE", "MAC", "MTU", "ADDRESSES", "PEER"]]
            + evidence.interfaces.map(row)))
        Terminal.line("")
        Terminal.line(text(.netInspectRoutes))
        for route in evidence.routes { Terminal.line("  " + route) }
        if evidence.routes.isEmpty { Terminal.line("  -") }
        guard container.config.networkMode == .bridge else { return }
        Terminal.line("")
        Terminal.line(text(.netInspectHost))
        var rows = [["INTERFACE", "KIND", "STATE", "MAC", "MTU", "ADDRESSES", "PEER", "MASTER"]]
        if let veth = evidence.hostVeth { rows.append(row(veth) + [veth.master ?? "-"]) }
        if let bridge = evidence.bridge { rows.append(row(bridge) + ["-"]) }
        Terminal.write(Table.render(rows))
        if let bridge = evidence.bridge {
            Terminal.line(text(.netInspectBridgePorts, ["bridge": bridge.name, "ports": evidence.bridgePorts.joined(separator: ", ")]))
        }
        if let endpoint = network.endpoint(of: container.id), !endpoint.ports.isEmpty {
            Terminal.line("")
            Terminal.line(text(.netInspectPorts, ["pid": endpoint.proxyPid > 0 ? String(endpoint.proxyPid) : "?"]))
            for port in endpoint.ports {
                Terminal.line("  \(port.hostIP):\(port.hostPort) -> \(endpoint.address):\(port.containerPort)/\(port.proto)")
            }
        }
    }

    static func row(_ interface: InterfaceEvidence) -> [String] {
        [interface.name, interface.kind, interface.state, interface.mac.isEmpty ? "-" : interface.mac, String(interface.mtu),
         interface.addresses.isEmpty ? "-" : interface.addresses.joined(separator: " "), interface.peer ?? "-"]
    }

    static func cgroup(_ container: Container, runtime: Runtime) throws {
        let cg = try runtime.cgroup(container.id)
        guard cg.exists() else {
            Terminal.line("no cgroup: the container is \(container.state.status.rawValue) (boxlab makes it at start, removes it at exit)")
            return
        }
        Terminal.line("cgroup \(cg.version.rawValue): " + cg.paths.joined(separator: "\n          "))
        var rows = [["FILE", "VALUE"]]
        for file in cg.limitFiles() { rows.append([file.path, file.value]) }
        rows.append(["memory in use", cg.memoryUsage().map { Narrator.size($0) } ?? "?"])
        rows.append(["processes (pids.current)", cg.pidsCurrent().map(String.init) ?? "?"])
        rows.append(["frozen", cg.isFrozen() ? "yes (paused)" : "no"])
        rows.append(["OOM kills", String(cg.oomKillCount())])
        Terminal.write(Table.render(rows))
    }

    static func processes(_ container: Container, runtime: Runtime) {
        let pids = ((try? runtime.cgroup(container.id).processes()) ?? [container.state.pid]).sorted()
        var rows = [["HOST PID", "CONTAINER PID", "STATE", "COMMAND"]]
        for pid in pids {
            let nspid = ProcFS.statusField(pid, "NSpid")?.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? "?"
            let state = ProcFS.statusField(pid, "State") ?? "?"
            let command = (FS.readTextIfPresent("/proc/\(pid)/cmdline") ?? "").split(separator: "\0").joined(separator: " ")
            rows.append([String(pid), nspid, state, command])
        }
        Terminal.write(Table.render(rows))
    }

    /// Layer directories of an image or a container, their sizes, and which
    /// containers share each one (one copy on disk, however many use it).
    static func layers(_ reference: String, runtime: Runtime) throws {
        var layerPaths: [String]
        var upper: String?
        if let container = try? runtime.container(reference) {
            layerPaths = container.config.layerPaths
            upper = container.paths.upper
        } else {
            do { layerPaths = try runtime.images.resolve(reference).layers.map(\.path) } catch {
                throw RuntimeError.noSuchContainer(reference)
            }
        }
        let users = runtime.allContainers()
        var rows = [["LAYER", "SIZE", "USED BY", "DIRECTORY"]]
        for (index, path) in layerPaths.enumerated() {
            let sharing = users.filter { $0.config.layerPaths.contains(path) }.map(\.name)
            rows.append(["\(index + 1) (read-only)", Narrator.size(Int64(FS.diskUsage(path))),
                         sharing.isEmpty ? "-" : "\(sharing.count): " + sharing.prefix(4).joined(separator: ", "), path])
        }
        if let upper {
            rows.append(["RW (this container)", Narrator.size(Int64(FS.diskUsage(upper))), "1", upper])
        }
        Terminal.write(Table.render(rows))
    }
}
