import Foundation
import Testing

/// Images for real: build (RUN in real containers, cache), intermediate
/// images, commit, history, diff, rmi and layer sharing, through the CLI.
@Suite("images: build, cache, commit, history, diff, rmi, layer sharing")
struct ImageTests {
    /// A build context under the lab's root.
    struct Context {
        let path: String

        init(_ lab: Boxlab, _ files: [String: String]) throws {
            path = lab.root + "/context-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for (name, text) in files { try write(name, text) }
        }

        func write(_ name: String, _ text: String) throws {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    static let boxfile = """
        FROM busybox
        COPY greeting.txt /greeting.txt
        RUN echo ran-step && cat /greeting.txt > /file && echo built >> /file
        """

    func blobs(_ lab: Boxlab) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/oci/blobs/sha256")) ?? []).filter { !$0.hasPrefix(".") }
    }

    /// Nothing of a build's RUN containers remains: no state dir, no cgroup, no mount.
    func expectNoContainersLeft(_ lab: Boxlab, sourceLocation: SourceLocation = #_sourceLocation) {
        let containers = ((try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/containers")) ?? [])
            .filter { !$0.hasPrefix(".") }
        #expect(containers.isEmpty, "container dirs left: \(containers)", sourceLocation: sourceLocation)
        #expect(!hostFile("/proc/self/mountinfo").contains(lab.root), "a mount under the root", sourceLocation: sourceLocation)
        for id in containers {
            for controller in ["memory", "pids", "freezer"] {
                #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\(controller)/boxlab/\(id)"),
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a 3-step Boxfile builds, runs, rebuilds from the cache, and rebuilds from a changed COPY on")
    func buildCacheAndRebuild() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try Context(lab, ["Boxfile": Self.boxfile, "greeting.txt": "hello\n"])

        let first = try lab.run(["build", "-t", "demo", context.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Step 1/3 : FROM busybox"))
        #expect(first.stdout.contains("Step 2/3 : COPY greeting.txt /greeting.txt"))
        #expect(first.stdout.contains("Step 3/3 : RUN echo ran-step"))
        #expect(first.stdout.contains(" ---> Running in "))
        #expect(Self.lines(first.stdout).contains("ran-step"), "RUN output reaches the terminal")
        #expect(first.stdout.contains("Successfully built "))
        #expect(first.stdout.contains("Successfully tagged demo:latest"))
        #expect(!first.stdout.contains("CACHED"))
        #expect(try lab.ok(["run", "--rm", "demo", "cat", "/file"]) == "hello\nbuilt")
        expectNoContainersLeft(lab)

        // Unchanged: every step after FROM comes from the cache; no RUN, no new blob.
        let blobsBefore = blobs(lab)
        let second = try lab.run(["build", "-t", "demo", context.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.components(separatedBy: "CACHED").count - 1 == 2, "\(second.stdout)")
        #expect(!second.stdout.contains("Running in"))
        #expect(!Self.lines(second.stdout).contains("ran-step"))
        #expect(blobs(lab).sorted() == blobsBefore.sorted())
        let id = first.stdout.components(separatedBy: "Successfully built ").last?.prefix(12)
        #expect(second.stdout.contains("Successfully built " + String(id ?? "?")))

        // One COPY source changed: step 2 and everything after it run again.
        try context.write("greeting.txt", "bonjour\n")
        let third = try lab.run(["build", "-t", "demo", context.path])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(!third.stdout.contains("CACHED"), "\(third.stdout)")
        #expect(Self.lines(third.stdout).contains("ran-step"))
        #expect(try lab.ok(["run", "--rm", "demo", "cat", "/file"]) == "bonjour\nbuilt")
        expectNoContainersLeft(lab)
    }

    @Test("history lists each step; running an intermediate image id goes back a layer")
    func historyAndIntermediateImages() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try Context(lab, ["Boxfile": Self.boxfile + "\nENV MODE=lab\nCMD [\"cat\", \"/file\"]\n",
                                        "greeting.txt": "hello\n"])
        try lab.ok(["build", "-t", "demo:v1", context.path])
        #expect(try lab.ok(["run", "--rm", "demo:v1"]) == "hello\nbuilt", "CMD is the image's default")

        let history = try lab.ok(["history", "demo:v1"]).components(separatedBy: "\n")
        #expect(history.first?.hasPrefix("IMAGE") == true)
        #expect(history.first?.contains("CREATED BY") == true && history.first?.contains("COMMENT") == true)
        #expect(history.count == 6, "header + CMD, ENV, RUN, COPY, busybox: \(history)")
        #expect(history[1].contains("CMD [\"cat\", \"/file\"]"))
        #expect(history[3].contains("/bin/sh -c echo ran-step"))
        #expect(history[4].contains("COPY greeting.txt /greeting.txt"))
        #expect(history[4].contains("6B"), "the COPY layer holds 6 bytes: \(history[4])")
        #expect(history[2].contains("0B"), "ENV makes no layer")

        let ids = try lab.ok(["history", "-q", "demo:v1"]).components(separatedBy: "\n")
        #expect(ids.count == 5 && !ids.contains("<missing>"), "every step is an image in the store: \(ids)")
        let copyStep = ids[3]
        #expect(try lab.ok(["run", "--rm", copyStep, "cat", "/greeting.txt"]) == "hello")
        let back = try lab.run(["run", "--rm", copyStep, "cat", "/file"])
        #expect(back.status != 0, "the COPY step's image is from before the RUN layer")

        let all = try lab.ok(["images", "-a"])
        #expect(all.contains("<none>"), "-a lists intermediate images")
        #expect(!(try lab.ok(["images"])).contains("<none>"), "intermediate images are hidden without -a")
        #expect(try lab.ok(["images", "-q", "demo"]).count == 12)
        expectNoContainersLeft(lab)
    }

    @Test("commit turns a container's changes into an image; N copies run from it; diff lists A/C/D")
    func commitAndDiff() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "--name", "work", "-e", "GREETING=hey", "busybox", "sh", "-c",
                    "echo kept > /state.txt; echo motd > /etc/motd; rm /etc/group; mkdir -p /srv/data"])
        let diff = try lab.ok(["diff", "work"]).components(separatedBy: "\n")
        #expect(diff == ["C /etc", "D /etc/group", "A /etc/motd", "A /srv", "A /srv/data", "A /state.txt"], "\(diff)")

        let id = try lab.ok(["commit", "-m", "saved state", "work", "snap:v1"])
        #expect(id.hasPrefix("sha256:") && id.count == 71)
        for _ in 0..<3 {
            #expect(try lab.ok(["run", "--rm", "snap:v1", "cat", "/state.txt"]) == "kept")
        }
        #expect(try lab.ok(["run", "--rm", "snap:v1", "sh", "-c", "echo $GREETING; ls /etc/group 2>&1 || true"])
                .hasPrefix("hey"), "the container's Env is the image's")
        let history = try lab.ok(["history", "snap:v1"]).components(separatedBy: "\n")
        #expect(history[1].contains("boxlab commit") && history[1].contains("saved state"), "\(history)")
        let images = try lab.ok(["images"])
        #expect(images.contains("snap") && images.contains("v1"))
    }

    @Test("rmi refuses an image a container uses; -f cannot beat a running one; shared layers stay")
    func rmiRules() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try Context(lab, ["Boxfile": Self.boxfile, "greeting.txt": "hi\n"])
        try lab.ok(["build", "-t", "app", context.path])
        try lab.ok(["tag", "app", "app:copy"])
        #expect(try lab.ok(["images", "-q", "app"]).components(separatedBy: "\n").count == 1, "two names, one image")

        try lab.ok(["create", "--name", "user", "app", "true"])
        try lab.ok(["rmi", "app:copy"])  // another name remains: only untagged
        let refused = try lab.run(["rmi", "app"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("conflict: unable to remove repository reference \"app\" (must force) - container"),
                "\(refused.stderr)")

        let running = try lab.ok(["run", "-d", "app", "sleep", "60"])
        let forced = try lab.run(["rmi", "-f", "app"])
        #expect(forced.status != 0)
        #expect(forced.stderr.contains("(cannot be forced) - image is being used by running container \(running.prefix(12))"),
                "\(forced.stderr)")
        try lab.ok(["rm", "-f", running])
        try lab.ok(["rm", "user"])

        let layersBefore = try FileManager.default.contentsOfDirectory(atPath: lab.root + "/layers")
        let removed = try lab.ok(["rmi", "app"])
        #expect(removed.hasPrefix("Untagged: app:latest"))
        #expect(removed.components(separatedBy: "Deleted: sha256:").count - 1 == 2, "the RUN step's image and the COPY step's under it")
        let layersAfter = try FileManager.default.contentsOfDirectory(atPath: lab.root + "/layers")
        #expect(layersAfter.count == layersBefore.count - 2, "COPY and RUN layers gone")
        #expect(try lab.ok(["run", "--rm", "busybox", "echo", "ok"]) == "ok", "busybox's layer was shared and kept")
        #expect(try lab.ok(["images", "-q"]).components(separatedBy: "\n").count == 1)
    }

    @Test("a rebuild leaves the old image dangling; image prune removes it")
    func prune() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try Context(lab, ["Boxfile": "FROM busybox\nCOPY f /f\n", "f": "1\n"])
        try lab.ok(["build", "-t", "p", context.path])
        try context.write("f", "2\n")
        try lab.ok(["build", "-t", "p", context.path])
        #expect(try lab.ok(["images"]).contains("<none>"))
        let pruned = try lab.ok(["image", "prune", "-f"])
        #expect(pruned.contains("Deleted Images:") && pruned.contains("deleted: sha256:"), "\(pruned)")
        #expect(pruned.contains("Total reclaimed space: "))
        #expect(!(try lab.ok(["images", "-a"])).contains("<none>"))
        #expect(try lab.ok(["run", "--rm", "p", "cat", "/f"]) == "2")
    }

