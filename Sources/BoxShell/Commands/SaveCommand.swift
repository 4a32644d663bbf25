import ArgumentParser
import BoxImages

/// docker save -o FILE IMAGE…: the images, their configs and layers as an
/// OCI archive (a tar of an OCI image layout) that skopeo, podman and
/// `boxlab load` read.
struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Save images to an OCI archive (a tar of oci-layout, index.json, blobs/sha256/…).")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("output")], help: "The archive to write.") var output: String?
    @Argument(help: "The images (names or ids).") var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("save needs at least one image") }
    }

    func run() throws {
        let runtime = try global.makeRuntime()
        try ArchiveStrings.reporting {
            guard let output else {
                Terminal.error(ImageCommandSupport.text("archive.outputRequired"))
                throw ExitCode(125)
            }
            let count = try runtime.images.save(images, to: output)
            if global.level == .deep {
                Terminal.write(ImageCommandSupport.text("archive.saved", ["count": "\(count)", "file": output]) + "\n", fd: 2)
            }
        }
    }
}
