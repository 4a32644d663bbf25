#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Read-only layer directories seen the way overlayfs merges them, without
/// mounting anything: a path is looked up from the top layer down, and a
/// whiteout (0/0 character device), an opaque directory or a non-directory
/// on the way hides what the layers below have. `diff` uses it to tell a
/// changed path (C) from an added one (A); build steps to find where COPY
/// writes and what a parent directory looks like.
public struct LayerStack: Sendable {
    /// Unpacked layer directories, top first.
    public let layers: [String]

    /// `layers` top first (note: image and container configs list them base first).
    public init(topFirst layers: [String]) {
        self.layers = layers
    }

    /// What the merged tree has at `components` (lstat: a symlink is not
    /// followed), with the layer directory holding it; nil when absent.
    public func lookup(_ components: [String]) -> (status: FileStatus, layer: String)? {
        if components.isEmpty {
            guard let top = layers.first, let status = try? FS.status(top) else { return nil }
            return (status, top)
        }
        for layer in layers {
            var hidden = false
            var path = layer
            for (index, name) in components.enumerated() {
                path += "/" + name
                guard let status = try? FS.status(path) else { break }  // not in this layer: look lower
                if Self.isWhiteout(status) { return nil }
                if index == components.count - 1 { return (status, layer) }
                if !status.isDirectory { return nil }  // a file here hides anything below it
                if Xattr.isOpaque(path: path) { hidden = true }
            }
            if hidden { return nil }
        }
        return nil
    }

    /// The text of a regular file at `path` of the merged tree (symlinks
    /// followed inside the tree), or nil when there is none.
    public func readText(_ path: String) -> String? {
        guard let components = resolve(path), let (status, layer) = lookup(components), status.isRegular else { return nil }
        return FS.readTextIfPresent(layer + "/" + components.joined(separator: "/"))
    }

    /// True when the merged tree has something at `components`.
    public func contains(_ components: [String]) -> Bool { lookup(components) != nil }

    /// Resolves `path` in the merged tree as the container would: symlinks
    /// are followed (absolute targets from the image's root, never the
    /// host's), ".." stops at the root. Returns the components of the real
    /// path; the last one may not exist. nil after 40 links (a loop).
    public func resolve(_ path: String) -> [String]? {
        var pending = Array(path.split(separator: "/").map(String.init).reversed())
        var resolved: [String] = []
        var links = 0
        while let name = pending.popLast() {
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = resolved + [name]
            guard let found = lookup(candidate), found.status.isSymlink else {
                resolved = candidate
                continue
            }
            links += 1
            if links > 40 { return nil }
            guard let target = try? FS.readLink(found.layer + "/" + candidate.joined(separator: "/")) else {
                resolved = candidate
                continue
            }
            if target.hasPrefix("/") { resolved = [] }
            pending += target.split(separator: "/").map(String.init).reversed()
        }
        return resolved
    }

    /// overlayfs's whiteout: a character device with device number 0/0.
    static func isWhiteout(_ status: FileStatus) -> Bool {
        status.type == UInt32(S_IFCHR) && status.rdev == 0
    }
}

/// Path helpers shared by the builder and the layer writer.
enum LayerPaths {
    /// "/a/b/" → ["a", "b"] (no "." or "..": callers normalise first).
    static func components(_ path: String) -> [String] {
        Path.normalize(path).split(separator: "/").map(String.init)
    }

    /// The device number's major and minor (glibc's major()/minor() are macros Swift cannot import).
    static func major(_ device: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF))) }
    static func minor(_ device: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (device & 0xFF) | ((device >> 12) & ~UInt64(0xFF))) }
}
