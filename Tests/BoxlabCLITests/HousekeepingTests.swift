import Foundation
import Testing

/// Docker habits: inspect -f, container prune, system prune, system df.
@Suite("housekeeping: inspect -f, container/system prune, system df")
struct HousekeepingTests {
    /// Bytes of regular files under `path` (du -b), measured by the test itself.
    func du(_ path: String) -> Int64 {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let name = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int64) ?? 0 }
        }
        return total
    }

    /// docker's units.HumanSize (4 significant digits, decimal units).
    func human(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        var text = String(format: "%.4g", value)
        if text.contains("e") { text = String(Int(value.rounded())) }
        return text + units[unit]
    }

    @Test("inspect -f: a container that exited 3 gives `exited 3`; templates, json, errors")
    func inspectFormat() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        #expect(try lab.run(["run", "--name", "three", "-e", "A=1", "busybox", "sh", "-c", "exit 3"]).status == 3)
        let result = try lab.run(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "three"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "exited 3\n")
        #expect(try lab.ok(["inspect", "--format", "{{.Name}} {{json .Config.Cmd}}", "three"]) == #"/three ["sh","-c","exit 3"]"#)
        #expect(try lab.ok(["inspect", "-f", "{{range .Config.Env}}{{.}};{{end}}", "three"]).contains("A=1;"))
        #expect(try lab.ok(["inspect", "-f", "{{.Config.Env}}", "three"]).hasPrefix("[PATH="))
        #expect(try lab.ok(["inspect", "-f", "{{index .Config.Cmd 2}}|{{len .Config.Cmd}}|{{upper .State.Status}}", "three"])
            == "exit 3|3|EXITED")
        // Two containers: one line each.
        try lab.ok(["create", "--name", "other", "busybox", "true"])
        #expect(try lab.run(["inspect", "-f", "{{.State.Status}}", "three", "other"]).stdout == "exited\ncreated\n")
        #expect(try lab.ok(["inspect", "-f", "json", "three"]).hasPrefix(#"[{"Id":""#))

        let missing = try lab.run(["inspect", "-f", "{{.State.Nope}}", "three"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(#"template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope""#), "\(missing.stderr)")
        let bad = try lab.run(["inspect", "-f", "{{.State.Pid", "three"])
        #expect(bad.status == 64, "docker's status for a template that does not parse")
        #expect(bad.stderr.contains("template parsing error: template: :1:0: unclosed action"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        let unknown = try lab.run(["inspect", "-f", "{{.Name}}", "three", "nosuch"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout == "/three\n")
    }

    @Test("container prune -f removes stopped containers only, with their real size")
    func containerPrune() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "--name", "done1", "busybox", "sh", "-c", "head -c 50000 /dev/zero > /blob"])
        try lab.ok(["create", "--name", "fresh", "busybox", "true"])
        try lab.ok(["run", "-d", "--name", "alive", "busybox", "sleep", "60"])
        let ids = ["done1", "fresh"].map { try? lab.ok(["inspect", "-f", "{{.Id}}", $0]) }
        let upper = try lab.ok(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "done1"])
        let size = du(upper)
        #expect(size >= 50000)

        let declined = try lab.run(["container", "prune"])  // stdin is /dev/null: end of input is "no"
        #expect(declined.stdout.contains("WARNING! This will remove all stopped containers."))
        #expect(declined.stdout.contains("Are you sure you want to continue? [y/N]"))
        #expect(try lab.ok(["ps", "-aq"]).split(separator: "\n").count == 3)

        let pruned = try lab.ok(["container", "prune", "-f"])
        #expect(pruned.hasPrefix("Deleted Containers:\n"), "\(pruned)")
        for id in ids { #expect(pruned.contains(id ?? "?")) }
        #expect(pruned.hasSuffix("Total reclaimed space: " + human(size)), "\(pruned) vs \(size)")
        #expect(try lab.ok(["ps", "-a"]).contains("alive"))
        #expect(!(try lab.ok(["ps", "-a"])).contains("done1"))
        let again = try lab.ok(["container", "prune", "-f"])
        #expect(again == "Total reclaimed space: 0B")
        let answered = try lab.run(["container", "prune"], stdin: "y\n")
        #expect(answered.stdout.contains("Total reclaimed space: 0B"))
        try lab.ok(["rm", "-f", "alive"])
    }

    @Test("system prune -f: stopped containers and dangling images go, running ones stay; -a and --volumes")
    func systemPrune() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = lab.root + "/ctx"
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        try "FROM busybox\nRUN head -c 30000 /dev/zero > /big\n".write(toFile: context + "/Boxfile", atomically: true, encoding: .utf8)
        try lab.ok(["build", "-t", "fat", context])
        try "FROM busybox\nRUN head -c 40000 /dev/zero > /big\n".write(toFile: context + "/Boxfile", atomically: true, encoding: .utf8)
        try lab.ok(["build", "-t", "fat", context])  // the first fat is dangling now
        #expect(try lab.ok(["images"]).contains("<none>"))
        try lab.ok(["run", "--name", "stopped", "-v", "keepme:/data", "busybox", "sh", "-c", "echo hi > /data/x; head -c 20000 /dev/zero > /y"])
        try lab.ok(["run", "-d", "--name", "runner", "fat", "sleep", "60"])
        try lab.ok(["run", "--rm", "-v", "orphan:/data", "busybox", "sh", "-c", "head -c 1234 /dev/zero > /data/z"])
        let upper = du(try lab.ok(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "stopped"]))
        let blobsBefore = du(lab.root + "/oci/blobs")
        let layersBefore = du(lab.root + "/layers")

        let asked = try lab.run(["system", "prune"])
        #expect(asked.stdout.contains("WARNING! This will remove:\n  - all stopped containers\n  - all dangling images"))
        #expect(try lab.ok(["ps", "-aq"]).split(separator: "\n").count == 2, "declined: nothing removed")

        let pruned = try lab.ok(["system", "prune", "-f"])
        #expect(pruned.contains("Deleted Containers:\n"), "\(pruned)")
        #expect(pruned.contains("Deleted Images:\n") && pruned.contains("deleted: sha256:"), "\(pruned)")
        #expect(!pruned.contains("Deleted Volumes:"), "volumes only with --volumes")
        let freed = (blobsBefore - du(lab.root + "/oci/blobs")) + (layersBefore - du(lab.root + "/layers")) + upper
        #expect(freed > 30000)
        #expect(pruned.hasSuffix("Total reclaimed space: " + human(freed)), "\(pruned) vs \(freed)")
        #expect(try lab.ok(["ps", "-q"]).count == 12, "the running container stays")
        #expect(!(try lab.ok(["images"])).contains("<none>"))
        #expect(try lab.ok(["images"]).contains("fat"), "used by the running container")

        let volumes = try lab.ok(["system", "prune", "-f", "--volumes"])
        #expect(volumes.contains("Deleted Volumes:\nkeepme\norphan\n"), "\(volumes)")
        #expect(!FileManager.default.fileExists(atPath: lab.root + "/volumes/orphan"))
        try lab.ok(["rm", "-f", "runner"])
        let all = try lab.ok(["system", "prune", "-a", "-f"])
        #expect(all.contains("untagged: fat:latest"), "\(all)")
        #expect(all.contains("untagged: busybox:latest"))
    }

    @Test("system df: numbers match what is on disk; -v lists each")
    func systemDf() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "--name", "writer", "-v", "data:/data", "busybox", "sh", "-c",
                    "head -c 70000 /dev/zero > /data/f; head -c 12345 /dev/zero > /g"])
        try lab.ok(["run", "-d", "--name", "sleeper", "busybox", "sleep", "60"])
        let df = try lab.ok(["system", "df"])
        let lines = df.split(separator: "\n").map(String.init)
        #expect(lines.first == "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE", "\(df)")
        let images = du(lab.root + "/oci/blobs") + du(lab.root + "/layers")
        let containers = du(try lab.ok(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "writer"]))
            + du(try lab.ok(["inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", "sleeper"]))
        let volume = du(lab.root + "/volumes/data")
        #expect(containers >= 12345 && volume == 70000)
        func cells(_ line: String) -> [String] { line.components(separatedBy: "   ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let imageRow = cells(lines[1]), containerRow = cells(lines[2]), volumeRow = cells(lines[3])
        #expect(imageRow == ["Images", "1", "1", human(images), "0B (0%)"], "\(df)")
        #expect(containerRow[0...3] == ["Containers", "2", "1", human(containers)], "\(df)")
        #expect(volumeRow == ["Local Volumes", "1", "1", human(volume), "0B (0%)"], "\(df)")
        #expect(cells(lines[4]) == ["Build Cache", "0", "0", "0B", "0B"])
        let verbose = try lab.ok(["system", "df", "-v"])
        #expect(verbose.contains("Images space usage:"))
        #expect(verbose.contains("Containers space usage:"))
        #expect(verbose.contains("writer") && verbose.contains("sleeper"))
        #expect(verbose.contains("Local Volumes space usage:"))
        #expect(verbose.contains("data") && verbose.contains(human(volume)))
        try lab.ok(["rm", "-f", "sleeper", "writer"])
        let after = cells(try lab.ok(["system", "df"]).split(separator: "\n").map(String.init)[3])
        #expect(after == ["Local Volumes", "1", "0", human(volume), human(volume) + " (100%)"])
    }
}
