import BoxImages
import BoxOS
import BoxRuntime

/// Image operations that need containers: build (RUN steps), commit and
/// diff (a container's read-write layer), and rmi/prune (which containers
/// use which image).
public enum ContainerImages {
    /// Every container as `rmi` and the layer garbage collector see it.
    public static func users(_ runtime: Runtime) -> [ImageUser] {
        runtime.allContainers().map { container in
            ImageUser(containerID: container.id, imageID: container.config.imageID,
                      running: container.state.status.hasProcess,
                      layerPaths: container.config.layerPaths)
        }
    }

    /// FROM's lookup: a local image (the store makes the built-in busybox on first use).
    public static func resolveBase(_ runtime: Runtime, _ name: String) throws -> ResolvedImage {
        try runtime.images.resolve(name)
    }

    /// docker build: parses `boxfile` and builds it in `context`.
    @discardableResult
    public static func build(
        _ runtime: Runtime, boxfile: Boxfile, context: String, tags: [ImageReference], noCache: Bool,
        runner: BuildStepRunner, interrupted: @escaping () -> Bool = { false }, emit: @escaping (BuildEvent) -> Void
    ) throws -> ResolvedImage {
        var builder = ImageBuilder(store: runtime.images, runner: runner,
                                   resolveBase: { try resolveBase(runtime, $0) }, emit: emit)
        builder.interrupted = interrupted
        return try builder.build(boxfile, context: context, tags: tags, noCache: noCache)
    }

    /// docker commit: the container's read-write layer on top of its image.
    /// A running container is frozen meanwhile (docker's --pause), so the
    /// layer is a consistent snapshot.
    public static func commit(_ runtime: Runtime, container reference: String, name: ImageReference?, comment: String?,
                              pause: Bool = true) throws -> ResolvedImage {
        let container = try runtime.container(reference)
        guard FS.isDirectory(container.paths.upper) else {
            throw ImageError("image.noUpper", ["container": container.config.shortID, "path": container.paths.upper])
        }
        let freeze = pause && container.state.status == .running
        if freeze { try runtime.pause(container.id) }
        defer { if freeze { try? runtime.unpause(container.id) } }
        guard let base = try? runtime.images.resolve(container.config.imageID) else {
            throw ImageError("image.baseGone", ["container": container.config.shortID,
                                                  "id": String(ContentDigest.hex(container.config.imageID).prefix(12))])
        }
        let settings = ImageStore.CommitSettings(
            env: container.config.env, cmd: container.config.command, entrypoint: container.config.entrypoint,
            workingDir: container.config.workingDir)
        return try runtime.images.commit(upper: container.paths.upper, base: base, settings: settings, name: name,
                                         comment: comment)
    }

    /// docker diff: A/C/D lines from the container's read-write layer.
    public static func diff(_ runtime: Runtime, container reference: String) throws -> [FileChange] {
        let container = try runtime.container(reference)
        guard FS.isDirectory(container.paths.upper) else {
            throw ImageError("image.noUpper", ["container": container.config.shortID, "path": container.paths.upper])
        }
        return try ContainerChanges.changes(upper: container.paths.upper, lowerBaseFirst: container.config.layerPaths)
    }
}
