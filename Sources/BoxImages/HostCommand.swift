#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Runs a host program and collects its standard output (posix_spawn + a
/// pipe; stdin and stderr go to /dev/null). Used to ask the host's busybox
/// for its applet list and version banner.
enum HostCommand {
    struct Result {
        var status: Int32
        var output: [UInt8]
        var text: String { String(decoding: output, as: UTF8.self) }
    }

    static func run(_ path: String, _ arguments: [String]) throws -> Result {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        if null < 0 { throw SysError.current("image", "open", "/dev/null") }
        defer { close(null) }
        let pipe = try Processes.pipe(stage: "image")
        let pid: pid_t
        do {
            pid = try Processes.spawn(
                path, arguments: [path] + arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"],
                fds: [0: null, 1: pipe.write, 2: null], stage: "image")
        } catch {
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        let output: [UInt8]
        do {
            output = try FS.readAll(fd: pipe.read, stage: "image", path: path)
        } catch {
            close(pipe.read)
            _ = try? Processes.wait(pid, stage: "image")
            throw error
        }
        close(pipe.read)
        let status = try Processes.wait(pid, stage: "image")
        return Result(status: Processes.exitCode(fromWaitStatus: status), output: output)
    }
}
