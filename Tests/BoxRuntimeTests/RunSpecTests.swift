import BoxNet
@testable import BoxRuntime
import Testing

/// The shim spec `start` writes: all policy is decided here, in Swift.
@Suite("runSpec: what the shim is told to build")
struct RunSpecTests {
    static let root = "/tmp/boxlab-runspec-test"
    let runtime = Runtime(root: RunSpecTests.root, environment: ["BOXLAB_SHIM": "/opt/boxlab-shim"])
    let root = ContainerUser(uid: 0, gid: 0, home: "/root")

    func spec(_ config: ContainerConfig, user: ContainerUser? = nil, detached: Bool = false,
              allowMknod: Bool = false) throws -> ShimSpec {
        try runtime.runSpec(config: config, paths: runtime.store.paths(config.id), user: user ?? root,
                            detached: detached, allowMknod: allowMknod)
    }

    @Test("none and bridge get their own net namespace", arguments: [NetworkMode.none, .bridge])
    func ownNetwork(mode: NetworkMode) throws {
        #expect(try spec(testConfig(network: mode)).values("namespaces") == ["pid,mnt,uts,ipc,net,cgroup"])
    }

    @Test("host shares the host's net namespace")
    func hostNetwork() throws {
        #expect(try spec(testConfig(network: .host)).values("namespaces") == ["pid,mnt,uts,ipc,cgroup"])
    }

    @Test("lower dirs: top layer first, a repeated layer once at its topmost place")
    func lowerDirs() throws {
        let config = testConfig(layers: ["/l/base", "/l/empty", "/l/app", "/l/empty"])
        #expect(try spec(config).values("lower") == ["/l/empty", "/l/app", "/l/base"])
    }

    @Test("the container's own files and directories come from its directory")
    func containerFiles() throws {
        let config = testConfig()
        let paths = runtime.store.paths(config.id)
        let made = try spec(config)
        #expect(made.values("id") == [config.id])
        #expect(made.values("rootfs") == [paths.rootfs])
        #expect(made.values("upper") == [paths.upper])
        #expect(made.values("work") == [paths.work])
        #expect(made.values("log") == [paths.log])
        #expect(made.values("exitfile") == [paths.exitFile])
        #expect(made.values("hostname") == ["host1"])
        #expect(made.values("reap").suffix(4) == ["--root", Self.root, "_reap", config.id])
    }

    @Test("binds: hostname, hosts, resolv.conf, then each -v in order, bind source or volume data")
    func binds() throws {
        try TempRoot.with { dir in
            let runtime = Runtime(root: dir, environment: [:])
            let config = testConfig(mounts: [
                MountSpec(kind: .bind, source: "/srv/data", destination: "/data", readOnly: true),
                MountSpec(kind: .volume, source: "cache", destination: "/cache", readOnly: false),
            ])
            let paths = runtime.store.paths(config.id)
            let made = try runtime.runSpec(config: config, paths: paths, user: root, detached: false, allowMknod: false)
            #expect(made.values("bind") == [
                "\(paths.hostnameFile)\n/etc/hostname\nrw", "\(paths.hostsFile)\n/etc/hosts\nrw",
                "\(paths.resolvConf)\n/etc/resolv.conf\nrw", "/srv/data\n/data\nro",
                "\(try runtime.volumes.dataPath("cache"))\n/cache\nrw",
            ])
        }
    }

    @Test("env: docker's PATH and HOSTNAME, TERM with -t, the container's own, HOME from the user")
    func environment() throws {
        let made = try spec(testConfig(env: ["PATH=/bin", "A=1"], tty: true),
                            user: ContainerUser(uid: 5, gid: 6, home: "/home/app"))
        #expect(made.values("env") == ["PATH=/bin", "HOSTNAME=host1", "TERM=xterm", "A=1", "HOME=/home/app"])
    }

    @Test("user: uid, gid and each supplementary group")
    func user() throws {
        let made = try spec(testConfig(), user: ContainerUser(uid: 1000, gid: 1001, additionalGids: [10, 50], home: "/"))
        #expect(made.values("uid") == ["1000"])
        #expect(made.values("gid") == ["1001"])
        #expect(made.values("group") == ["10", "50"])
    }

    @Test("--init: the shim is bind-mounted as /dev/init and runs the command under it")
    func withInit() throws {
        let made = try spec(testConfig(argv: ["sleep", "1"], useInit: true))
        #expect(made.values("init") == ["/opt/boxlab-shim"])
        #expect(made.values("arg") == [SecurityDefaults.initPath, "init", "--", "sleep", "1"])
    }

    @Test("without --init the command is PID 1 itself")
    func withoutInit() throws {
        let made = try spec(testConfig(argv: ["sleep", "1"]))
        #expect(made.values("init").isEmpty)
        #expect(made.values("arg") == ["sleep", "1"])
    }

    @Test("flags: no_new_privs always; tty, stdin and detach as asked")
    func flags() throws {
        let made = try spec(testConfig(tty: true), detached: true)
        #expect(made.values("nnp") == ["1"])
        #expect(made.values("tty") == ["1"])
        #expect(made.values("stdin") == ["0"])
        #expect(made.values("detach") == ["1"])
        #expect(try spec(testConfig()).values("detach") == ["0"])
    }

    @Test("caps: CAP_MKNOD only where the device cgroup confines mknod; masks and read-only paths always")
    func capsAndMasks() throws {
        let confined = try spec(testConfig(), allowMknod: true)
        #expect(confined.values("caps") == [String(SecurityDefaults.capabilityMask(allowMknod: true), radix: 16)])
        #expect(try spec(testConfig()).values("caps") == [String(SecurityDefaults.capabilityMask(allowMknod: false), radix: 16)])
        #expect(confined.values("mask") == SecurityDefaults.maskedPaths)
        #expect(confined.values("readonly") == SecurityDefaults.readonlyPaths)
        #expect(confined.values("device").count == SecurityDefaults.devices.count)
    }
}
