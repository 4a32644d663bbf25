import ArgumentParser
import BoxBuild
import BoxImages
import BoxOS
import BoxRuntime

/// docker container …: prune, and ls/rm as aliases of ps/rm.
struct ContainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container", abstract: "Manage containers: prune (and ls, rm as aliases).",
        subcommands: [ContainerPruneCommand.self, ContainerListCommand.self, ContainerRemoveCommand.self])
    /// Accepted here too, so `boxlab --root R container prune` parses.
    @OptionGroup var global: GlobalOptions
}

/// docker container prune [-f]: every container that is not running goes.
struct ContainerPruneCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove all stopped containers.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var force = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let text = context.text
        guard force || Prune.confirm([text(.pruneContainersWarning)], text: text) else { return }
        let (ids, reclaimed) = try Prune.containers(runtime, events: context.sink(), text: context.text)
        Prune.report("Deleted Containers:", ids)
        Prune.total(reclaimed)
    }
}

struct ContainerListCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List containers (same as `ps`).")
    @OptionGroup var options: PsCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}

struct ContainerRemoveCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove containers (same as `rm`).")
    @OptionGroup var options: RmCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}

/// docker system …: prune and df.
struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Manage boxlab's data: prune, df.",
        subcommands: [SystemPruneCommand.self, SystemDiskUsageCommand.self])
    @OptionGroup var global: GlobalOptions
}

/// docker system prune [-a] [-f] [--volumes]: stopped containers, then
/// unused volumes (--volumes), then dangling (or, with -a, unused) images.
struct SystemPruneCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove stopped containers and dangling images (-a: every unused image; --volumes: unused volumes).",
        discussion: """
            Differences from docker: boxlab has no networks and no separate build cache (its build cache is \
            the intermediate images, pruned with the images), so there is nothing to remove there; its volumes \
            are all named, and --volumes removes every volume no container mounts (docker 23+ removes only \
            anonymous ones).
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove all images no container uses, not only dangling ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var force = false
    @Flag(help: "Also remove volumes no container mounts.") var volumes = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let text = context.text
        var warning = [text(.pruneSystemWarning), text(.pruneSystemContainers)]
        if volumes { warning.append(text(.pruneSystemVolumes)) }
        warning.append(text(all ? .pruneSystemAllImages : .pruneSystemDangling))
        warning.append(text(.pruneSystemNoNetworks))
        guard force || Prune.confirm(warning + [""], text: text) else { return }
        let (ids, containerSpace) = try Prune.containers(runtime, events: context.sink(), text: context.text)
        Prune.report("Deleted Containers:", ids)
        var reclaimed = containerSpace
        if volumes {
            let (names, volumeSpace) = try Prune.volumes(runtime)
            Prune.report("Deleted Volumes:", names)
            reclaimed += volumeSpace
        }
        try ImageCommandSupport.reporting(context.text) {
            let (lines, imageSpace) = try runtime.images.prune(all: all, users: ContainerImages.users(runtime))
            Prune.report("Deleted Images:", lines)
            reclaimed += imageSpace
        }
        Prune.total(reclaimed)
    }
}

/// What the prune commands share: docker's confirmation, removals that
/// measure what they free, and docker's report.
enum Prune {
    /// Prints the warning and asks; only "y"/"yes" goes on (end of input is no, as docker).
    static func confirm(_ warning: [String], text: Localizer) -> Bool {
        for line in warning { Terminal.line(line) }
        Terminal.write(text("image.pruneConfirm"))
        guard let answer = readLine()?.lowercased() else {
            Terminal.write("\n")  // end of input: no, and the prompt's line is ended
            return false
        }
        return answer == "y" || answer == "yes"
    }

    /// Removes every container that is not running or paused; returns their
    /// ids and the bytes their read-write layers took.
    static func containers(_ runtime: Runtime, events: EventSink, text: Localizer) throws -> (ids: [String], reclaimed: Int64) {
        var ids: [String] = []
        var reclaimed: Int64 = 0
        var failed = false
        for container in runtime.allContainers() where !container.state.status.hasProcess {
            let size = Int64(FS.diskUsage(container.paths.upper))
            do {
                try runtime.remove(container.id, force: false, events: events)
                ids.append(container.id)
                reclaimed += size
            } catch let error as RuntimeError {
                Terminal.error(error, text)  // started meanwhile, or already gone: the rest still go
                failed = true
            }
        }
        if failed && ids.isEmpty { throw ExitCode(1) }
        return (ids, reclaimed)
    }

    /// Removes the volumes no remaining container mounts.
    static func volumes(_ runtime: Runtime) throws -> (names: [String], reclaimed: Int64) {
        let store = VolumeStore(root: runtime.root)
        let used = DiskUsage.mountedVolumes(runtime.allContainers())
        var names: [String] = []
        var reclaimed: Int64 = 0
        for name in store.list().sorted() where !name.hasPrefix(".") && !used.contains(name) {
            let size = Int64(FS.diskUsage(store.root + "/" + name))
            try store.remove(name)
            names.append(name)
            reclaimed += size
        }
        return (names, reclaimed)
    }

    static func report(_ title: String, _ lines: [String]) {
        guard !lines.isEmpty else { return }
        Terminal.line(title)
        for line in lines { Terminal.line(line) }
        Terminal.line("")
    }

    static func total(_ bytes: Int64) {
        Terminal.line("Total reclaimed space: " + ImageSize.human(bytes, digits: 4))
    }
}
