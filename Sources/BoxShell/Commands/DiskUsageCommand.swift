import ArgumentParser
import BoxImages
import BoxOS
import BoxRuntime

/// docker system df [-v]: what images, containers and volumes take on disk.
struct SystemDiskUsageCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "df", abstract: "Show how much disk space images, containers and volumes use.",
        discussion: """
            Sizes are measured on disk. Differences from docker: an image's size counts its stored blobs \
            (compressed layers, config, manifest) and its unpacked layers, since boxlab keeps both; the \
            Build Cache row is always 0, because boxlab's build cache is the intermediate images, counted \
            under Images.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show each image, container and volume.") var verbose = false

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ImageCommandSupport.reporting(context.text) {
            let usage = try DiskUsage.measure(runtime)
            if verbose { return verboseReport(usage) }
            let rows: [[String]] = [
                ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"],
                ["Images", String(usage.images.count), String(usage.images.filter { $0.containers > 0 }.count),
                 DiskUsage.human(usage.imagesSize), DiskUsage.reclaimable(usage.imagesReclaimable, of: usage.imagesSize)],
                ["Containers", String(usage.containers.count), String(usage.containers.filter(\.running).count),
                 DiskUsage.human(usage.containersSize),
                 DiskUsage.reclaimable(usage.containers.filter { !$0.running }.reduce(0) { $0 + $1.size }, of: usage.containersSize)],
                ["Local Volumes", String(usage.volumes.count), String(usage.volumes.filter { $0.links > 0 }.count),
                 DiskUsage.human(usage.volumesSize),
                 DiskUsage.reclaimable(usage.volumes.filter { $0.links == 0 }.reduce(0) { $0 + $1.size }, of: usage.volumesSize)],
                ["Build Cache", "0", "0", "0B", "0B"],
            ]
            Terminal.write(Table.render(rows, minimumWidth: 10))
        }
    }

    func verboseReport(_ usage: DiskUsage) {
        let now = Clock.nowNanos()
        var images = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS"]]
        for image in usage.images {
            let names = image.image.names.isEmpty ? [("<none>", "<none>")]
                : image.image.names.map { ($0.familiarRepository, $0.tag ?? "<none>") }
            for (repository, tag) in names {
                images.append([repository, tag, image.image.shortID, ImageCommandSupport.ago(image.image.createdNanos, now: now),
                               DiskUsage.human(image.size), DiskUsage.human(image.shared),
                               DiskUsage.human(image.size - image.shared), String(image.containers)])
            }
        }
        Terminal.line("Images space usage:\n")
        Terminal.write(Table.render(images, minimumWidth: 10))
        var containers = [["CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES"]]
        for entry in usage.containers {
            let container = entry.container
            containers.append([container.config.shortID, container.config.imageReference,
                               PsCommand.command(container.config.argv, truncate: true),
                               String(container.config.mounts.filter { $0.kind == .volume }.count), DiskUsage.human(entry.size),
                               Clock.humanDuration(nanos: now - container.config.createdNanos) + " ago",
                               PsCommand.status(container.state, now: now), container.name])
        }
        Terminal.line("\nContainers space usage:\n")
        Terminal.write(Table.render(containers, minimumWidth: 10))
        var volumes = [["VOLUME NAME", "LINKS", "SIZE"]]
        for volume in usage.volumes { volumes.append([volume.name, String(volume.links), DiskUsage.human(volume.size)]) }
        Terminal.line("\nLocal Volumes space usage:\n")
        Terminal.write(Table.render(volumes, minimumWidth: 10))
        Terminal.line("\nBuild cache usage: 0B\n")
        Terminal.write(Table.render([["CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED"]], minimumWidth: 10))
    }
}

/// Disk usage measured file by file: an image is its blobs and unpacked
/// layers (each file counted once however many images share it), a
/// container its read-write layer, a volume its directory.
struct DiskUsage {
    struct Image {
        var image: StoredImage
        var size: Int64
        var shared: Int64
        var containers: Int
    }

    struct ContainerUsage {
        var container: Container
        var size: Int64
        var running: Bool
    }

    struct Volume {
        var name: String
        var links: Int
        var size: Int64
    }

    /// The images `images` lists (intermediate build steps are counted in
    /// the total size but not listed).
    var images: [Image] = []
    var imagesSize: Int64 = 0
    /// What `system prune -a` would free: files only unused images hold.
    var imagesReclaimable: Int64 = 0
    var containers: [ContainerUsage] = []
    var volumes: [Volume] = []

    var containersSize: Int64 { containers.reduce(0) { $0 + $1.size } }
    var volumesSize: Int64 { volumes.reduce(0) { $0 + $1.size } }

    static func measure(_ runtime: Runtime) throws -> DiskUsage {
        var usage = DiskUsage()
        let all = runtime.allContainers()
        usage.containers = all.map { container in
            ContainerUsage(container: container, size: Int64(FS.diskUsage(container.paths.upper)),
                           running: container.state.status.hasProcess)
        }
        let store = runtime.images
        let stored = FS.exists(store.layout.indexPath) ? try store.images() : []
        // Every file an image holds, by path, measured once.
        var sizes: [String: Int64] = [:]
        var holders: [String: Int] = [:]
        func pieces(_ image: StoredImage) -> [String] {
            let blobs = [image.manifestDigest, image.id] + image.manifest.layers.map(\.digest)
            var paths = blobs.map { store.layout.blobsDirectory + "/" + ContentDigest.hex($0) }
                + image.config.diffIDs.map { store.layerPath($0) }
            paths = Array(Set(paths))
            for path in paths where sizes[path] == nil { sizes[path] = Int64(FS.diskUsage(path)) }
            return paths
        }
        var piecesOf: [String: [String]] = [:]
        for image in stored {
            piecesOf[image.id] = pieces(image)
            for path in piecesOf[image.id] ?? [] { holders[path, default: 0] += 1 }
        }
        usage.imagesSize = sizes.values.reduce(0, +)
        // Kept by prune -a: images a container uses, and the parents they are built on.
        var kept: Set<String> = []
        for container in all {
            var next: String? = container.config.imageID
            while let id = next, !kept.contains(id) {
                kept.insert(id)
                next = stored.first { $0.id == id }?.parent
            }
        }
        let keptPaths = Set(kept.flatMap { piecesOf[$0] ?? [] })
        usage.imagesReclaimable = sizes.filter { !keptPaths.contains($0.key) }.values.reduce(0, +)
        let parents = Set(stored.compactMap(\.parent))
        for image in stored where !image.names.isEmpty || !parents.contains(image.id) {
            let paths = piecesOf[image.id] ?? []
            usage.images.append(Image(
                image: image, size: paths.reduce(0) { $0 + (sizes[$1] ?? 0) },
                shared: paths.filter { (holders[$0] ?? 0) > 1 }.reduce(0) { $0 + (sizes[$1] ?? 0) },
                containers: all.filter { $0.config.imageID == image.id }.count))
        }
        let volumes = VolumeStore(root: runtime.root)
        for name in volumes.list().sorted() where !name.hasPrefix(".") {
            let links = all.filter { mountedVolumes([$0]).contains(name) }.count
            usage.volumes.append(Volume(name: name, links: links, size: Int64(FS.diskUsage(volumes.root + "/" + name))))
        }
        return usage
    }

    /// Names of the volumes these containers mount.
    static func mountedVolumes(_ containers: [Container]) -> Set<String> {
        Set(containers.flatMap { $0.config.mounts.filter { $0.kind == .volume }.map(\.source) })
    }

    static func human(_ bytes: Int64) -> String { ImageSize.human(bytes, digits: 4) }

    /// docker's RECLAIMABLE cell: "1.2MB (40%)", the share cut to a whole percent.
    static func reclaimable(_ bytes: Int64, of total: Int64) -> String {
        total > 0 ? "\(human(bytes)) (\(bytes * 100 / total)%)" : human(bytes)
    }
}
