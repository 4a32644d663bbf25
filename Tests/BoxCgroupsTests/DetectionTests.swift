import Testing
import BoxCgroups

@Suite("Detecting v1 or v2 from the mount table")
struct DetectionTests {
    /// This machine's kind of hybrid layout (kernel 6.18): v1 controllers, an empty cgroup2 at unified.
    static let hybrid = """
        23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test("hybrid: v1, each controller where mountinfo says; the empty unified tree is ignored")
    func hybridIsV1() throws {
        let driver = try CgroupDriver.detect(mountInfo: Self.hybrid)
        #expect(driver.version == .v1)
        #expect(driver.controllerMounts == [
            "memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids", "cpu": "/sys/fs/cgroup/cpu",
            "freezer": "/sys/fs/cgroup/freezer", "devices": "/sys/fs/cgroup/devices",
        ])
    }

    @Test("co-mounted cpu,cpuacct is found by super options, not by guessing /sys/fs/cgroup/cpu")
    func coMounted() throws {
        let text = """
            25 21 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
            26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate
            27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:6 - cgroup cgroup rw,xattr,name=systemd
            30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct
            31 25 0:28 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,net_cls,net_prio
            32 25 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
            33 25 0:30 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,freezer
            34 25 0:31 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpuset,clone_children
            """
        let driver = try CgroupDriver.detect(mountInfo: text)
        #expect(driver.version == .v1)
        #expect(driver.controllerMounts["cpu"] == "/sys/fs/cgroup/cpu,cpuacct")
        #expect(driver.controllerMounts["pids"] == nil)
        #expect(driver.controllerMounts["devices"] == nil)
        let manager = try driver.manager(id: "abc")
        #expect(manager.paths == [
            "/sys/fs/cgroup/memory/boxlab/abc", "/sys/fs/cgroup/cpu,cpuacct/boxlab/abc",
            "/sys/fs/cgroup/freezer/boxlab/abc",
        ])
        #expect(!manager.confinesDevices)
    }

    @Test("the root itself a cgroup2 mount: v2")
    func unified() throws {
        let text = """
            22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            25 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """
        let driver = try CgroupDriver.detect(mountInfo: text)
        #expect(driver.version == .v2)
        #expect(driver.mountRoot == "/sys/fs/cgroup")
        let manager = try driver.manager(id: "abc")
        #expect(manager.version == .v2)
        #expect(manager.paths == ["/sys/fs/cgroup/boxlab/abc"])
        #expect(manager.name == "boxlab/abc")
        #expect(!manager.confinesDevices)
    }

    @Test("a custom root, with a trailing slash and an escaped space")
    func customRoot() throws {
        let text = "50 1 0:40 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n"
        let driver = try CgroupDriver.detect(mountRoot: "/mnt/my cgroups/", mountInfo: text)
        #expect(driver.version == .v2)
        #expect(driver.mountRoot == "/mnt/my cgroups")
    }

    @Test("v1 mounts outside the root are used when none are under it")
    func v1Elsewhere() throws {
        let text = "60 1 0:50 / /cg/memory rw - cgroup cgroup rw,memory\n"
        let driver = try CgroupDriver.detect(mountInfo: text)
        #expect(driver.controllerMounts == ["memory": "/cg/memory"])
    }

    @Test("no cgroups at all")
    func none() {
        let text = "22 1 0:21 / /sys rw - sysfs sysfs rw\n"
        let error = #expect(throws: CgroupError.self) { try CgroupDriver.detect(mountInfo: text) }
        #expect(error == .unavailable(mountRoot: "/sys/fs/cgroup"))
        #expect(error?.description.contains("no cgroup2 mount at /sys/fs/cgroup") == true)
    }

    @Test("names that would leave the tree are refused", arguments: ["", "..", "a/../b", "a//b", "/abs", "x/."])
    func badNames(name: String) {
        let driver = CgroupDriver(version: .v2, mountRoot: "/sys/fs/cgroup")
        #expect(throws: CgroupError.invalidName(name)) { try driver.manager(id: name) }
        #expect(throws: CgroupError.invalidName(name)) { try driver.manager(id: "ok", parent: name) }
    }

    @Test("this machine's own mount table parses")
    func ownMountTable() {
        // Detection either finds cgroups or says clearly there are none.
        do {
            let driver = try CgroupDriver.detect()
            #expect(driver.version == .v2 || !driver.controllerMounts.isEmpty)
        } catch {
            #expect(error is CgroupError)
        }
    }
}
