#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@testable import BoxImages
import Testing

/// A private directory under /tmp (mkdtemp), removed by `remove()`.
struct TempRoot {
    let path: String

    init() throws {
        var template = Array("/tmp/boxlab-images-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SysError.current("test", "mkdtemp", "/tmp") }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() {
        try? FS.removeTree(path)
    }

    /// Runs `body` with a fresh temp root, always removing it afterwards.
    static func with<T>(_ body: (String) throws -> T) throws -> T {
        let root = try TempRoot()
        defer { root.remove() }
        return try body(root.path)
    }
}

enum HostBusyboxAvailability {
    static let path = "/bin/busybox"
    static var isInstalled: Bool { (try? FS.status(path))?.isRegular ?? false }
    static var isCI: Bool { getenv("CI").map { String(cString: $0) } == "true" }
    /// Run the busybox tests when it is installed, and on CI always (so that
    /// a CI machine without it fails loudly instead of skipping).
    static var shouldRun: Bool { isInstalled || isCI }

    /// Records a failure naming the reason when busybox is missing on CI.
    static func require() -> Bool {
        if isInstalled { return true }
        Issue.record("\(path) is missing (CI=true): install it with `apt-get install busybox-static`")
        return false
    }
}

/// lstat, or nil.
func lstatus(_ path: String) -> FileStatus? { try? FS.status(path) }

/// Unpacks in-memory entries into `directory`.
func unpack(_ entries: [(TarEntry, [UInt8])], into directory: String) throws {
    var writer = TarWriter()
    for (entry, contents) in entries { try writer.add(entry, contents: contents) }
    _ = try writer.finish()
    var reader = TarReader(bytes: writer.archive)
    try LayerUnpacker().unpack(&reader, into: directory)
}
