#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxBuild
import BoxImages
import BoxOS

/// docker build -t NAME[:TAG] [-f FILE] DIR, with docker's classic-builder
/// output. Each RUN runs in a real container (its output shown as it
/// comes); unchanged steps are found in the cache and say so.
struct BuildCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build an image from a Boxfile (Dockerfile syntax) and a directory of files.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("tag")], help: "Name the image NAME[:TAG] (may repeat).") var tags: [String] = []
    @Option(name: [.short, .customLong("file")], help: "The Boxfile (default DIR/Boxfile, else DIR/Dockerfile).") var file: String?
    @Flag(name: .customLong("no-cache"), help: "Run every step, even unchanged ones.") var noCache = false
    @Flag(name: .shortAndLong, help: "Print only the image id.") var quiet = false
    @Argument(help: "The build context: the directory COPY and ADD read from.") var context: String

    func run(context lab: CommandContext) throws {  // `context` is the build context here
        let runtime = try lab.makeRuntime()
        try ImageCommandSupport.reporting(lab.text) {
            let names = try tags.map(ImageCommandSupport.reference)
            let contextPath = Path.absolute(context)
            guard FS.isDirectory(contextPath) else {
                throw ImageError("build.contextNotDirectory", ["dir": context], exitCode: 1)
            }
            let (path, shown) = try boxfilePath(contextPath)
            let source: String
            do { source = try FS.readText(path, stage: "build") } catch let error as SysError {
                throw ImageError("build.unreadable", ["path": path, "reason": error.reason], exitCode: 1)
            }
            let boxfile = try BoxfileParser.parse(source, file: shown)
            for warning in boxfile.warnings { Terminal.write(lab.text(warning) + "\n", fd: 2) }
            if lab.level != .quiet && !quiet {
                Terminal.write(lab.text("build.note", ["name": names.first?.familiar ?? "IMAGE"]) + "\n", fd: 2)
            }
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { if null >= 0 { close(null) } }
            let image = try Attached.withForeground(tty: false) {
                let runner = ContainerStepRunner(runtime: runtime, stdout: quiet ? null : 1, stderr: quiet ? null : 2,
                                                 interruptFD: Interrupts.fd)
                return try ContainerImages.build(runtime, boxfile: boxfile, context: contextPath, tags: names,
                                                 noCache: noCache, runner: runner,
                                                 interrupted: { Interrupts.pending() }) { event in
                    if !quiet { Terminal.line(Self.line(event)) }
                }
            }
            if quiet { Terminal.line(image.id) }
        }
    }

    /// -f FILE as given (relative to the current directory, as docker), or
    /// DIR/Boxfile, else DIR/Dockerfile. Returns the path and the name
    /// errors show.
    func boxfilePath(_ contextPath: String) throws -> (String, String) {
        if let file { return (Path.absolute(file), file) }
        for name in ["Boxfile", "Dockerfile"] where FS.exists(contextPath + "/" + name) {
            return (contextPath + "/" + name, name)
        }
        throw ImageError("build.noBoxfile", ["dir": context], exitCode: 1)
    }

    /// docker's classic builder lines; "CACHED" marks a step taken from the cache.
    static func line(_ event: BuildEvent) -> String {
        switch event {
        case let .step(number, total, text): return "Step \(number)/\(total) : \(text)"
        case .usingCache: return " ---> Using cache (CACHED)"
        case let .runningIn(container): return " ---> Running in \(container)"
        case let .removingContainer(container): return "Removing intermediate container \(container)"
        case let .image(shortID): return " ---> \(shortID)"
        case let .built(shortID): return "Successfully built \(shortID)"
        case let .tagged(name): return "Successfully tagged \(name)"
        }
    }
}
