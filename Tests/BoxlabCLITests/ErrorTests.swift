import Foundation
import Testing

@Suite("clear errors, exit codes like docker")
struct ErrorTests {
    @Test("bad input: one line, exit 125, nothing left half-created")
    func badInput() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let unknown = try lab.run(["run", "--rm", "nosuchimage"])
        #expect(unknown.status == 125)
        #expect(unknown.stderr.contains("Unable to find image"))
        let memory = try lab.run(["run", "--rm", "-m", "lots", "busybox", "true"])
        #expect(memory.status == 125)
        #expect(memory.stderr.contains("lots") && memory.stderr.contains("memory"))
        let flag = try lab.run(["run", "--no-such-flag", "busybox"])
        #expect(flag.status == 125)
        let volume = try lab.run(["run", "-v", "relative", "busybox", "true"])
        #expect(volume.status == 125 && volume.stderr.contains("-v"))
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty, "no container was left behind")
    }

    @Test("missing command is 127, not executable is 126")
    func execFailures() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let missing = try lab.run(["run", "--rm", "busybox", "nosuchcommand"])
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("executable file not found"))
        let notExecutable = try lab.run(["run", "--rm", "busybox", "/etc/passwd"])
        #expect(notExecutable.status == 126)
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty)
        #expect(!hostFile("/proc/self/mountinfo").contains(lab.root))
    }

    @Test("a name in use, and removing a running container without -f")
    func conflicts() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "-d", "--name", "web", "busybox", "sleep", "30"])
        let again = try lab.run(["run", "-d", "--name", "web", "busybox", "sleep", "30"])
        #expect(again.status == 125 && again.stderr.contains("already in use"))
        let rm = try lab.run(["rm", "web"])
        #expect(rm.status != 0 && rm.stderr.contains("rm -f"))
        try lab.ok(["rm", "-f", "web"])
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty)
    }
}
