import ArgumentParser
import BoxCgroups
import BoxNet
import BoxRuntime

/// The flags `run` and `create` share, with docker's names.
struct ContainerOptions: ParsableArguments {
    @Option(name: .long, help: "Assign a name to the container.") var name: String?
    @Option(name: .shortAndLong, help: "Set an environment variable (KEY=VALUE, or KEY to copy the host's).") var env: [String] = []
    @Option(name: [.customShort("w"), .customLong("workdir")], help: "Working directory inside the container.") var workdir: String?
    @Option(name: .customLong("hostname"), help: "Container host name (default: the short id).") var hostname: String?
    @Option(name: [.customShort("v"), .customLong("volume")], help: "Bind mount or named volume: SRC:DST[:ro].") var volumes: [String] = []
    @Option(name: [.customShort("m"), .customLong("memory")], help: "Memory limit (e.g. 32m, 1g).") var memory: String?
    @Option(name: .customLong("pids-limit"), help: "Maximum number of processes (-1 for unlimited).") var pidsLimit: String?
    @Option(name: .customLong("cpus"), help: "Number of CPUs (e.g. 0.5).") var cpus: String?
    @Option(name: .customLong("entrypoint"), help: "Override the image's entrypoint.") var entrypoint: String?
    @Option(name: .shortAndLong, help: "Username or UID, with an optional group: NAME|UID[:GROUP|GID] (default: the image's USER, else root).")
    var user: String?
    @Option(name: [.customShort("p"), .customLong("publish")],
            help: "Publish a container port on the host: [HOSTIP:][HOSTPORT:]CONTAINERPORT[/tcp].") var publish: [String] = []
    @Option(name: [.customLong("network"), .customLong("net")],
            help: "Network: none (loopback only), bridge or host. Default: $BOXLAB_NETWORK, else bridge with -p, else none.") var network: String?
    @Flag(name: .shortAndLong, help: "Keep stdin open.") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-terminal.") var tty = false
    @Flag(name: .customLong("rm"), help: "Remove the container when it exits.") var autoRemove = false
    @Flag(name: .customLong("init"), help: "Run a tiny init as PID 1 that forwards signals and reaps zombies.") var useInit = false

    @Argument(help: "The image (default image: busybox).") var image: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    /// Validates every flag value, naming the flag in the error (exit 125).
    func createOptions() throws -> CreateOptions {
        var options = CreateOptions(image: image)
        options.command = command.first == "--" ? Array(command.dropFirst()) : command
        options.entrypoint = entrypoint.map { $0.isEmpty ? [] : [$0] }
        options.name = name
        options.env = env
        options.workingDir = workdir
        options.user = user
        if let workdir, !workdir.hasPrefix("/") {
            throw RuntimeError.invalidArgument(flag: "-w, --workdir", value: workdir, reason: "the working directory must be an absolute path")
        }
        options.hostname = hostname
        options.tty = tty
        options.openStdin = interactive
        options.autoRemove = autoRemove
        options.useInit = useInit
        do {
            options.memoryBytes = try memory.map { try CgroupLimits.parseMemory($0) }
            options.pidsLimit = try pidsLimit.flatMap { try CgroupLimits.parsePids($0) }
            options.cpus = try cpus.map { try CgroupLimits.parseCPUs($0) }
        } catch let error as CgroupLimitError {
            throw RuntimeError.invalidArgument(flag: error.flag, value: error.value, reason: error.reason)
        }
        options.mounts = try volumes.map { try MountSpec.parse($0) }
        do throws(NetError) {
            options.network = try network.map { (text) throws(NetError) in try NetworkMode.parse(text) }
            options.ports = try publish.map { (spec) throws(NetError) in try PortMapping.parse(spec) }
        } catch {
            throw RuntimeError.network(error)
        }
        return options
    }
}
