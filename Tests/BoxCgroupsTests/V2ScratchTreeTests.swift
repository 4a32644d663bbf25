import Testing
#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxCgroups

/// v2 against a plain directory laid out like the unified hierarchy: the
/// test writes what the kernel would have made, runs the manager, and reads
/// back exactly what it wrote.
@Suite("cgroup v2 on a scratch tree")
struct V2ScratchTreeTests {
    func manager(_ tree: ScratchTree, id: String = "c1", parent: String = "boxlab") throws -> any CgroupManager {
        var manager = try CgroupDriver(version: .v2, mountRoot: tree.root).manager(id: id, parent: parent)
        manager.waitTimeoutMs = 100
        return manager
    }

    @Test("create switches controllers on down the tree and writes each limit")
    func createWritesLimits() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n")
        try tree.put("cgroup.subtree_control", "")
        let manager = try manager(tree)
        #expect(!manager.exists())

        try manager.create(limits: CgroupLimits(memoryBytes: 33_554_432, pidsMax: 100, cpus: 1.5))

        #expect(manager.exists())
        #expect(tree.text("cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(tree.text("boxlab/cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(tree.text("boxlab/c1/memory.max") == "33554432")
        #expect(tree.text("boxlab/c1/pids.max") == "100")
        #expect(tree.text("boxlab/c1/cpu.max") == "150000 100000")
        #expect(!tree.exists("boxlab/c1/memory.swap.max"), "swap.max is written only where the kernel made it")
        #expect(!tree.exists("boxlab/c1/cgroup.subtree_control"))

