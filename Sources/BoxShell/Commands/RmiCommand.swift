import ArgumentParser
import BoxBuild
import BoxImages

/// docker rmi [-f] IMAGE…: untags, and deletes an image once no name and
/// no container keeps it; layers other images share stay on disk.
struct RmiCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rmi", abstract: "Remove images (layers shared with other images stay).")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove even if a stopped container uses it, or it has several names.") var force = false
    @Flag(name: .customLong("no-prune"), help: "Do not delete untagged parents (intermediate build images).") var noPrune = false
    @Argument(help: "Images (name or id).") var images: [String]

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        var failed = false
        try ImageCommandSupport.reporting(context.text) {
            let results = try runtime.images.remove(images, force: force, prune: !noPrune,
                                                    users: ContainerImages.users(runtime))
            for result in results {
                switch result {
                case let .success(lines): for line in lines { Terminal.line(line) }
                case let .failure(message):
                    Terminal.error(message, context.text)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
