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
struct ImagePruneCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove dangling images (no name, nothing built on them); -a: every unused image.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove all images no container uses, not only dangling ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var force = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        let text = context.text
        guard force || Prune.confirm([text(all ? "image.pruneWarningAll" : "image.pruneWarning")], text: text) else { return }
        try ImageCommandSupport.reporting(context.text) {
            let (lines, reclaimed) = try runtime.images.prune(all: all, users: ContainerImages.users(runtime))
            Prune.report("Deleted Images:", lines)
            Prune.total(reclaimed)
        }
    }
}

struct ImageListCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images (same as `images`).")
    @OptionGroup var options: ImagesCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}

struct ImageRemoveCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images (same as `rmi`).")
    @OptionGroup var options: RmiCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}

struct ImageTagCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Name an image (same as `tag`).")
    @OptionGroup var options: TagCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}

struct ImageHistoryCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an image's layers (same as `history`).")
    @OptionGroup var options: HistoryCommand
    var global: GlobalOptions { options.global }
    func run(context: CommandContext) throws { try options.run(context: context) }
}
