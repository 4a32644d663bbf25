#if canImport(Glibc)
import Glibc
#endif
import BoxImages
import BoxJSON
import BoxNet
import BoxOS

/// What `create` and `run` take from the command line.
public struct CreateOptions: Sendable {
    public var image: String
    public var command: [String] = []
    public var entrypoint: [String]? = nil
    public var name: String? = nil
    public var env: [String] = []
    public var workingDir: String? = nil
    public var hostname: String? = nil
    public var tty = false
    public var openStdin = false
    public var autoRemove = false
    public var useInit = false
    public var memoryBytes: Int64? = nil
    public var pidsLimit: Int64? = nil
    public var cpus: Double? = nil
    public var mounts: [MountSpec] = []
    /// --network; nil = $BOXLAB_NETWORK, else bridge when ports are published,
    /// else none (see `networkMode(_:publishing:)`).
    public var network: NetworkMode? = nil
    /// -p/--publish.
    public var ports: [PortMapping] = []
    /// -u/--user; nil = the image's USER.
    public var user: String? = nil

    public init(image: String) { self.image = image }
}

extension Runtime {
    /// docker create: resolve the image, write the container's directories
    /// and config. Nothing runs and no kernel object exists yet.
    public func create(_ options: CreateOptions, events: EventSink) throws -> Container {
        let image = try resolveImage(options.image)
        if events.wantsEvidence {
            events.emit(.imageResolved(
                reference: options.image, imageID: image.id,
                layers: image.layers.map { LayerEvidence(diffID: $0.diffID, path: $0.path, bytes: $0.size) }))
        }
        if let name = options.name, !Self.isValidName(name) { throw RuntimeError.invalidName(name) }
        let argv = (options.entrypoint ?? image.config.entrypoint ?? [])
            + (options.command.isEmpty && options.entrypoint == nil ? image.config.cmd ?? [] : options.command)
        guard !argv.isEmpty else {
            throw RuntimeError.invalidArgument(flag: "COMMAND", value: "", reason: "no command specified and the image has no Cmd")
        }
        for value in argv + options.env { try ShimSpec.validate(value, flag: "COMMAND") }
        let mounts = try options.mounts.map(resolveMount)
        let networkMode = try networkMode(options.network, publishing: !options.ports.isEmpty)
        if !options.ports.isEmpty && networkMode != .bridge {
            throw RuntimeError.network(.portsNeedBridge(mode: networkMode.rawValue))
        }

        let lock = try store.storeLock()
        return try lock.withLock(stage: "state") {
            store.reclaimIncomplete()
            let id = Random.containerID()
            let name = try options.name ?? uniqueGeneratedName()
            if let owner = store.idUsing(name: name) { throw RuntimeError.nameInUse(name: name, id: owner) }
            let paths = store.paths(id)
            // Staged under a dot name and renamed into place whole: a crash
            // leaves a .creating- directory (reclaimed under this lock by
            // the next command, see ContainerStore.reclaimIncomplete), never
            // a container directory without its config.
            let staging = ContainerPaths(directory: store.stagingDirectory(id))
            let config = ContainerConfig(
                id: id, name: name, createdNanos: Clock.nowNanos(), imageReference: options.image,
                imageID: image.id, layerPaths: image.layers.map(\.path),
                entrypoint: options.entrypoint ?? image.config.entrypoint ?? [],
                command: options.command.isEmpty && options.entrypoint == nil ? image.config.cmd ?? [] : options.command,
                env: mergeEnvironment(image: image.config.env, options: options.env),
                workingDir: options.workingDir ?? (image.config.workingDir.isEmpty ? "/" : image.config.workingDir),
                hostname: options.hostname ?? (networkMode == .host ? Self.hostHostname() : String(id.prefix(12))), tty: options.tty, openStdin: options.openStdin,
                autoRemove: options.autoRemove, useInit: options.useInit, memoryBytes: options.memoryBytes,
                pidsLimit: options.pidsLimit, cpus: options.cpus, mounts: mounts,
                networkMode: networkMode, ports: options.ports, user: options.user ?? image.config.user)
            try writeStaged(config, staging: staging, into: paths)
            if events.wantsEvidence {
                events.emit(.containerCreated(id: id, name: name, directory: paths.directory))
            }
            return Container(config: config, state: ContainerState(), paths: paths)
        }
    }

