import ArgumentParser
import BoxNet
import BoxRuntime

/// docker port: the published ports of a running container, one per line,
/// as docker prints them ("80/tcp -> 0.0.0.0:8080").
struct PortCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "port", abstract: "List a container's published ports (host port → container port).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The container (name or id).") var container: String
    @Argument(help: "Only this container port (e.g. 80 or 80/tcp): print its host address.") var privatePort: String?

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let container = try runtime.container(container)
        let running = container.state.status.hasProcess
        let ports = running ? runtime.network.endpoint(of: container.id)?.ports ?? [] : []
        guard let privatePort else {
            for port in ports { Terminal.line(port.portLine) }
            return
        }
        let key = privatePort.contains("/") ? privatePort : privatePort + "/tcp"
        let matching = ports.filter { $0.containerKey == key }
        guard !matching.isEmpty else {
            let text = context.text
            Terminal.error(text(.netNoPublicPort, ["port": key, "container": container.name]))
            throw ExitCode(1)
        }
        for port in matching { Terminal.line("\(port.hostIP):\(port.hostPort)") }
    }
}

/// Internal: the per-container port proxy (see BoxNet's PortProxy). boxlab
/// spawns it at start with the listening sockets as fds 3, 4, …; it
/// detaches at once and relays until the container's PID 1 ends.
struct ProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_proxy", shouldDisplay: false)
    @Argument var pid: String
    @Argument var startTime: String
    @Argument var routes: [String] = []

    func run() throws {
        let code = Self.direct([pid, startTime] + routes)
        if code != 0 { throw ExitCode(code) }
    }

    /// `boxlab _proxy PID STARTTIME FD=IP:PORT…`, straight from main (no parser).
    static func direct(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2,
              let plan = ProxyPlan.parse(pid: arguments[0], startTime: arguments[1], routes: Array(arguments.dropFirst(2)))
        else { return 125 }
        return PortProxy.detachAndServe(plan)
    }
}
