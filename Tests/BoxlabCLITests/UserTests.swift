import Foundation
import Testing

/// USER in a Boxfile and --user: the process really runs as that user, and
/// the environment has what docker always sets (HOSTNAME, HOME).
@Suite("user: USER, --user, HOME and HOSTNAME")
struct UserTests {
    func build(_ lab: Boxlab, _ tag: String, user: String) throws {
        let context = try ImageTests.Context(lab, ["Boxfile": "FROM busybox\nUSER \(user)\nCMD [\"sh\", \"-c\", \"id -u; id -g; echo $HOME\"]\n"])
        let result = try lab.run(["build", "-t", tag, context.path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("an image with USER nobody or USER 1000:1000 runs as that user unless --user overrides it")
    func imageUser() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try build(lab, "as-nobody", user: "nobody")
        try build(lab, "as-1000", user: "1000:1000")
        #expect(try lab.ok(["run", "--rm", "as-nobody"]) == "65534\n65534\n/home")
        #expect(try lab.ok(["run", "--rm", "as-1000"]) == "1000\n1000\n/")
        #expect(try lab.ok(["run", "--rm", "--user", "0", "as-nobody"]) == "0\n0\n/root")
        #expect(try lab.ok(["run", "--rm", "-u", "nobody:root", "busybox", "id"]) == "uid=65534(nobody) gid=0(root)")
        let inspect = try lab.run(["create", "--name", "c", "as-1000"])
        #expect(inspect.status == 0)
        #expect(try lab.ok(["inspect", "-f", "{{.Config.User}}", "c"]) == "1000:1000")
    }

    @Test("a user a RUN step added is found, with the groups that list it (setgroups)")
    func addedUserAndGroups() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        // Debian's busybox-static has no adduser applet: write the entries as adduser would.
        let boxfile = """
            FROM busybox
            RUN echo 'dev:x:1234:1234::/home/dev:/bin/sh' >> /etc/passwd && echo 'dev:x:1234:' >> /etc/group && echo 'team:x:777:dev' >> /etc/group
            USER dev
            """
        let context = try ImageTests.Context(lab, ["Boxfile": boxfile])
        let result = try lab.run(["build", "-t", "dev", context.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try lab.ok(["run", "--rm", "dev", "sh", "-c", "id -u; id -G; echo $HOME"]) == "1234\n1234 777\n/home/dev")
    }

    @Test("a user the image lacks is exit 125 naming the user and the image")
    func missingUser() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let result = try lab.run(["run", "--rm", "--user", "nosuch", "busybox", "true"])
        #expect(result.status == 125)
        #expect(result.stderr.contains("unable to find user nosuch") && result.stderr.contains("busybox"), "\(result.stderr)")
        #expect(try lab.ok(["ps", "-aq"]).isEmpty, "--rm removes it")
        let group = try lab.run(["run", "--rm", "--user", "root:nosuch", "busybox", "true"])
        #expect(group.status == 125 && group.stderr.contains("unable to find group nosuch"), "\(group.stderr)")
    }

    @Test("HOSTNAME and HOME are set as docker sets them; CMD echo $HOME prints /root")
    func environment() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let env = try lab.ok(["run", "--name", "e", "--hostname", "box1", "busybox", "env"]).split(separator: "\n").map(String.init)
        #expect(env.contains("HOSTNAME=box1") && env.contains("HOME=/root"), "\(env)")
        #expect(try lab.ok(["run", "--rm", "-e", "HOME=/elsewhere", "busybox", "sh", "-c", "echo $HOME"]) == "/elsewhere")
        #expect(try lab.ok(["run", "--rm", "busybox", "sh", "-c", "echo $HOME"]) == "/root")
    }

    @Test("exec runs as the container's user, or as -u")
    func execUser() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try build(lab, "as-nobody", user: "nobody")
        try lab.ok(["run", "-d", "--name", "svc", "as-nobody", "sleep", "100"])
        #expect(try lab.ok(["exec", "svc", "id", "-u"]) == "65534")
        #expect(try lab.ok(["exec", "-u", "root", "svc", "sh", "-c", "id -u; echo $HOME"]) == "0\n/root")
    }
}
