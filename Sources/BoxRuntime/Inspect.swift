import BoxJSON
import BoxNet
import BoxOS

/// `docker inspect` for containers: docker's field names, filled from the
/// refreshed state and config.
public enum ContainerInspector {
    public static func json(_ container: Container, root: String) -> JSON {
        let config = container.config
        return .object([
            ("Id", .string(config.id)),
            ("Created", .string(Clock.rfc3339(config.createdNanos))),
            ("Path", .string(config.argv.first ?? "")),
            ("Args", .strings(Array(config.argv.dropFirst()))),
            ("State", stateJSON(container.state)),
            ("Image", .string(config.imageID)),
            ("LogPath", .string(container.paths.log)),
            ("Name", .string("/" + config.name)),
            ("RestartCount", .int(0)),
            ("Driver", .string("overlay")),
            ("HostConfig", hostConfig(config)),
            ("GraphDriver", .object([
                ("Name", .string("overlay")),
                ("Data", .object([
                    ("LowerDir", .string(config.layerPaths.reversed().joined(separator: ":"))),
                    ("UpperDir", .string(container.paths.upper)),
                    ("WorkDir", .string(container.paths.work)),
                    ("MergedDir", .string(container.paths.rootfs)),
                ])),
            ])),
            ("Mounts", mountsJSON(config.mounts, volumesRoot: root + "/volumes")),
            ("Config", .object([
                ("Hostname", .string(config.hostname)),
                ("User", .string(config.user)),
                ("Tty", .bool(config.tty)),
                ("OpenStdin", .bool(config.openStdin)),
                ("Env", .strings(config.env)),
                ("Cmd", .strings(config.command)),
                ("Image", .string(config.imageReference)),
                ("WorkingDir", .string(config.workingDir)),
                ("Entrypoint", config.entrypoint.isEmpty ? .null : .strings(config.entrypoint)),
            ])),
            ("NetworkSettings", networkSettings(container, root: root)),
        ])
    }

    static func stateJSON(_ state: ContainerState) -> JSON {
        .object([
            ("Status", .string(state.status.rawValue)),
            ("Running", .bool(state.status.hasProcess)),
            ("Paused", .bool(state.status == .paused)),
            ("Restarting", .bool(false)),
            ("OOMKilled", .bool(state.oomKilled)),
            ("Dead", .bool(false)),
            ("Pid", .int(state.pid)),
            ("ExitCode", .int(state.exitCode)),
            ("Error", .string(state.error)),
            ("StartedAt", .string(Clock.rfc3339(state.startedNanos))),
            ("FinishedAt", .string(Clock.rfc3339(state.finishedNanos))),
        ])
    }

    static func hostConfig(_ config: ContainerConfig) -> JSON {
        .object([
            ("Binds", .strings(config.mounts.map { "\($0.source):\($0.destination)\($0.readOnly ? ":ro" : "")" })),
            ("AutoRemove", .bool(config.autoRemove)),
            ("Init", .bool(config.useInit)),
            ("Memory", .int(config.memoryBytes ?? 0)),
            ("MemorySwap", .int(config.memoryBytes ?? 0)),
            ("NanoCpus", .int(Int64((config.cpus ?? 0) * 1_000_000_000))),
            ("PidsLimit", config.pidsLimit.map { .int($0) } ?? .null),
            ("NetworkMode", .string(config.networkMode.rawValue)),
            ("PortBindings", portBindings(config.ports)),
            ("CapAdd", .null), ("CapDrop", .null),
            ("MaskedPaths", .strings(SecurityDefaults.maskedPaths)),
            ("ReadonlyPaths", .strings(SecurityDefaults.readonlyPaths)),
        ])
    }

    static func mountsJSON(_ mounts: [MountSpec], volumesRoot: String) -> JSON {
        .array(mounts.map { mount in
            .object([
                ("Type", .string(mount.kind.rawValue)),
                ("Name", mount.kind == .volume ? .string(mount.source) : .null),
                ("Source", .string(mount.kind == .volume ? "\(volumesRoot)/\(mount.source)/_data" : mount.source)),
                ("Destination", .string(mount.destination)),
                ("RW", .bool(!mount.readOnly)),
            ])
        })
    }

    /// docker's {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}.
    static func portBindings(_ ports: [PortMapping]) -> JSON {
        var keys: [String] = []
        for port in ports where !keys.contains(port.containerKey) { keys.append(port.containerKey) }
        return .object(keys.map { key in
            (key, .array(ports.filter { $0.containerKey == key }.map { port in
                .object([("HostIp", .string(port.hostIP.description)),
                         ("HostPort", .string(port.hostPort == 0 ? "" : String(port.hostPort)))])
            }))
        })
    }

    /// Addresses only while the container runs on the bridge (as docker);
    /// read from boxlab's network state (ROOT/net/state.json).
    static func networkSettings(_ container: Container, root: String) -> JSON {
        let store = NetStore(root: root)
        let state = container.config.networkMode == .bridge && store.exists ? store.load() : NetState()
        let running = container.state.status.hasProcess
        let endpoint = running ? state.endpoint(of: container.id) : nil
        let prefix = state.subnet?.prefixLength ?? 0
        let gateway = endpoint != nil ? state.subnet?.gateway.description ?? "" : ""
        let address = endpoint?.address.description ?? ""
        var fields: [(String, JSON)] = [
            ("Bridge", .string(endpoint != nil ? state.bridge ?? "" : "")),
            ("SandboxKey", .string(running && container.config.networkMode != .host ? "/proc/\(container.state.pid)/ns/net" : "")),
            ("Ports", portBindings(endpoint?.ports ?? [])),
            ("Gateway", .string(gateway)),
            ("IPAddress", .string(address)),
            ("IPPrefixLen", .int(endpoint != nil ? prefix : 0)),
        ]
        var network: [(String, JSON)] = [
            ("Gateway", .string(gateway)), ("IPAddress", .string(address)),
            ("IPPrefixLen", .int(endpoint != nil ? prefix : 0)),
        ]
        if let endpoint {
            fields.append(("HostVeth", .string(endpoint.veth)))
            network.append(("Aliases", .strings([container.config.name])))
        }
        fields.append(("Networks", .object([(container.config.networkMode.rawValue, .object(network))])))
        return .object(fields)
    }
}
