#if canImport(Glibc)
import Glibc
#endif
import BoxCgroups
import BoxOS
import CBoxShim

/// What `exec` takes from the command line.
public struct ExecOptions: Sendable {
    public var command: [String]
    public var env: [String] = []
    public var workingDir: String? = nil
    public var tty = false
    public var interactive = false
    public var detach = false
    /// -u/--user; nil = the container's user.
    public var user: String? = nil

    public init(command: [String]) { self.command = command }
}

extension Runtime {
    /// docker exec: the shim enters the container's namespaces with setns
    /// (it must: setns(CLONE_NEWNS) refuses a threaded caller like Swift),
    /// forks into its pid namespace, boxlab joins the new process to the
    /// container's cgroup, and the command runs with the container's caps.
    /// Returns the command's exit code (nil when detached).
    public func exec(_ reference: String, _ options: ExecOptions, attachment: Attachment) throws -> Int32? {
        let container = try container(reference)
        guard container.state.status == .running else {
            if container.state.status == .paused {
                throw RuntimeError.wrongState(id: container.id, operation: "exec in",
                                              state: "paused, unpause the container before exec")
            }
            throw RuntimeError.wrongState(id: container.id, operation: "exec in", state: "not running")
        }
        guard !options.command.isEmpty else {
            throw RuntimeError.invalidArgument(flag: "COMMAND", value: "", reason: "exec needs a command")
        }
        for value in options.command + options.env { try ShimSpec.validate(value, flag: "COMMAND") }
        let user = try resolveUser(options.user ?? container.config.user, config: container.config, paths: container.paths)
        let cg = try cgroup(container.id)
        var spec = ShimSpec()
        spec.add("pid", String(container.state.pid))
        spec.add("namespaces", "ipc,uts,net,pid,cgroup,mnt")
        spec.add("arg", all: options.command)
        spec.add("env", all: Self.processEnvironment(mergeEnvironment(image: container.config.env, options: options.env),
                                                     hostname: container.config.hostname, tty: options.tty, home: user.home))
        Self.addUser(user, to: &spec)
        spec.add("cwd", options.workingDir ?? container.config.workingDir)
        spec.add("caps", String(SecurityDefaults.capabilityMask(allowMknod: cg.confinesDevices), radix: 16))
        spec.flag("nnp", true)
        spec.flag("tty", options.tty)
        spec.flag("stdin", options.interactive)
        spec.flag("detach", options.detach)
        spec.flag("step", true)  // waits after the fork (cgroup join) and before execve
        let specPath = container.paths.directory + "/exec-\(getpid())-\(Clock.monotonicNanos()).spec"
        try FS.writeAtomically(specPath, spec.bytes, mode: 0o600, stage: "exec")
        defer { try? FS.removeFile(specPath) }

        let session = try ShimSession(shim: try ShimLocator.path(environment: environment), mode: "exec",
                                      specPath: specPath, stdio: try stdio(for: attachment))
        var conversation = ShimConversation(channel: session, party: ExecParty(cgroup: cg, detach: options.detach),
                                            argv: options.command)
        try conversation.run()
        session.closeControl()
        let shimStatus = try session.reap()
        if let failure = conversation.failure, !conversation.started { throw failure }
        if options.detach { return nil }
        if let exitStatus = conversation.exitStatus { return Processes.exitCode(fromWaitStatus: exitStatus) }
        return Processes.exitCode(fromWaitStatus: shimStatus)
    }
}

/// exec's side: join the cgroup, let every stage go on, and stop at EXEC
/// when detached (the command outlives us) or at EXITED.
struct ExecParty: ShimParty {
    let cgroup: any CgroupManager
    let detach: Bool

    func cloned(pid: Int32) throws -> ShimReply {
        try cgroup.join(pid: pid)
        return .answer(.continue)
    }

    func stage(_ stage: UInt32, pid: Int32) -> ShimReply { .answer(.continue) }

    func exec(pid: Int32) -> ShimReply { ShimReply(ends: detach) }

    func exited(status: Int32) -> ShimReply { .answer(.done, ends: true) }
}
