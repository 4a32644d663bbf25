import ArgumentParser
import BoxImages

/// docker tag SOURCE TARGET: one more name for an image (no copy is made:
/// both names point at the same manifest in index.json).
struct TagCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Give an image another name (REPOSITORY[:TAG]); no data is copied.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The image (name or id).") var source: String
    @Argument(help: "The new name, [REGISTRY/]REPOSITORY[:TAG].") var target: String

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            try runtime.images.tag(source, as: try ImageCommandSupport.reference(target))
        }
    }
}