    @Test("build errors name FILE:LINE; a failing RUN leaves no container")
    func buildErrors() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let bad = try Context(lab, ["Boxfile": "FROM busybox\nRUN true\nFOO bar\n"])
        let unknown = try lab.run(["build", bad.path])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("Boxfile:3: unknown instruction: FOO"), "\(unknown.stderr)")
        #expect(!unknown.stdout.contains("Step"), "the whole file is checked before any step runs")

        let failing = try Context(lab, ["Dockerfile": "FROM busybox\nRUN echo partial > /x; exit 3\n"])
        let result = try lab.run(["build", "-t", "never", failing.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Dockerfile:2: The command '/bin/sh -c echo partial > /x; exit 3' returned a non-zero code: 3"),
                "\(result.stderr)")
        #expect(try lab.run(["images", "-q", "never"]).out.isEmpty)
        expectNoContainersLeft(lab)

        let outside = try Context(lab, ["Boxfile": "FROM busybox\nCOPY ../../etc/passwd /\n"])
        let escape = try lab.run(["build", outside.path])
        #expect(escape.stderr.contains("Boxfile:2: COPY failed: forbidden path outside the build context"), "\(escape.stderr)")
        let missing = try lab.run(["build", try Context(lab, [:]).path])
        #expect(missing.status != 0 && missing.stderr.contains("no Boxfile or Dockerfile"))
    }

