/// Turns an archive path into the components it names under the layer root,
/// refusing any that could land outside it. Tar names are untrusted input: a
/// crafted layer must not write to the host (the "zip slip" class of bugs).
enum LayerPath {
    /// "./usr/bin/" → ["usr", "bin"]; "." → [] (the root itself).
    /// Absolute paths, ".." components and NUL bytes are refused.
    static func components(_ path: String, entry: String, what: String = "path") throws -> [String] {
        if path.utf8.contains(0) {
            throw ImageError.unsafeEntry(entry: entry, reason: "\(what) contains a NUL byte")
        }
        if path.hasPrefix("/") {
            throw ImageError.unsafeEntry(entry: entry, reason: "\(what) \(path) is absolute; layer paths must be relative")
        }
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                throw ImageError.unsafeEntry(entry: entry, reason: "\(what) \(path) has a '..' component that could escape the layer")
            }
            parts.append(String(part))
        }
        return parts
    }
}
