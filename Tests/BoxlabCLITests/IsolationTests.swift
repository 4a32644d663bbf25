import Foundation
import Testing

/// What a container is, proved from inside one.
@Suite("isolation, seen from inside a container")
struct IsolationTests {
    @Test("PID 1 is the command and host processes are invisible")
    func pidNamespace() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let out = try lab.ok(["run", "--rm", "busybox", "sh", "-c", "echo $$; ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '"])
        let lines = out.split(separator: "\n")
        #expect(lines.first == "1")
        let pids = lines.last?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(pids.contains(1))
        #expect(pids.count <= 6, "only the container's own processes are visible, saw \(pids)")
        #expect(pids.allSatisfy { $0 < 50 }, "pids are numbered from 1 in the new namespace: \(pids)")
    }

    @Test("hostname, kernel, root and namespaces")
    func hostnameKernelRootNamespaces() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let script = "hostname; uname -r; ls /bin/busybox; ls /opt 2>&1 | head -1; "
            + "for n in pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$n; done"
        let out = try lab.ok(["run", "--rm", "--hostname", "box1", "busybox", "sh", "-c", script])
        let lines = out.split(separator: "\n").map(String.init)
        var host = utsname()
        uname(&host)
        let release = withUnsafeBytes(of: host.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect((lines[safe: 0] ?? "") == "box1")
        #expect((lines[safe: 1] ?? "") == release, "the kernel is shared with the host")
        #expect((lines[safe: 2] ?? "") == "/bin/busybox", "/ is the image")
        #expect((lines[safe: 3] ?? "").contains("No such file"), "the host's /opt is not visible: \((lines[safe: 3] ?? ""))")
        let inside = Array(lines.suffix(6))
        for (index, kind) in ["pid", "mnt", "uts", "ipc", "net", "cgroup"].enumerated() {
            let hostLink = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(kind)")) ?? ""
            #expect((inside[safe: index] ?? "").hasPrefix(kind + ":["))
            #expect((inside[safe: index] ?? "") != hostLink, "\(kind) namespace differs from the host's")
        }
    }

    @Test("the default hostname is the short id")
    func defaultHostname() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["create", "busybox", "hostname"])
        let result = try lab.run(["start", "-a", id])
        #expect(result.out == String(id.prefix(12)))
    }

    @Test("writes go to the container's layer, never the image's")
    func copyOnWrite() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["create", "busybox", "sh", "-c", "echo changed > /etc/motd; rm /bin/vi; echo x > /newfile"])
        _ = try lab.run(["start", "-a", id])
        let info = try lab.inspect(id)
        let data = (info["GraphDriver"] as? [String: Any])?["Data"] as? [String: String] ?? [:]
        let upper = data["UpperDir"] ?? ""
        let lower = (data["LowerDir"] ?? "").split(separator: ":").map(String.init)
        #expect(FileManager.default.fileExists(atPath: upper + "/newfile"))
        #expect(hostFile(upper + "/etc/motd") == "changed\n")
        for layer in lower {
            #expect(!FileManager.default.fileExists(atPath: layer + "/newfile"))
            #expect(!FileManager.default.fileExists(atPath: layer + "/etc/motd"))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: layer + "/bin/vi")) != nil,
                    "the image still has /bin/vi")
        }
        // A new container from the same image sees the image unchanged.
        #expect(try lab.run(["run", "--rm", "busybox", "ls", "/newfile"]).status != 0)
    }

    @Test("capabilities are docker's default set, no_new_privs is on, mount is refused")
    func security() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let out = try lab.ok(["run", "--rm", "busybox", "sh", "-c",
                              "grep -E '^(CapEff|CapBnd|CapPrm|NoNewPrivs)' /proc/self/status; "
                              + "mount -t tmpfs none /mnt 2>/dev/null && echo mounted || echo refused; "
                              + "ls /dev | tr '\\n' ' '; echo; env"])
        #expect(out.contains("CapEff:\t00000000a80425fb"))
        #expect(out.contains("CapBnd:\t00000000a80425fb"))
        #expect(out.contains("NoNewPrivs:\t1"))
        #expect(out.contains("refused"))
        for device in ["null", "zero", "full", "random", "urandom", "tty", "pts", "shm"] {
            #expect(out.contains(device + " ") || out.contains(device + "\n"), "/dev/\(device)")
        }
        #expect(!out.contains("BOXLAB_ROOT"), "boxlab's environment does not leak in")
        #expect(!out.contains("BOXLAB_SHIM"))
    }

    @Test("no file descriptor of boxlab leaks in; /sys is read-only; /proc paths are masked")
    func descriptorsAndMasks() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let out = try lab.ok(["run", "--rm", "busybox", "sh", "-c",
                              "ls /proc/self/fd | tr '\\n' ' '; echo; touch /sys/x 2>&1 | head -1; "
                              + "cat /proc/kcore | wc -c; (echo 1 > /proc/sys/kernel/domainname) 2>&1 | head -1"])
        let lines = out.split(separator: "\n").map(String.init)
        let fds = (lines[safe: 0] ?? "").split(separator: " ").compactMap { Int($0) }
        #expect(fds.allSatisfy { $0 <= 3 }, "only stdio (and ls's own dir fd) are open: \(fds)")
        #expect((lines[safe: 1] ?? "").contains("Read-only"))
        #expect((lines[safe: 2] ?? "").trimmingCharacters(in: .whitespaces) == "0", "/proc/kcore is masked")
        #expect(lines.count > 3 && (lines[safe: 3] ?? "").contains("Read-only"), "/proc/sys is read-only")
    }
}
