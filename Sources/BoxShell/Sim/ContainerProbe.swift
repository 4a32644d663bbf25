#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxCgroups
import BoxOS
import BoxRuntime
import BoxSim

/// Starts the workload as real containers through BoxRuntime, reads the
/// kernel's evidence about them, and removes them again (also on error or
/// Ctrl-C), so nothing is left: no state, no cgroup.
struct ContainerProbe: ContainerMeasuring {
    let runtime: Runtime

    static let image = "busybox"

    func measure(workload: Workload, instances: Int, memoryLimit: Int64?) throws -> ContainerMeasurement {
        Interrupts.install()
        Interrupts.drain()
        var ids: [String] = []
        defer { for id in ids { try? runtime.remove(id, force: true, events: .none) } }
        // The embedded image is built on first use: not part of a start.
        if (try? runtime.images.resolve(Self.image)) == nil { _ = try runtime.images.ensureDefaultImage() }
        var starts: [Double] = []
        var evidence = Self.FirstEvidence()
        for index in 0..<instances {
            if Interrupts.pending() { throw RuntimeError.aborted }
            var options = CreateOptions(image: Self.image)
            options.command = workload.argv
            options.memoryBytes = memoryLimit
            // Timed: create (state, directories) + start (cgroup, clone,
            // overlay, pivot_root) until the workload has been exec'd.
            let begin = Clock.monotonicNanos()
            let created = try runtime.create(options, events: .none)
            ids.append(created.id)
            try runtime.start(created.id, attachment: .detached, events: .none)
            starts.append(Double(Clock.monotonicNanos() - begin) / 1_000_000)
            // Read at once: a short workload may be gone a moment later.
            if index == 0 { evidence = Self.FirstEvidence.read(runtime: runtime, id: created.id) }
        }
        let rss = workload.longRunning ? ids.map { Self.sampleRSS(runtime: runtime, id: $0) } : ids.map { _ in nil }
        let kernel: String?
        if workload.longRunning {
            kernel = try Self.unameInside(runtime: runtime, id: ids[0])
        } else {
            kernel = Self.helloKernel(runtime: runtime, id: ids[0])
        }
        let image = try runtime.images.resolve(Self.image)
        return ContainerMeasurement(
            image: Self.image, startMs: starts, rssBytes: rss, imageBytes: image.layers.reduce(0) { $0 + $1.size },
            namespacesDiffering: evidence.differing, namespacesTotal: evidence.total,
            kernelRelease: kernel ?? ProcFS.kernelRelease(), seccompMode: evidence.seccomp,
            memoryLimitBytes: evidence.memoryLimit)
    }

    /// What is read from the first container right after it starts.
    struct FirstEvidence {
        var differing: [String] = []
        var total = 0
        var seccomp: Int?
        var memoryLimit: Int64?

        static func read(runtime: Runtime, id: String) -> FirstEvidence {
            var result = FirstEvidence()
            guard let container = try? runtime.container(id) else { return result }
            let evidence = runtime.evidence(container)
            let namespaces = evidence.namespaces().filter { $0.container != nil }
            result.total = namespaces.count
            result.differing = namespaces.filter(\.isolated).map(\.kind)
            result.seccomp = evidence.status("Seccomp").flatMap { Int($0) }
            result.memoryLimit = evidence.memoryLimit()
            return result
        }
    }

    /// VmRSS summed over every process of the container's cgroup, once it
    /// has settled: two samples 20 ms apart agree (right after execve a
    /// process has touched only a couple of pages). Gives up after 1 s with
    /// the last sample.
    static func sampleRSS(runtime: Runtime, id: String) -> Int64? {
        guard let cgroup = try? runtime.cgroup(id) else { return nil }
        let deadline = Clock.monotonicMs() + 1000
        var last: Int64 = -1
        while true {
            var total: Int64 = 0
            for pid in cgroup.processes() {
                if let field = ProcFS.statusField(pid, "VmRSS"),
                   let kilobytes = field.split(separator: " ").first.flatMap({ Int64($0) }) {
                    total += kilobytes * 1024
                }
            }
            if total > 0 && total == last { return total }
            if Clock.monotonicMs() > deadline { return total > 0 ? total : nil }
            last = total
            usleep(20_000)
        }
    }

    /// `uname -r` run inside the container (exec: the container's
    /// namespaces, the host's kernel), its output read through a pipe.
    static func unameInside(runtime: Runtime, id: String) throws -> String? {
        let pipe = try Processes.pipe(stage: "compare")
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(pipe.read); if null >= 0 { close(null) } }
        let code = try runtime.exec(id, ExecOptions(command: ["uname", "-r"]),
                                    attachment: .attached(stdin: null, stdout: pipe.write, stderr: null))
        close(pipe.write)
        let output = String(decoding: try FS.readAll(fd: pipe.read, stage: "compare"), as: UTF8.self)
        let release = output.trimmingCharacters(in: " \n")
        return code == 0 && !release.isEmpty ? release : nil
    }

    /// `hello` prints "hello from RELEASE": its log has the kernel it saw.
    static func helloKernel(runtime: Runtime, id: String) -> String? {
        _ = try? runtime.wait(id)
        guard let pipe = try? Processes.pipe(stage: "compare") else { return nil }
        defer { close(pipe.read) }
        _ = try? runtime.logs(id, follow: false, to: pipe.write)
        close(pipe.write)
        let log = String(decoding: (try? FS.readAll(fd: pipe.read, stage: "compare")) ?? [], as: UTF8.self)
        return log.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
    }
}
