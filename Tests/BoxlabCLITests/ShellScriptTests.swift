import Foundation
import Testing

/// The shell without a terminal: scripts and pipes, as lessons and graders drive it.
@Suite("shell scripts and run --step")
struct ShellScriptTests {
    func script(_ lab: Boxlab, _ lines: [String]) throws -> String {
        let path = lab.root + "/script-\(UUID().uuidString).boxlab"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a script runs the commands with the CLI's output and stops at the first failure")
    func stopsAtFirstFailure() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let file = try script(lab, ["docker run --rm busybox echo one", "run --rm busybox sh -c 'exit 4'", "run --rm busybox echo never"])
        let result = try lab.run(["shell", "--script", file])
        #expect(result.status == 4)
        #expect(result.stdout.contains("one"))
        #expect(!result.stdout.contains("never"))
        #expect(result.stderr.contains("\(file):2"), "the failing line is named: \(result.stderr)")

        let going = try lab.run(["shell", "--script", file, "--keep-going"])
        #expect(going.stdout.contains("never"))
        #expect(going.status == 0)
    }

    @Test("piped stdin works like a script; a bad line names file:line:column")
    func pipedInput() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let ok = try lab.run(["shell"], stdin: "run -d --name p1 busybox sleep 30\nps\nrm -f p1\n")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("p1"))
        let bad = try lab.run(["shell"], stdin: "ps\necho 'unclosed\n")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("stdin:2:6"), "\(bad.stderr)")
        let unknown = try lab.run(["shell"], stdin: "frobnicate\n")
        #expect(unknown.status == 125)
    }

    @Test("builtins: narrate, lang, help, explain")
    func builtins() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let out = try lab.run(["shell"], stdin: "narrate deep\nlang ko\nhelp\nexplain namespaces\nhelp run\n")
        #expect(out.status == 0)
        #expect(out.stdout.contains("narration: deep"))
        #expect(out.stdout.contains("언어: ko"))
        #expect(out.stdout.contains("네임스페이스는"))
        #expect(out.stdout.contains("docker run"))
        #expect(out.stdout.contains("--pids-limit"))
    }

    @Test("exit [N] ends a script (the lines after it do not run); a bad N is an error; clear prints nothing")
    func exitInScripts() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let file = try script(lab, ["clear", "narrate", "exit 5", "narrate deep"])
        let result = try lab.run(["shell", "--script", file])
        #expect(result.status == 5)
        #expect(result.stdout == "narration is quiet (quiet, normal, deep)\n", "no escape codes off a terminal, nothing after exit")
        #expect(try lab.run(["shell"], stdin: "narrate\nexit\nnarrate deep\n").status == 0)
        let bad = try lab.run(["shell"], stdin: "exit 300\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("exit: 300: not a number from 0 to 255"), "\(bad.stderr)")
        #expect(try lab.run(["shell"], stdin: "quit 7\n").status == 7)
    }

    @Test("run --step walks every stage; inspect ns at a stage shows the new inodes")
    func stepThrough() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let file = try script(lab, [
            "run --step --name stepper busybox hostname",
            "continue",            // after clone
            "ls \(lab.root)/containers",
            "continue",            // after rootfs
            "continue",            // after pivot
            "inspect ns stepper",  // at ready: every namespace is new, the cgroup one included
            "ps -a",
            "continue",
        ])
        let result = try lab.run(["shell", "--script", file])
        #expect(result.status == 0, "\(result.stderr)")
        for stage in ["cloned", "rootfs", "pivot", "ready"] {
            #expect(result.stderr.contains("\"\(stage)\""), "paused at \(stage)")
        }
        let nsLines = result.stdout.split(separator: "\n").filter { $0.contains("isolated") || $0.contains("shared") }
        #expect(nsLines.count == 6)
        #expect(nsLines.allSatisfy { $0.contains("isolated") }, "\(nsLines)")
        #expect(result.stdout.contains("stepper"), "ps works while paused")
        #expect(try lab.state("stepper")["Status"] as? String == "exited")
    }

    @Test("abort at a stage leaves no mount, cgroup or state")
    func abortLeavesNothing() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let file = try script(lab, ["run --step --name gone busybox sleep 30", "ps -aq --no-trunc", "continue", "continue", "abort"])
        let result = try lab.run(["shell", "--script", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("abort"))
        let containers = (try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers")) ?? []
        #expect(containers.filter { !$0.hasPrefix(".") }.isEmpty, "\(containers)")
        #expect(!hostFile("/proc/self/mountinfo").contains(lab.root))
        let id = result.stdout.split(separator: "\n").first { $0.count == 64 }.map(String.init) ?? ""
        #expect(id.count == 64, "the id was listed while paused")
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/boxlab/\(id)"), "no cgroup left")
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty)
    }
}
