/// One member of a tar archive, as boxlab's layers use them. Paths are
/// relative, with no "./" prefix and no trailing "/" (the writer adds the "/"
/// for directories, as docker's archives have).
public struct TarEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo
    }

    public var path: String
    public var kind: Kind
    /// Permission bits including setuid, setgid and sticky (07777).
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Seconds since the epoch.
    public var mtime: Int64
    /// Content length; 0 for everything but regular files.
    public var size: Int64
    /// Symlink target, or for a hardlink the archive path it links to.
    public var linkTarget: String
    public var deviceMajor: UInt32
    public var deviceMinor: UInt32
    /// Extended attributes (PAX SCHILY.xattr.*), e.g. security.capability.
    public var xattrs: [String: [UInt8]]

    public init(
        path: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0, mtime: Int64 = 0, size: Int64 = 0,
        linkTarget: String = "", deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0, xattrs: [String: [UInt8]] = [:]
    ) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
        self.size = size
        self.linkTarget = linkTarget
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.xattrs = xattrs
    }

    public static func directory(_ path: String, mode: UInt32 = 0o755, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .directory, mode: mode, mtime: mtime)
    }

    public static func file(_ path: String, size: Int, mode: UInt32 = 0o644, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .regular, mode: mode, mtime: mtime, size: Int64(size))
    }

    public static func symlink(_ path: String, to target: String, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .symlink, mode: 0o777, mtime: mtime, linkTarget: target)
    }

    public static func hardlink(_ path: String, to target: String, mode: UInt32 = 0o644, mtime: Int64 = 0) -> TarEntry {
        TarEntry(path: path, kind: .hardlink, mode: mode, mtime: mtime, linkTarget: target)
    }

    /// The ustar type flag byte.
    var typeFlag: UInt8 {
        switch kind {
        case .regular: return UInt8(ascii: "0")
        case .hardlink: return UInt8(ascii: "1")
        case .symlink: return UInt8(ascii: "2")
        case .characterDevice: return UInt8(ascii: "3")
        case .blockDevice: return UInt8(ascii: "4")
        case .directory: return UInt8(ascii: "5")
        case .fifo: return UInt8(ascii: "6")
        }
    }

    static func kind(typeFlag: UInt8) -> Kind? {
        switch typeFlag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): return .regular
        case UInt8(ascii: "1"): return .hardlink
        case UInt8(ascii: "2"): return .symlink
        case UInt8(ascii: "3"): return .characterDevice
        case UInt8(ascii: "4"): return .blockDevice
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "6"): return .fifo
        default: return nil
        }
    }
}
