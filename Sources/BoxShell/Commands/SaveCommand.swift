import ArgumentParser
import BoxImages

/// docker save -o FILE IMAGE…: the images, their configs and layers as an
/// OCI archive (a tar of an OCI image layout) that skopeo, podman and
/// `boxlab load` read.
struct SaveCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Save images to an OCI archive (a tar of oci-layout, index.json, blobs/sha256/…).")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("output")], help: "The archive to write.") var output: String?
    @Argument(help: "The images (names or ids).") var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("save needs at least one image") }
    }

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ArchiveStrings.reporting(context.text) {
            guard let output else {
                Terminal.error(context.text("archive.outputRequired"))
                throw ExitCode(125)
            }
            let count = try runtime.images.save(images, to: output)
            if context.level == .deep {
                Terminal.write(context.text("archive.saved", ["count": "\(count)", "file": output]) + "\n", fd: 2)
            }
        }
    }
}
