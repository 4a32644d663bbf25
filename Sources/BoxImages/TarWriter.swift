#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import Crypto

/// Writes a ustar archive, switching to PAX extended headers for what ustar
/// cannot hold (names or link targets over 100 bytes, sizes of 8 GiB or more,
/// large ids, xattrs), the way Go's archive/tar (and so docker) does. The
/// bytes are hashed as they are written, so a layer's digest (= its diff_id,
/// layers being uncompressed) costs no second pass over the file.
public struct TarWriter {
    private let fd: Int32?
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var finished = false
    /// Archive bytes produced so far.
    public private(set) var size: Int64 = 0
    private static let flushThreshold = 1 << 20

    /// Streams the archive to `fd` (which the caller opens and closes).
    public init(fd: Int32) {
        self.fd = fd
    }

    /// Keeps the archive in memory; read it from `archive` after `finish()`.
    public init() {
        self.fd = nil
    }

    /// The whole archive, for a writer made with `init()`.
    public var archive: [UInt8] { buffer }

    /// Adds an entry; `contents` must be `entry.size` bytes for a regular file
    /// and empty otherwise.
    public mutating func add(_ entry: TarEntry, contents: [UInt8] = []) throws {
        guard Int64(contents.count) == (entry.kind == .regular ? entry.size : 0) else {
            throw ImageError.invalidArchive(
                entry: entry.path, reason: "\(contents.count) bytes of contents given for a size of \(entry.size)")
        }
        try writeHeaders(entry)
        try emit(contents)
        try pad(Int64(contents.count))
    }

    /// Adds a regular file whose `entry.size` bytes are read from `source`.
    public mutating func add(_ entry: TarEntry, reading source: Int32) throws {
        try writeHeaders(entry)
        var remaining = entry.size
        var chunk = [UInt8](repeating: 0, count: 65536)
        while remaining > 0 {
            let wanted = Int(min(Int64(chunk.count), remaining))
            let n = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress, wanted) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw SysError.current("image", "read", entry.path) }
            if n == 0 { throw ImageError.invalidArchive(entry: entry.path, reason: "file shorter than its size \(entry.size)") }
            try emit(chunk[0..<n])
            remaining -= Int64(n)
        }
        try pad(entry.size)
    }

    /// Writes the two zero blocks that end an archive and flushes; returns the
    /// archive's digest and size.
    public mutating func finish() throws -> (digest: String, size: Int64) {
        if !finished {
            try emit([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
            try flush()
            finished = true
        }
        return (ContentDigest.string(hasher), size)
    }

    // MARK: - Headers

    private mutating func writeHeaders(_ entry: TarEntry) throws {
        let name = entry.kind == .directory && !entry.path.hasSuffix("/") ? entry.path + "/" : entry.path
        var pax: [UInt8] = []
        if name.utf8.count > 100 { pax += TarHeader.paxRecord("path", Array(name.utf8)) }
        if entry.linkTarget.utf8.count > 100 { pax += TarHeader.paxRecord("linkpath", Array(entry.linkTarget.utf8)) }
        if entry.size > TarHeader.maxOctal11 { pax += TarHeader.paxRecord("size", Array(String(entry.size).utf8)) }
        if entry.uid < 0 || entry.uid > TarHeader.maxOctal7 { pax += TarHeader.paxRecord("uid", Array(String(entry.uid).utf8)) }
        if entry.gid < 0 || entry.gid > TarHeader.maxOctal7 { pax += TarHeader.paxRecord("gid", Array(String(entry.gid).utf8)) }
        if entry.mtime < 0 || entry.mtime > TarHeader.maxOctal11 {
            pax += TarHeader.paxRecord("mtime", Array(String(entry.mtime).utf8))
        }
        for (key, value) in entry.xattrs.sorted(by: { $0.key < $1.key }) {
            pax += TarHeader.paxRecord("SCHILY.xattr." + key, value)
        }
        if !pax.isEmpty {
            let base = name.split(separator: "/").last.map(String.init) ?? "entry"
            var header = TarEntry(path: "PaxHeaders.0/" + base, kind: .regular, mode: 0o644,
                                  mtime: clamp(entry.mtime, TarHeader.maxOctal11), size: Int64(pax.count))
            header.path = String(decoding: Array(header.path.utf8).prefix(100), as: UTF8.self)
            try emit(block(for: header, name: header.path, typeFlag: UInt8(ascii: "x")))
            try emit(pax)
            try pad(Int64(pax.count))
        }
        try emit(block(for: entry, name: name, typeFlag: entry.typeFlag))
    }

    /// The ustar header block; fields a PAX record carries hold a fallback.
    private func block(for entry: TarEntry, name: String, typeFlag: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
        TarHeader.put(&block, TarHeader.name, Array(name.utf8))
        TarHeader.putOctal(&block, TarHeader.mode, Int64(entry.mode & 0o7777))
        TarHeader.putOctal(&block, TarHeader.uid, clamp(Int64(entry.uid), Int64(TarHeader.maxOctal7)))
        TarHeader.putOctal(&block, TarHeader.gid, clamp(Int64(entry.gid), Int64(TarHeader.maxOctal7)))
        let size = entry.kind == .regular ? entry.size : 0
        TarHeader.putOctal(&block, TarHeader.size, size > TarHeader.maxOctal11 ? 0 : size)
        TarHeader.putOctal(&block, TarHeader.mtime, clamp(entry.mtime, TarHeader.maxOctal11))
        block[TarHeader.type] = typeFlag
        TarHeader.put(&block, TarHeader.linkName, Array(entry.linkTarget.utf8))
        TarHeader.put(&block, TarHeader.magic, Array("ustar\0".utf8))
        TarHeader.put(&block, TarHeader.version, Array("00".utf8))
        if entry.kind == .characterDevice || entry.kind == .blockDevice {
            TarHeader.putOctal(&block, TarHeader.devMajor, Int64(entry.deviceMajor))
            TarHeader.putOctal(&block, TarHeader.devMinor, Int64(entry.deviceMinor))
        }
        TarHeader.seal(&block)
        return block
    }

    private func clamp(_ value: Int64, _ maximum: Int64) -> Int64 { max(0, min(value, maximum)) }

    // MARK: - Output

    private mutating func pad(_ length: Int64) throws {
        let remainder = Int(length % Int64(TarHeader.blockSize))
        if remainder != 0 { try emit([UInt8](repeating: 0, count: TarHeader.blockSize - remainder)) }
    }

    private mutating func emit(_ bytes: some Collection<UInt8>) throws {
        let hashed: Void? = bytes.withContiguousStorageIfAvailable { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if hashed == nil { hasher.update(data: Array(bytes)) }
        buffer.append(contentsOf: bytes)
        size += Int64(bytes.count)
        if fd != nil && buffer.count >= Self.flushThreshold { try flush() }
    }

    private mutating func flush() throws {
        guard let fd, !buffer.isEmpty else { return }
        try FS.writeAll(fd: fd, buffer, stage: "image")
        buffer.removeAll(keepingCapacity: true)
    }
}
