import ArgumentParser
import BoxImages

/// docker load -i FILE: images from an OCI archive or a docker archive
/// (`docker save`, `podman save --format docker-archive`). Every blob is
/// checked against its digest before the store changes.
struct LoadCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load images from an OCI archive or a docker-archive tarball.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("input")], help: "The archive to read.") var input: String
    @Flag(name: [.short, .customLong("quiet")], help: "Print nothing on success.") var quiet = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ArchiveStrings.reporting(context.text) {
            let loaded = try runtime.images.load(archive: input)
            if quiet { return }
            for image in loaded {
                if image.names.isEmpty {
                    Terminal.line("Loaded image ID: \(image.id)")
                } else {
                    for name in image.names { Terminal.line("Loaded image: \(name.familiar)") }
                }
            }
            if context.level == .deep { Terminal.write(context.text("archive.loadNote") + "\n", fd: 2) }
        }
    }
}
