import ArgumentParser
import BoxImages

/// docker tag SOURCE TARGET: one more name for an image (no copy is made:
/// both names point at the same manifest in index.json).
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Give an image another name (REPOSITORY[:TAG]); no data is copied.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The image (name or id).") var source: String
    @Argument(help: "The new name, [REGISTRY/]REPOSITORY[:TAG].") var target: String

    func run() throws {
        let runtime = try global.makeRuntime()
        try ImageCommandSupport.reporting {
            try runtime.images.tag(source, as: try ImageCommandSupport.reference(target))
        }
    }
}
