@testable import BoxRuntime
import Testing

/// USER / --user resolution as runc's libcontainer/user GetExecUser does
/// it, and the environment docker gives the process.
@Suite("container user: USER and --user against the container's passwd and group")
struct ContainerUserTests {
    static let passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/bin/false
        # a comment
        nobody:x:65534:65534:nobody:/home:/bin/false
        app:x:1000:1001::/srv/app:/bin/sh
        """
    static let group = """
        root:x:0:
        wheel:x:10:root,app
        nogroup:x:65534:
        app:x:1001:
        staff:x:50:app
        """

    func resolve(_ spec: String, passwd: String? = Self.passwd, group: String? = Self.group) -> Result<ContainerUser, ContainerUser.Missing> {
        ContainerUser.resolve(spec, passwd: passwd, group: group)
    }

    @Test("no user is root, with root's HOME and the groups that list root")
    func defaultIsRoot() {
        #expect(resolve("") == .success(ContainerUser(uid: 0, gid: 0, additionalGids: [10], home: "/root")))
    }

    @Test("a name gives its uid, primary gid, HOME and supplementary groups")
    func byName() {
        #expect(resolve("app") == .success(ContainerUser(uid: 1000, gid: 1001, additionalGids: [10, 50], home: "/srv/app")))
        #expect(resolve("nobody") == .success(ContainerUser(uid: 65534, gid: 65534, home: "/home")))
    }

    @Test("a uid with an entry is that entry; without one it is taken as is, gid 0, HOME /")
    func byUID() {
        #expect(resolve("1000") == .success(ContainerUser(uid: 1000, gid: 1001, additionalGids: [10, 50], home: "/srv/app")))
        #expect(resolve("4242") == .success(ContainerUser(uid: 4242, gid: 0, home: "/")))
        #expect(resolve("1000:1000") == .success(ContainerUser(uid: 1000, gid: 1000, home: "/srv/app")),
                "an explicit group replaces the primary gid and drops the supplementary groups")
    }

    @Test("a group by name or number; an unknown name is an error, an unknown number is taken")
    func groups() {
        #expect(resolve("root:nogroup") == .success(ContainerUser(uid: 0, gid: 65534, home: "/root")))
        #expect(resolve("app:777") == .success(ContainerUser(uid: 1000, gid: 777, home: "/srv/app")))
        #expect(resolve("app:nosuch") == .failure(.group("nosuch")))
    }

    @Test("an unknown name is an error; an image without passwd takes numbers only")
    func missing() {
        #expect(resolve("nosuch") == .failure(.user("nosuch")))
        #expect(resolve("nobody", passwd: nil, group: nil) == .failure(.user("nobody")))
        #expect(resolve("5:6", passwd: nil, group: nil) == .success(ContainerUser(uid: 5, gid: 6, home: "/")))
        #expect(resolve("-1") == .failure(.user("-1")))
        #expect(resolve("4294967295") == .failure(.user("4294967295")), "runc refuses ids above 2^31-1")
    }

    @Test("the process environment: PATH, HOSTNAME, TERM with -t, the container's own, then HOME")
    func environment() {
        let plain = Runtime.processEnvironment([SecurityDefaults.defaultPath], hostname: "abc", tty: false, home: "/root")
        #expect(plain == [SecurityDefaults.defaultPath, "HOSTNAME=abc", "HOME=/root"])
        let own = Runtime.processEnvironment(["PATH=/bin", "A=1", "HOSTNAME=mine", "HOME=/x"], hostname: "abc", tty: true, home: "/root")
        #expect(own == ["PATH=/bin", "HOSTNAME=mine", "TERM=xterm", "A=1", "HOME=/x"])
    }
}

@Suite("overlay lowerdir")
struct OverlayLowerDirTests {
    /// Two RUN steps that changed nothing share one layer directory;
    /// overlayfs refuses a directory twice in lowerdir (ELOOP).
    @Test("top first, each layer directory once, at its topmost place")
    func eachDirectoryOnce() {
        #expect(Runtime.overlayLowerDirs(["/l/base", "/l/empty", "/l/app", "/l/empty"]) == ["/l/empty", "/l/app", "/l/base"])
        #expect(Runtime.overlayLowerDirs(["/l/base"]) == ["/l/base"])
    }
}