        let files = manager.limitFiles()
        #expect(files.map(\.path) == ["memory.max", "pids.max", "cpu.max"].map { tree.root + "/boxlab/c1/" + $0 })
        #expect(files.map(\.value) == ["33554432", "100", "150000 100000"])
        #expect(manager.paths == [tree.root + "/boxlab/c1"])
    }

    @Test("controllers already on are not written again; missing ones are added")
    func subtreeControlAsNeeded() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        try tree.put("cgroup.subtree_control", "cpu memory pids\n")
        try tree.put("boxlab/cgroup.controllers", "cpu memory pids\n")
        try tree.put("boxlab/cgroup.subtree_control", "memory\n")
        try manager(tree).create(limits: CgroupLimits())
        #expect(tree.text("cgroup.subtree_control") == "cpu memory pids\n", "untouched")
        #expect(tree.text("boxlab/cgroup.subtree_control") == "+cpu +pids")
        #expect(tree.exists("boxlab/c1"))
    }

    @Test("only controllers the root offers are requested")
    func onlyOffered() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "memory pids\n")
        try manager(tree).create(limits: CgroupLimits(memoryBytes: 8 << 20))
        #expect(tree.text("cgroup.subtree_control") == "+memory +pids")
    }

    @Test("nested parents get controllers at every level")
    func nestedParent() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree, parent: "lab/boxlab")
        try manager.create(limits: CgroupLimits(pidsMax: 7))
        #expect(tree.text("cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(tree.text("lab/cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(tree.text("lab/boxlab/cgroup.subtree_control") == "+cpu +memory +pids")
        #expect(tree.text("lab/boxlab/c1/pids.max") == "7")
        #expect(manager.name == "lab/boxlab/c1")
    }

    @Test("no limits: the kernel's defaults (max) are left alone")
    func noLimits() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        try manager(tree).create(limits: CgroupLimits())
        #expect(tree.exists("boxlab/c1"))
        #expect(try FS.list(tree.root + "/boxlab/c1").isEmpty)
    }

    @Test("memory.swap.max is set to 0 when the kernel offers it, making -m a hard cap")
    func swapOff() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        try tree.put("boxlab/c1/memory.swap.max", "max\n")  // as the kernel makes it at mkdir
        try tree.put("boxlab/c1/memory.max", "max\n")
        try manager(tree).create(limits: CgroupLimits(memoryBytes: 64 << 20))
        #expect(tree.text("boxlab/c1/memory.max") == "67108864")
        #expect(tree.text("boxlab/c1/memory.swap.max") == "0")
    }

    @Test("a limit whose controller is missing fails and leaves nothing behind")
    func missingController() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu pids\n")
        let manager = try manager(tree)
        #expect(throws: CgroupError.controllerMissing(controller: "memory", neededFor: "a memory limit (-m)")) {
            try manager.create(limits: CgroupLimits(memoryBytes: 8 << 20))
        }
        #expect(!tree.exists("boxlab"))
    }

    @Test("a failed write is a SysError of stage cgroup naming the file, and create rolls back")
    func failedWrite() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        try FS.makeDirectories(tree.root + "/boxlab/c1/pids.max", stage: "test")  // a directory: open fails EISDIR
        let error = #expect(throws: SysError.self) {
            try manager(tree).create(limits: CgroupLimits(pidsMax: 5))
        }
        #expect(error?.stage == "cgroup")
        #expect(error?.path == tree.root + "/boxlab/c1/pids.max")
        #expect(error?.errno == EISDIR)
    }

    @Test("join writes the pid to cgroup.procs")
    func join() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree)
        try manager.create(limits: CgroupLimits())
        // Our own pid: a scratch tree's cgroup.procs is never trusted for
        // signals, and boxlab never signals itself either.
        try manager.join(pid: getpid())
        #expect(tree.text("boxlab/c1/cgroup.procs") == "\(getpid())")
        #expect(manager.processes() == [getpid()])
        try manager.destroy()
        #expect(!tree.exists("boxlab"))
    }

    @Test("freeze writes cgroup.freeze 1 and waits for frozen 1 in cgroup.events; thaw the reverse")
    func freezeAndThaw() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree)
        try manager.create(limits: CgroupLimits())
        try tree.put("boxlab/c1/cgroup.events", "populated 1\nfrozen 1\n")
        try manager.freeze()
        #expect(tree.text("boxlab/c1/cgroup.freeze") == "1")
        #expect(manager.isFrozen())
        try tree.put("boxlab/c1/cgroup.events", "populated 1\nfrozen 0\n")
        try manager.thaw()
        #expect(tree.text("boxlab/c1/cgroup.freeze") == "0")
        #expect(!manager.isFrozen())
    }

    @Test("a freeze the kernel never confirms times out, says what it saw, and thaws back")
    func freezeTimesOut() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree)
        try manager.create(limits: CgroupLimits())
        try tree.put("boxlab/c1/cgroup.events", "populated 1\nfrozen 0\n")
        let started = Clock.monotonicMs()
        let error = #expect(throws: CgroupError.self) { try manager.freeze() }
        #expect(Clock.monotonicMs() - started < 2000, "bounded wait")
        let events = tree.root + "/boxlab/c1/cgroup.events"
        #expect(error == .timedOut(operation: "freeze", path: events, waitedMs: 100, lastSeen: "frozen 0"))
        #expect(error?.description == "cgroup: freeze did not complete within 100 ms: \(events) still shows \"frozen 0\"")
        #expect(tree.text("boxlab/c1/cgroup.freeze") == "0")
    }

    @Test("readings come from memory.events, memory.current and pids.current")
    func readings() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree)
        try manager.create(limits: CgroupLimits())
        #expect(manager.oomKillCount() == 0)
        #expect(manager.memoryUsage() == nil)
        try tree.put("boxlab/c1/memory.events", "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n")
        try tree.put("boxlab/c1/memory.current", "1458176\n")
        try tree.put("boxlab/c1/pids.current", "3\n")
        #expect(manager.oomKillCount() == 2)
        #expect(manager.memoryUsage() == 1_458_176)
        #expect(manager.pidsCurrent() == 3)
    }

    @Test("destroy removes the group and the empty parent, keeps a parent others use, and is idempotent")
    func destroy() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let first = try manager(tree, id: "c1")
        let second = try manager(tree, id: "c2")
        try first.create(limits: CgroupLimits(memoryBytes: 8 << 20, pidsMax: 10, cpus: 0.5))
        try second.create(limits: CgroupLimits(pidsMax: 10))

        try first.destroy()
        #expect(!first.exists())
        #expect(tree.exists("boxlab/c2"), "the other container's group stays")
        #expect(tree.exists("boxlab"), "the parent stays while another container uses it")

        try second.destroy()
        #expect(!tree.exists("boxlab"))
        #expect(tree.exists("cgroup.controllers"), "the root is never touched")

        try first.destroy()  // again: nothing there, no error
        try second.destroy()
    }

    @Test("destroy thaws a frozen group first")
    func destroyFrozen() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.put("cgroup.controllers", "cpu memory pids\n")
        let manager = try manager(tree)
        try manager.create(limits: CgroupLimits())
        try tree.put("boxlab/c1/cgroup.freeze", "1\n")
        try tree.put("boxlab/c1/cgroup.events", "populated 0\nfrozen 1\n")
        try manager.destroy()  // thaw times out on the scratch tree (no kernel), destroy carries on
        #expect(!tree.exists("boxlab"))
    }
}
