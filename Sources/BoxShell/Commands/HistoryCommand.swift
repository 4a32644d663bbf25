import ArgumentParser
import BoxImages
import BoxOS

/// docker history IMAGE: the steps that made each layer, newest first. A
/// row with an id is an image in the store: `run` it to go back to that layer.
struct HistoryCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show how an image was made: one row per step, with its layer's size.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate output.") var noTrunc = false
    @Flag(name: .shortAndLong, help: "Only print image ids.") var quiet = false
    @Argument(help: "The image (name or id).") var image: String

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            let rows = try runtime.images.history(image)
            let now = Clock.nowNanos()
            if quiet {
                for row in rows { Terminal.line(row.imageID.map { ImageCommandSupport.displayID($0, noTrunc: noTrunc) } ?? "<missing>") }
                return
            }
            var table = [["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]]
            for row in rows {
                let createdBy = noTrunc ? row.createdBy : ImageCommandSupport.ellipsis(row.createdBy, 45)
                table.append([
                    row.imageID.map { ImageCommandSupport.displayID($0, noTrunc: noTrunc) } ?? "<missing>",
                    ImageCommandSupport.ago(row.created.flatMap(ImageTime.nanos(rfc3339:)) ?? 0, now: now),
                    createdBy, ImageSize.human(row.size), row.comment,
                ])
            }
            Terminal.write(Table.render(table))
        }
    }
}
