import BoxOS

/// One line of `docker diff`.
public struct FileChange: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case added = "A", changed = "C", deleted = "D"
    }

    public var kind: Kind
    /// Absolute path in the container ("/etc/motd").
    public var path: String

    public init(_ kind: Kind, _ path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String { kind.rawValue + " " + path }
}

/// docker diff, read straight from a container's read-write layer (the
/// overlay upper dir): everything in it is a change. A whiteout is a
/// deletion (D); a path the image's layers also have was changed (C) — this
/// includes the directories overlayfs copied up to hold a change; anything
/// else was added (A). Mount points the runtime made are not listed.
public enum ContainerChanges {
    /// `lowerBaseFirst`: the image's layer directories as container configs list them.
    public static func changes(upper: String, lowerBaseFirst: [String]) throws -> [FileChange] {
        let lower = LayerStack(topFirst: lowerBaseFirst.reversed())
        var changes: [FileChange] = []
        try walk(upper, components: [], lower: lower, into: &changes)
        return changes
    }

    private static func walk(_ directory: String, components: [String], lower: LayerStack, into changes: inout [FileChange]) throws {
        for name in try FS.list(directory, stage: "diff") {
            let path = directory + "/" + name
            let here = components + [name]
            let relative = here.joined(separator: "/")
            guard let status = try? FS.status(path) else { continue }
            if LayerArchiver.isRuntimeArtifact(relative, isDirectory: status.isDirectory, path: path) { continue }
            if LayerStack.isWhiteout(status) {
                changes.append(FileChange(.deleted, "/" + relative))
                continue
            }
            changes.append(FileChange(lower.contains(here) ? .changed : .added, "/" + relative))
            if status.isDirectory { try walk(path, components: here, lower: lower, into: &changes) }
        }
    }
}
