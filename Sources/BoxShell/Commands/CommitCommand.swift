import ArgumentParser
import BoxBuild
import BoxImages
import BoxOS

/// docker commit CONTAINER [REPOSITORY[:TAG]]: the container's read-write
/// layer becomes a read-only layer of a new image, its settings the image's
/// defaults, so that `run` can make many copies of what one container did.
struct CommitCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Make a new image from a container's changes (its read-write layer).")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("message")], help: "A comment for the image's history.") var message: String?
    @Flag(name: [.customShort("p"), .customLong("pause")], inversion: .prefixedNo,
          help: "Freeze a running container while its layer is read.") var pause = true
    @Argument(help: "The container (name or id).") var container: String
    @Argument(help: "The new image's name, REPOSITORY[:TAG].") var name: String?

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            let reference = try name.map(ImageCommandSupport.reference)
            let image = try ContainerImages.commit(runtime, container: container, name: reference, comment: message,
                                                   pause: pause)
            Terminal.line(image.id)
            if context.level != .quiet {
                let upper = runtime.store.paths(try runtime.store.resolveID(container)).upper
                Terminal.write(context.text("commit.note", [
                    "path": upper, "name": reference?.familiar ?? image.shortID,
                ]) + "\n", fd: 2)
            }
        }
    }
}