    @Test("20 containers of one image share its layers: layer bytes on disk do not grow")
    func twentyContainersShareLayers() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try Context(lab, ["Boxfile": "FROM busybox\nCOPY blob.bin /blob.bin\nRUN cp /blob.bin /copy.bin\n",
                                        "blob.bin": String(repeating: "x", count: 256 * 1024)])
        try lab.ok(["build", "-t", "shared", context.path])
        let layersBefore = Self.diskBytes(lab.root + "/layers")
        let blobsBefore = blobs(lab).count
        var ids: [String] = []
        for _ in 0..<20 { ids.append(try lab.ok(["run", "-d", "shared", "sleep", "60"])) }
        #expect(Self.diskBytes(lab.root + "/layers") == layersBefore, "layer bytes grew with containers")
        #expect(blobs(lab).count == blobsBefore)
        var lowerDirs: Set<String> = []
        var upperBytes: Int64 = 0
        for id in ids {
            let data = ((try lab.inspect(id))["GraphDriver"] as? [String: Any])?["Data"] as? [String: Any]
            lowerDirs.insert(data?["LowerDir"] as? String ?? "?")
            upperBytes += Self.diskBytes(data?["UpperDir"] as? String ?? "/nonexistent")
        }
        #expect(lowerDirs.count == 1, "every container stacks the same layer directories")
        #expect(upperBytes < 20 * 16 * 1024, "the containers' own layers hold only their changes: \(upperBytes) bytes")
        try lab.ok(["rm", "-f"] + ids)
        #expect(Self.diskBytes(lab.root + "/layers") == layersBefore)
    }

    static func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    /// Bytes of disk (allocated blocks) of everything under `path`, not following links.
    static func diskBytes(_ path: String) -> Int64 {
        var total: Int64 = 0
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        total += Int64(st.st_blocks) * 512
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                total += diskBytes(path + "/" + name)
            }
        }
        return total
    }
}
