#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

/// A RUN "container" without a kernel: each run writes the file its command
/// names (`touch-name PATH`) into a fresh upper dir, so the builder's
/// cache, layers, history and store bookkeeping can be tested anywhere.
final class FakeRunner: BuildStepRunner, @unchecked Sendable {
    let directory: String
    var created: [String] = []
    var removed: [String] = []
    var runs = 0
    var exitCode: Int32 = 0

    init(directory: String) { self.directory = directory }

    func createContainer(imageID: String, argv: [String]) throws -> String {
        let id = String(repeating: "c", count: 60) + String(format4(created.count))
        try FS.makeDirectories(directory + "/" + id + "/upper", stage: "test")
        try FS.write(directory + "/" + id + "/argv", Array(argv.joined(separator: "\n").utf8), flags: O_WRONLY | O_CREAT, stage: "test")
        created.append(id)
        return id
    }

    func startContainer(_ id: String) throws -> Int32 {
        runs += 1
        let argv = try FS.readText(directory + "/" + id + "/argv").split(separator: "\n").map(String.init)
        if let command = argv.last, command.hasPrefix("touch-name ") {
            let path = String(command.dropFirst("touch-name ".count))
            try FS.makeDirectories(Path.parent(directory + "/" + id + "/upper/" + path), stage: "test")
            try FS.write(directory + "/" + id + "/upper/" + path, Array("run \(runs)\n".utf8), flags: O_WRONLY | O_CREAT, stage: "test")
        }
        return exitCode
    }

    func upperDirectory(_ id: String) throws -> String { directory + "/" + id + "/upper" }

    func removeContainer(_ id: String) {
        removed.append(id)
        try? FS.removeTree(directory + "/" + id)
    }

    private func format4(_ n: Int) -> String {
        let text = String(n)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

@Suite("Builder: cache, layers, history, rmi (with a fake RUN)")
struct ImageBuilderTests {
    struct Lab {
        let root: String
        let store: ImageStore
        let runner: FakeRunner
        let context: String
        var events: [BuildEvent] = []

        init(_ root: String) throws {
            self.root = root
            store = ImageStore(root: root + "/state")
            runner = FakeRunner(directory: root + "/containers")
            context = root + "/context"
            try FS.makeDirectories(context + "/sub", stage: "test")
            try write("app.conf", "v1\n")
            try write("sub/data.txt", "data\n")
        }

        func write(_ name: String, _ text: String) throws {
            try FS.writeAtomically(context + "/" + name, text, stage: "test")
        }

        mutating func build(_ text: String, tag: String = "app:1") throws -> ResolvedImage {
            let boxfile = try BoxfileParser.parse(text, file: "Boxfile")
            var collected: [BuildEvent] = []
            let store = self.store
            let builder = ImageBuilder(store: store, runner: runner, resolveBase: { try store.resolve($0) }) { collected.append($0) }
            defer { events = collected }
            return try builder.build(boxfile, context: context, tags: [try ImageReference.parse(tag)])
        }

        var blobCount: Int { ((try? FS.list(store.layout.blobsDirectory)) ?? []).filter { !$0.hasPrefix(".") }.count }
        var layerCount: Int { ((try? FS.list(store.layersDirectory)) ?? []).count }
    }

    static let boxfile = """
        FROM scratch
        COPY app.conf /etc/app.conf
        COPY sub /srv/
        ENV MODE=test
        RUN touch-name /var/run-output
        WORKDIR /srv
        CMD ["cat", "/etc/app.conf"]
        """

    @Test func anUnchangedRebuildRunsNothingAndAddsNoBlob() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            let first = try lab.build(Self.boxfile)
            #expect(lab.runner.runs == 1)
            #expect(lab.runner.removed == lab.runner.created, "every RUN container is removed")
            #expect(first.config.cmd == ["cat", "/etc/app.conf"])
            #expect(first.config.workingDir == "/srv")
            #expect(first.config.env == ["MODE=test"])
            #expect(first.layers.count == 3)  // two COPYs and a RUN
            #expect(first.config.history.map(\.emptyLayer) == [false, false, true, false, true, true])
            #expect(first.config.history[3].createdBy == "/bin/sh -c touch-name /var/run-output")
            #expect(first.config.history[0].createdBy == "COPY app.conf /etc/app.conf")
            let blobs = lab.blobCount

            let second = try lab.build(Self.boxfile)
            #expect(second.id == first.id)
            #expect(lab.runner.runs == 1, "no RUN on a cached rebuild")
            #expect(lab.events.filter { $0 == .usingCache }.count == 6)
            #expect(lab.blobCount == blobs)
        }
    }

