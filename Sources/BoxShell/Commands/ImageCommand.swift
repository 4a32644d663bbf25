import ArgumentParser
import BoxBuild
import BoxImages

/// docker image …: the image management verbs under one noun.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage images: prune (and ls, rm, tag, history as aliases).",
        subcommands: [ImagePruneCommand.self, ImageListCommand.self, ImageRemoveCommand.self, ImageTagCommand.self,
                      ImageHistoryCommand.self])
    /// Accepted here too, so `boxlab --root R image prune` (globals moved after
    /// the first verb) parses; the subcommand reads the same values.
    @OptionGroup var global: GlobalOptions
}

/// docker image prune [-a] [-f].
struct ImagePruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove dangling images (no name, nothing built on them); -a: every unused image.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove all images no container uses, not only dangling ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var force = false

    func run() throws {
        let runtime = try global.makeRuntime()
        let text = ImageCommandSupport.text
        guard force || Prune.confirm([text(all ? "image.pruneWarningAll" : "image.pruneWarning")]) else { return }
        try ImageCommandSupport.reporting {
            let (lines, reclaimed) = try runtime.images.prune(all: all, users: ContainerImages.users(runtime))
            Prune.report("Deleted Images:", lines)
            Prune.total(reclaimed)
        }
    }
}

struct ImageListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images (same as `images`).")
    @OptionGroup var options: ImagesCommand
    func run() throws { try options.run() }
}

struct ImageRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images (same as `rmi`).")
    @OptionGroup var options: RmiCommand
    func run() throws { try options.run() }
}

struct ImageTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Name an image (same as `tag`).")
    @OptionGroup var options: TagCommand
    func run() throws { try options.run() }
}

struct ImageHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an image's layers (same as `history`).")
    @OptionGroup var options: HistoryCommand
    func run() throws { try options.run() }
}
