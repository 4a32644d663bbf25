import ArgumentParser
import BoxImages

/// docker pull NAME[:TAG|@DIGEST] from a registry at localhost: the manifest,
/// then each blob, every one checked against its digest before the image
/// is stored (as `load` stores an archive).
struct PullCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull an image from a registry at localhost (e.g. localhost:5000/NAME:TAG).")
    @OptionGroup var global: GlobalOptions
    @Flag(name: [.short, .customLong("quiet")], help: "Print only the image name.") var quiet = false
    @Argument(help: "localhost:PORT/REPOSITORY[:TAG|@DIGEST].") var name: String

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ArchiveStrings.reporting(context.text) {
            let reference = try ImageCommandSupport.reference(name)
            if !quiet { Terminal.line("\(reference.digest ?? reference.tag ?? ImageReference.defaultTag): Pulling from \(reference.path)") }
            let view = RegistryProgressView(active: "Downloading", done: "Pull complete")
            let image = try runtime.images.pull(reference, progress: quiet ? { _ in } : view.handle)
            if !quiet {
                Terminal.line("Digest: \(image.manifestDigest)")
                Terminal.line("Status: Downloaded image for \(reference.familiar)")
            }
            Terminal.line(reference.familiar)
        }
    }
}
