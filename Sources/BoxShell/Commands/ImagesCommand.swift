import ArgumentParser
import BoxImages
import BoxOS

/// docker images (minimal until the images issue lands): the embedded
/// busybox image is made on first use.
struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "List images in the local store.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let runtime = try global.makeRuntime()
        let image = try runtime.images.ensureDefaultImage()
        let rows = [["REPOSITORY", "TAG", "IMAGE ID", "SIZE"],
                    ["busybox", "latest", String(image.id.dropFirst(7).prefix(12)),
                     Narrator.size(image.layers.reduce(Int64(0)) { $0 + $1.size })]]
        Terminal.write(Table.render(rows))
    }
}
