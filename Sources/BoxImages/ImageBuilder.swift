#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import Crypto

/// Runs RUN steps in real containers. BoxImages cannot see the runtime
/// (the runtime depends on it), so the build is given one; tests give a
/// fake that writes into a directory as a command would.
public protocol BuildStepRunner {
    /// Creates a container of image `imageID` to run `argv` (the image's
    /// ENTRYPOINT is not used, as docker's RUN); returns its id.
    func createContainer(imageID: String, argv: [String]) throws -> String
    /// Runs it in the foreground, output on the terminal; returns its exit code.
    func startContainer(_ id: String) throws -> Int32
    /// Its read-write layer: the step's changes.
    func upperDirectory(_ id: String) throws -> String
    /// Removes it and everything it made (cgroup, state, read-write layer).
    func removeContainer(_ id: String)
}

/// What a build reports, in order; the CLI prints them as docker's classic
/// builder does ("Step 2/5 : RUN …", " ---> Running in …", " ---> <id>").
public enum BuildEvent: Equatable, Sendable {
    case step(number: Int, total: Int, text: String)
    case usingCache
    case runningIn(container: String)
    case removingContainer(String)
    case image(shortID: String)
    case built(shortID: String)
    case tagged(String)
}

/// The Boxfile builder: each step makes an image from the previous one
/// (a layer for RUN, COPY and ADD; only a new config for the others), with
/// a history entry, a parent link and a cache key, so that an unchanged
/// step is found again instead of run, and every step's image can be run.
public struct ImageBuilder {
    public let store: ImageStore
    public let runner: BuildStepRunner
    /// FROM's lookup (the CLI's can make the built-in busybox image).
    public let resolveBase: (String) throws -> ResolvedImage
    public let emit: (BuildEvent) -> Void
    public var now: () -> Int64 = Clock.nowNanos
    /// Polled between steps: true stops the build (Ctrl-C).
    public var interrupted: () -> Bool = { false }

    public init(store: ImageStore, runner: BuildStepRunner, resolveBase: @escaping (String) throws -> ResolvedImage,
                emit: @escaping (BuildEvent) -> Void) {
        self.store = store
        self.runner = runner
        self.resolveBase = resolveBase
        self.emit = emit
    }

    /// The key under which a step's image is found again: the parent
    /// image, the instruction as written, and for COPY/ADD the digest of
    /// what is copied (contents and metadata, not mtimes).
    public static func cacheKey(parent: String?, instruction: String, content: String? = nil) -> String {
        var text = "boxlab-build-cache-v1\n" + (parent ?? "scratch") + "\n" + instruction
        if let content { text += "\n" + content }
        return ContentDigest.sha256(Array(text.utf8))
    }

    /// Builds `boxfile` with the files of `context`; names the result `tags`.
    @discardableResult
    public func build(_ boxfile: Boxfile, context: String, tags: [ImageReference] = [], noCache: Bool = false) throws -> ResolvedImage {
        guard FS.isDirectory(context) else { throw ImageError("build.contextNotDirectory", ["dir": context], exitCode: 1) }
        let buildContext = BuildContext(root: Path.absolute(context))
        var state = State(image: nil, config: ImageConfig(architecture: Platform.architecture(), os: "linux"))
        let total = boxfile.steps.count
        for (number, step) in boxfile.steps.enumerated() {
            if interrupted() { throw ImageError("build.interrupted", ["step": String(number + 1)], exitCode: 130) }
            emit(.step(number: number + 1, total: total, text: step.text))
            let workingDir = state.config.workingDir.isEmpty ? "/" : state.config.workingDir
            let instruction = try step.resolve(environment: state.config.env, workingDir: workingDir)
            if case let .from(name) = instruction {
                try from(name, step: step, state: &state)
                continue
            }
            var content: String?
            var plan: BuildContext.CopyPlan?
            if case let .copy(spec) = instruction {
                let stack = LayerStack(topFirst: (state.image?.layers ?? []).map(\.path).reversed())
                let made = try buildContext.plan(spec, keyword: step.keyword, location: step.location,
                                                 workingDir: workingDir, lower: stack, now: now() / 1_000_000_000)
                plan = made
                content = made.contentDigest
            }
            let key = Self.cacheKey(parent: state.image?.id, instruction: step.text, content: content)
            if !noCache, let cached = try store.cachedImage(key: key) {
                emit(.usingCache)
                state.image = cached
                state.config = cached.config
                if case .cmd = instruction { state.cmdSet = true }
                emit(.image(shortID: cached.shortID))
                continue
            }
            let made = try execute(instruction, step: step, plan: plan, key: key, buildContext: buildContext, state: &state)
            state.image = made
            state.config = made.config
            emit(.image(shortID: made.shortID))
        }
        guard let image = state.image else { throw ImageError("build.noImage", exitCode: 1) }
        emit(.built(shortID: image.shortID))
        for tag in tags {
            try store.tag(image.id, as: tag)
            emit(.tagged(tag.familiar))
        }
        return image
    }

