import ArgumentParser
import BoxImages
import BoxOS

/// docker images [-a] [-q] [--no-trunc] [REPOSITORY[:TAG]]: one row per
/// name; images without a name show as <none> when nothing builds on them
/// (dangling), and with -a also the intermediate images of builds.
struct ImagesCommand: ContextCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "List images in the local store.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show all images, also the intermediate images of builds.") var all = false
    @Flag(name: .shortAndLong, help: "Only print image ids.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate image ids.") var noTrunc = false
    @Argument(help: "Only images of this repository (and tag).") var repository: String?

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            // The built-in image is made on first use of a fresh store.
            if !FS.exists(runtime.images.layout.indexPath) { _ = try runtime.images.ensureDefaultImage() }
            let images = try runtime.images.images()
            let filter = try repository.map(ImageCommandSupport.reference)
            let filterHasTag = repository.map { ($0.split(separator: "/").last ?? "").contains(":") } ?? false
            let parents = Set(images.compactMap(\.parent))
            var rows: [[String]] = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
            var ids: [String] = []
            var sizes: [String: Int64] = [:]
            let now = Clock.nowNanos()
            for image in images {
                var names: [(String, String)] = image.names.map { ($0.familiarRepository, $0.tag ?? "<none>") }
                if let filter {
                    names = image.names.filter { name in
                        name.repository == filter.repository && (!filterHasTag || name.tag == filter.tag)
                    }.map { ($0.familiarRepository, $0.tag ?? "<none>") }
                    if names.isEmpty { continue }
                } else if names.isEmpty {
                    if !all && parents.contains(image.id) { continue }  // an intermediate build step
                    names = [("<none>", "<none>")]
                }
                let id = ImageCommandSupport.displayID(image.id, noTrunc: noTrunc)
                if !ids.contains(id) { ids.append(id) }
                let size = image.config.diffIDs.reduce(Int64(0)) { $0 + runtime.images.layerContentSize($1, cache: &sizes) }
                for (repository, tag) in names {
                    rows.append([repository, tag, id, ImageCommandSupport.ago(image.createdNanos, now: now), ImageSize.human(size)])
                }
            }
            if quiet {
                for id in ids { Terminal.line(id) }
            } else {
                Terminal.write(Table.render(rows))
            }
        }
    }
}