    @Test func changingOneCopiedFileRebuildsFromThatStepOn() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            let first = try lab.build(Self.boxfile)
            try lab.write("sub/data.txt", "changed\n")
            let second = try lab.build(Self.boxfile)
            #expect(second.id != first.id)
            #expect(lab.runner.runs == 2)
            // Step 2 (COPY app.conf) is cached; from step 3 (COPY sub) on everything runs again.
            let cached = lab.events.enumerated().filter { $0.element == .usingCache }.map(\.offset)
            #expect(cached.count == 1)
            #expect(second.layers[0] == first.layers[0], "the unchanged first layer is shared")
            #expect(second.layers[1].diffID != first.layers[1].diffID)
            // The first image lost its tag: a dangling <none> image now.
            let images = try lab.store.images()
            #expect(images.first { $0.id == first.id }?.names.isEmpty == true)
        }
    }

    @Test func copyLandsWhereDockerPutsIt() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            let image = try lab.build("FROM scratch\nCOPY app.conf sub /opt/\nCOPY app.conf /etc/renamed\nWORKDIR /w\nCOPY sub rel")
            let top = LayerStack(topFirst: image.layers.map(\.path).reversed())
            #expect(top.contains(["opt", "app.conf"]))
            #expect(top.contains(["opt", "data.txt"]), "a directory source copies its contents")
            #expect(!top.contains(["opt", "sub"]))
            #expect(top.contains(["etc", "renamed"]))
            #expect(top.contains(["w", "rel", "data.txt"]), "relative destinations start at WORKDIR")
            #expect(top.lookup(["opt", "app.conf"])?.status.uid == 0)
        }
    }

    @Test func copyNeverLeavesTheContext() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            try FS.symlink(target: "/etc", at: lab.context + "/escape", stage: "test")
            try FS.symlink(target: "../../..", at: lab.context + "/up", stage: "test")
            for (line, key) in [("COPY ../secret /", "build.sourceOutside"), ("COPY escape/passwd /", "build.sourceMissing"),
                                ("COPY up/etc/passwd /", "build.sourceMissing"), ("COPY nothere /", "build.sourceMissing"),
                                ("COPY app.conf sub/data.txt /notadir", "build.destinationNotDirectory"),
                                ("ADD http://example.com/x /", "build.remoteAdd")] {
                do {
                    _ = try lab.build("FROM scratch\n" + line)
                    Issue.record("built: \(line)")
                } catch let message as ImageError {
                    #expect(message.key == key, "\(line)")
                    #expect(message.values["location"] == "Boxfile:2")
                }
            }
        }
    }

    @Test func aFailingRunNamesTheCommandAndLeavesNoContainer() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            lab.runner.exitCode = 3
            do {
                _ = try lab.build("FROM scratch\nCOPY app.conf /\nRUN touch-name /x")
                Issue.record("built")
            } catch let message as ImageError {
                #expect(message.description == "Boxfile:3: The command '/bin/sh -c touch-name /x' returned a non-zero code: 3")
                #expect(message.exitCode == 1)
            }
            #expect(lab.runner.removed == lab.runner.created)
            #expect(((try? FS.list(lab.store.layout.blobsDirectory)) ?? []).allSatisfy { !$0.hasPrefix(".tmp") })
        }
    }

    @Test func historyShowsEachStepsImageAndRmiRemovesTheWholeBuild() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            let image = try lab.build(Self.boxfile)
            let rows = try lab.store.history("app:1")
            #expect(rows.count == 6)
            #expect(rows.first?.imageID == image.id)
            #expect(rows.allSatisfy { $0.imageID != nil }, "every step's image is in the store")
            #expect(rows.last?.createdBy == "COPY app.conf /etc/app.conf")
            #expect(rows.last?.size == 3)
            // An intermediate image runs like any other: it resolves by its id.
            let intermediate = try lab.store.resolve(rows[2].imageID!)
            #expect(intermediate.layers.count == 3)

            try lab.store.tag("app:1", as: try ImageReference.parse("app:2"))
            var results = try lab.store.remove(["app:1"], force: false, users: [])
            #expect(try results[0].get() == ["Untagged: app:1"])
            // By id, used by a stopped container: refused without -f.
            let user = ImageUser(containerID: String(repeating: "d", count: 64), imageID: image.id, running: false, layerPaths: [])
            results = try lab.store.remove(["app:2"], force: false, users: [user])
            #expect(throws: ImageError.self) { try results[0].get() }
            if case let .failure(message) = results[0] { #expect(message.key == "image.conflictReference") }
            // An intermediate image has children: never deleted by id.
            results = try lab.store.remove([rows[2].imageID!], force: true, users: [])
            if case let .failure(message) = results[0] { #expect(message.key == "image.conflictDeleteHard") } else {
                Issue.record("deleted an image with children")
            }
            results = try lab.store.remove(["app:2"], force: false, users: [])
            let lines = try results[0].get()
            #expect(lines.first == "Untagged: app:2")
            #expect(lines.filter { $0.hasPrefix("Deleted: ") }.count == 6, "the image and its five intermediate parents")
            #expect(lab.blobCount == 0)
            #expect(lab.layerCount == 0)
            #expect(try lab.store.images().isEmpty)
        }
    }

    @Test func sharedLayersSurviveRmiAndPruneRemovesDanglingImages() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            let a = try lab.build("FROM scratch\nCOPY app.conf /\nCMD [\"a\"]", tag: "a")
            let b = try lab.build("FROM scratch\nCOPY app.conf /\nCMD [\"b\"]", tag: "b")
            #expect(a.layers == b.layers, "one layer, unpacked once")
            #expect(lab.layerCount == 1)
            _ = try lab.store.remove(["a"], force: false, users: [])
            #expect(lab.layerCount == 1, "b still uses the layer")
            #expect(FS.exists(b.layers[0].path))
            // Rebuilding b with another CMD leaves the old b dangling.
            _ = try lab.build("FROM scratch\nCOPY app.conf /\nCMD [\"b2\"]", tag: "b")
            let (lines, _) = try lab.store.prune(all: false, users: [])
            #expect(lines == ["deleted: " + b.id])
            #expect(try lab.store.images().count == 2, "b and its COPY step remain")
        }
    }

    @Test func addExtractsALocalTarAndRefusesEscapes() throws {
        try TempRoot.with { root in
            var lab = try Lab(root)
            var writer = TarWriter()
            try writer.add(.directory("pkg"))
            try writer.add(.file("pkg/tool.sh", size: 3, mode: 0o755), contents: Array("hi\n".utf8))
            try writer.add(.hardlink("pkg/again.sh", to: "pkg/tool.sh"))
            _ = try writer.finish()
            try FS.writeAtomically(lab.context + "/pkg.tar", writer.archive, stage: "test")
            let image = try lab.build("FROM scratch\nADD pkg.tar /opt\nADD app.conf /etc/\nCOPY pkg.tar /copied/")
            let stack = LayerStack(topFirst: image.layers.map(\.path).reversed())
            #expect(stack.lookup(["opt", "pkg", "tool.sh"])?.status.permissions == 0o755)
            #expect(stack.lookup(["opt", "pkg", "again.sh"])?.status.links == 2)
            #expect(stack.contains(["etc", "app.conf"]), "ADD of a plain file copies it")
            #expect(stack.lookup(["copied", "pkg.tar"])?.status.isRegular == true, "COPY never extracts")

            var evil = TarWriter()
            try evil.add(.file("../escape", size: 1), contents: [0x41])
            _ = try evil.finish()
            try FS.writeAtomically(lab.context + "/evil.tar", evil.archive, stage: "test")
            #expect(throws: ImageError.self) { _ = try lab.build("FROM scratch\nADD evil.tar /") }
        }
    }
}