    /// Writes a new container's files under `staging` and renames them into
    /// place whole; on any failure the staging directory goes.
    func writeStaged(_ config: ContainerConfig, staging: ContainerPaths, into paths: ContainerPaths) throws {
        do {
            try FS.makeDirectories(staging.directory, mode: 0o710, stage: "state")
            for dir in [staging.upper, staging.work, staging.rootfs] { try FS.makeDirectory(dir, stage: "rootfs") }
            // Fresh files in a directory nobody reads yet: plain writes suffice.
            let create = O_WRONLY | O_CREAT | O_EXCL
            try FS.write(staging.hostnameFile, Array((config.hostname + "\n").utf8), flags: create, stage: "state")
            try FS.write(staging.hostsFile, Array(Self.hostsFile(config).utf8), flags: create, stage: "state")
            try FS.write(staging.resolvConf, Array(Self.resolvConf(config).utf8), flags: create, stage: "state")
            try FS.write(staging.state, Array(ContainerState().json.serialized().utf8), flags: create, stage: "state")
            try FS.write(staging.config, Array(config.json.serialized().utf8), flags: create, stage: "state")
            DebugHold.at("create", environment: environment)
            try FS.rename(staging.directory, paths.directory, stage: "state")
        } catch {
            try? FS.removeTree(staging.directory)
            throw error
        }
    }

    /// Resolves an image (the store makes the embedded busybox on first use).
    func resolveImage(_ reference: String) throws -> ResolvedImage {
        do {
            return try images.resolve(reference)
        } catch let error as ImageError {
            throw RuntimeError.image(error.description)
        }
    }

    /// Bind sources become absolute (and are created, as docker does);
    /// volumes get their data directory.
    func resolveMount(_ mount: MountSpec) throws -> MountSpec {
        var resolved = mount
        resolved.destination = Path.normalize(mount.destination)
        switch mount.kind {
        case .bind:
            resolved.source = Path.absolute(mount.source)
            if !FS.exists(resolved.source) { try FS.makeDirectories(resolved.source, stage: "volume") }
        case .volume:
            _ = try volumes.dataPath(mount.source)
        }
        return resolved
    }

    /// Image env first, then -e values overriding by key. "-e NAME" copies the
    /// host's value, as docker does.
    func mergeEnvironment(image: [String], options: [String]) -> [String] {
        var result = image.isEmpty ? [SecurityDefaults.defaultPath] : image
        for entry in options {
            let pair: String
            if entry.contains("=") {
                pair = entry
            } else if let value = environment[entry] {
                pair = entry + "=" + value
            } else {
                continue
            }
            let key = pair.split(separator: "=", maxSplits: 1)[0]
            result.removeAll { $0.split(separator: "=", maxSplits: 1).first == key }
            result.append(pair)
        }
        return result
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
        }
    }

    static func hostsFile(hostname: String) -> String {
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t\(hostname)\n"
    }

    /// The container's /etc/hosts at create: with --network host the host's
    /// own (docker's habit); otherwise localhost and its hostname — for the
    /// bridge, boxlab rewrites it in place at every start (see BoxNet's HostsFile).
    static func hostsFile(_ config: ContainerConfig) -> String {
        if config.networkMode == .host, let hosts = FS.readTextIfPresent("/etc/hosts") { return hosts }
        return hostsFile(hostname: config.hostname)
    }

    /// No DNS server is reachable from the bridge (boxlab adds no NAT), so
    /// bridge and none get a comment; host shares the host's resolver.
    static func resolvConf(_ config: ContainerConfig) -> String {
        switch config.networkMode {
        case .host: return FS.readTextIfPresent("/etc/resolv.conf") ?? ""
        case .bridge: return "# boxlab: no DNS server on the bridge (no NAT to the outside); other containers are in /etc/hosts\n"
        case .none: return "# boxlab: this container has no network DNS\n"
        }
    }

    /// --network, else $BOXLAB_NETWORK, else bridge when ports are
    /// published (-p needs it), else none.
    ///
    /// Unlike docker, the last default is `none`: the bridge is a change to
    /// the machine's network (a new device, an address, a route), and
    /// boxlab runs on machines where lessons, checks and test suites start
    /// containers all the time — none of them may add a bridge by surprise.
    /// A student gets docker's behaviour with BOXLAB_NETWORK=bridge (what
    /// the lab should export), or simply by publishing a port.
    func networkMode(_ requested: NetworkMode?, publishing: Bool) throws(RuntimeError) -> NetworkMode {
        if let requested { return requested }
        if let setting = environment["BOXLAB_NETWORK"], !setting.isEmpty {
            do { return try NetworkMode.parse(setting) } catch { throw .network(error) }
        }
        return publishing ? .bridge : .none
    }

    static func hostHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func uniqueGeneratedName() throws -> String {
        for _ in 0..<50 {
            let name = NameGenerator.random()
            if store.idUsing(name: name) == nil { return name }
        }
        return NameGenerator.random() + "_" + String(Random.containerID().prefix(4))
    }
}