    struct State {
        var image: ResolvedImage?
        var config: ImageConfig
        /// CMD set by this Boxfile (ENTRYPOINT clears an inherited CMD only).
        var cmdSet = false
    }

    private func from(_ name: String, step: BoxfileStep, state: inout State) throws {
        if name == "scratch" {
            state.image = nil
            state.config = ImageConfig(architecture: Platform.architecture(), os: "linux")
            return
        }
        do {
            let base = try resolveBase(name)
            state.image = base
            state.config = base.config
            emit(.image(shortID: base.shortID))
        } catch ImageError.notFound {
            throw ImageError.build("build.baseNotFound", step.location, ["image": ImageStore.displayName(name)])
        }
    }

    private func execute(_ instruction: Instruction, step: BoxfileStep, plan: BuildContext.CopyPlan?, key: String,
                         buildContext: BuildContext, state: inout State) throws -> ResolvedImage {
        let created = Clock.rfc3339(now())
        var config = state.config
        config.created = created
        switch instruction {
        case let .run(form):
            guard let image = state.image else { throw ImageError.build("build.runInScratch", step.location) }
            let layer = try run(form, in: image, step: step)
            config.diffIDs.append(layer.digest)
            config.history.append(ImageHistoryEntry(created: created, createdBy: form.createdBy))
            return try store.addImage(config: config, baseLayers: baseLayers(image), newLayer: layer,
                                      parent: image.id, cacheKey: key)
        case .copy:
            let layer = try store.writeLayerArchive { fd in try buildContext.write(plan!, to: fd) }
            config.diffIDs.append(layer.digest)
            config.history.append(ImageHistoryEntry(created: created, createdBy: step.text))
            return try store.addImage(config: config, baseLayers: state.image.map(baseLayers) ?? [], newLayer: layer,
                                      parent: state.image?.id, cacheKey: key)
        case let .env(pairs):
            for pair in pairs {
                config.env.removeAll { $0 == pair.key || $0.hasPrefix(pair.key + "=") }
                config.env.append(pair.key + "=" + pair.value)
            }
        case let .workdir(path):
            // Metadata only: the runtime makes the directory when a container starts there (docker -w does too).
            config.workingDir = path
        case let .cmd(form):
            config.cmd = form.argv
            state.cmdSet = true
        case let .entrypoint(form):
            config.entrypoint = form.argv
            if !state.cmdSet { config.cmd = nil }
        case let .label(pairs):
            for pair in pairs { config.labels[pair.key] = pair.value }
        case let .expose(ports):
            for port in ports where !config.exposedPorts.contains(port) { config.exposedPorts.append(port) }
        case let .user(user):
            config.user = user
        case .from:
            break
        }
        config.history.append(ImageHistoryEntry(created: created, createdBy: step.text, emptyLayer: true))
        return try store.addImage(config: config, baseLayers: state.image.map(baseLayers) ?? [], newLayer: nil,
                                  parent: state.image?.id, cacheKey: key)
    }

    /// A RUN step: a real container of `image`, its upper dir made a layer,
    /// the container removed whatever happens.
    /// Any failure names the step's line: a runtime error (the container
    /// could not be made or started) is wrapped with it.
    private func run(_ form: CommandForm, in image: ResolvedImage, step: BoxfileStep) throws -> ImageStore.NewLayer {
        func located(_ error: Error) -> Error {
            if error is ImageError { return error }
            return ImageError.build("build.runError", step.location, ["command": form.display, "error": "\(error)"])
        }
        let id: String
        do { id = try runner.createContainer(imageID: image.id, argv: form.argv) } catch { throw located(error) }
        emit(.runningIn(container: String(id.prefix(12))))
        let layer: ImageStore.NewLayer
        do {
            let code = try runner.startContainer(id)
            if code != 0 {
                throw ImageError.build("build.runFailed", step.location, ["command": form.display, "code": String(code)])
            }
            let upper = try runner.upperDirectory(id)
            layer = try store.writeLayerArchive { fd in try LayerArchiver().write(directory: upper, to: fd) }
        } catch {
            runner.removeContainer(id)
            throw located(error)
        }
        runner.removeContainer(id)
        emit(.removingContainer(String(id.prefix(12))))
        return layer
    }

    private func baseLayers(_ image: ResolvedImage) -> [OCIDescriptor] { image.layerDescriptors }
}

extension CommandForm {
    /// The history's "created by": docker's "/bin/sh -c …" for shell form.
    var createdBy: String { display }
}
