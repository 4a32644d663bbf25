import ArgumentParser
import BoxOS
import BoxRuntime

/// docker ps [-a] [-q]: every listed state is refreshed from the kernel first.
struct PsCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List containers (running only, unless -a).")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show all containers, not only running ones.") var all = false
    @Flag(name: .shortAndLong, help: "Only print ids.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate output.") var noTrunc = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let now = Clock.nowNanos()
        let containers = runtime.allContainers()
            .filter { all || $0.state.status.hasProcess }
            .sorted { $0.config.createdNanos > $1.config.createdNanos }
        if quiet {
            for container in containers { Terminal.line(noTrunc ? container.id : container.config.shortID) }
            return
        }
        var rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]]
        for container in containers {
            rows.append([
                noTrunc ? container.id : container.config.shortID,
                container.config.imageReference,
                Self.command(container.config.argv, truncate: !noTrunc),
                Clock.humanDuration(nanos: now - container.config.createdNanos) + " ago",
                Self.status(container.state, now: now),
                container.state.status.hasProcess
                    ? container.config.ports.map(\.psCell).joined(separator: ", ") : "",
                container.name,
            ])
        }
        Terminal.write(Table.render(rows))
    }

    /// docker quotes the command and cuts it at 20 characters with "…".
    static func command(_ argv: [String], truncate: Bool) -> String {
        let joined = argv.joined(separator: " ")
        let cut = truncate && joined.count > 20 ? String(joined.prefix(19)) + "…" : joined
        return "\"" + cut + "\""
    }

    static func status(_ state: ContainerState, now: Int64) -> String {
        switch state.status {
        case .created: return "Created"
        case .running: return "Up " + Clock.humanDuration(nanos: now - state.startedNanos)
        case .paused: return "Up " + Clock.humanDuration(nanos: now - state.startedNanos) + " (Paused)"
        case .exited:
            return "Exited (\(state.exitCode)) " + Clock.humanDuration(nanos: now - state.finishedNanos) + " ago"
        }
    }
}

/// Left-aligned columns separated by three spaces, like docker's tables
/// (`minimumWidth` is tabwriter's minwidth, padding included: `system df`).
enum Table {
    static func render(_ rows: [[String]], minimumWidth: Int = 0) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.displayWidth)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) } }
        var out = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell.padded(to: max(minimumWidth, widths[index] + 3))
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
