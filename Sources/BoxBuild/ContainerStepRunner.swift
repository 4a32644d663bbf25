#if canImport(Glibc)
import Glibc
#endif
import BoxImages
import BoxOS
import BoxRuntime

/// Runs a build's RUN steps as real containers: `create` from the previous
/// step's image id, `start` attached (the command's output goes to the
/// terminal, as `docker build` shows it), then the builder reads the
/// container's upper dir and the container is removed with `rm -f`, which
/// takes its cgroup and state with it (its mounts lived in its own mount
/// namespace and ended with it).
///
/// This glue is the reason BoxBuild is a target of its own: BoxImages holds
/// the builder but cannot import BoxRuntime, which depends on BoxImages.
public struct ContainerStepRunner: BuildStepRunner {
    public let runtime: Runtime
    /// Where RUN output goes (the terminal's stdout and stderr).
    public let stdout: Int32
    public let stderr: Int32
    /// Ctrl-C arrives here (BoxOS.Interrupts.fd); the runtime then ends the step.
    public let interruptFD: Int32?

    public init(runtime: Runtime, stdout: Int32 = 1, stderr: Int32 = 2, interruptFD: Int32? = nil) {
        self.runtime = runtime
        self.stdout = stdout
        self.stderr = stderr
        self.interruptFD = interruptFD
    }

    public func createContainer(imageID: String, argv: [String]) throws -> String {
        var options = CreateOptions(image: imageID)
        options.entrypoint = []  // RUN ignores the image's ENTRYPOINT
        options.command = argv
        return try runtime.create(options, events: .none).id
    }

    public func startContainer(_ id: String) throws -> Int32 {
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        return try runtime.start(id, attachment: .attached(stdin: null, stdout: stdout, stderr: stderr),
                                 events: .none, interruptFD: interruptFD) ?? 0
    }

    public func upperDirectory(_ id: String) throws -> String {
        runtime.store.paths(id).upper
    }

    public func removeContainer(_ id: String) {
        try? runtime.remove(id, force: true, events: .none)
    }
}
