#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Reads a tar archive one entry at a time: ustar, PAX extended headers
/// ('x'; global 'g' ones are skipped), GNU long names ('L', 'K') and GNU
/// base-256 numbers, which covers what docker, podman and GNU tar write.
/// Contents are streamed, so a layer of any size is read in 64 KiB chunks.
public struct TarReader {
    private let fd: Int32  // -1 when reading from memory
    private var buffer: [UInt8]
    private var position = 0
    private var atEOF: Bool
    /// Unread content bytes of the current entry, and the padding after them.
    private var remaining: Int64 = 0
    private var padding = 0
    private var finished = false
    private var currentPath = ""
    /// PAX and GNU long-name data is held in memory; this caps it.
    private static let maxMetadata = 1 << 20
    private static let chunk = 65536

    /// Reads from `fd` (the caller opens and closes it).
    public init(fd: Int32) {
        self.fd = fd
        self.buffer = []
        self.atEOF = false
    }

    public init(bytes: [UInt8]) {
        self.fd = -1
        self.buffer = bytes
        self.atEOF = true
    }

    /// The next entry, or nil at the end of the archive. Skips whatever of
    /// the previous entry's contents was not read.
    public mutating func next() throws -> TarEntry? {
        if finished { return nil }
        try skip(remaining + Int64(padding))
        remaining = 0
        padding = 0
        var pax: [(String, [UInt8])] = []
        var longName: String?
        var longLink: String?
        while true {
            try fill(TarHeader.blockSize)
            let available = buffer.count - position
            if available == 0 { finished = true; return nil }  // no end blocks: tolerated, as GNU tar does
            if available < TarHeader.blockSize {
                throw ImageError.invalidArchive(entry: currentPath, reason: "archive ends inside a header")
            }
            let block = buffer[position..<(position + TarHeader.blockSize)]
            position += TarHeader.blockSize
            if block.allSatisfy({ $0 == 0 }) { finished = true; return nil }
            guard TarHeader.checksumMatches(block) else {
                let after = currentPath.isEmpty ? "" : " (the header after \(currentPath))"
                throw ImageError.invalidArchive(
                    entry: TarHeader.string(block, TarHeader.name), reason: "header checksum mismatch" + after)
            }
            let flag = block[block.startIndex + TarHeader.type]
            guard let headerSize = TarHeader.number(block, TarHeader.size), headerSize >= 0 else {
                throw ImageError.invalidArchive(entry: TarHeader.string(block, TarHeader.name), reason: "bad size field")
            }
            switch flag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                let data = try metadata(headerSize, after: TarHeader.string(block, TarHeader.name))
                if flag == UInt8(ascii: "x") {
                    guard let records = TarHeader.paxRecords(data) else {
                        throw ImageError.invalidArchive(entry: TarHeader.string(block, TarHeader.name), reason: "bad PAX records")
                    }
                    pax += records
                } else if flag == UInt8(ascii: "L") {
                    longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                } else if flag == UInt8(ascii: "K") {
                    longLink = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                }
                continue
            default:
                return try entry(block, flag: flag, size: headerSize, pax: pax, longName: longName, longLink: longLink)
            }
        }
    }

    /// Streams the current entry's unread contents to `body`, chunk by chunk.
    public mutating func readContents(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        while remaining > 0 {
            try fill(1)
            let available = buffer.count - position
            if available == 0 {
                throw ImageError.invalidArchive(entry: currentPath, reason: "archive ends inside the file's contents")
            }
            let n = Int(min(Int64(min(available, Self.chunk)), remaining))
            try body(buffer[position..<(position + n)])
            position += n
            remaining -= Int64(n)
        }
    }

    /// The current entry's contents in memory.
    public mutating func readAllContents() throws -> [UInt8] {
        var result: [UInt8] = []
        try readContents { result.append(contentsOf: $0) }
        return result
    }

    // MARK: - Entries

    private mutating func entry(
        _ block: ArraySlice<UInt8>, flag: UInt8, size headerSize: Int64,
        pax: [(String, [UInt8])], longName: String?, longLink: String?
    ) throws -> TarEntry {
        var name = TarHeader.string(block, TarHeader.name)
        let magic = block[(block.startIndex + TarHeader.magic.0)..<(block.startIndex + TarHeader.magic.0 + 6)]
        let prefix = TarHeader.string(block, TarHeader.prefix)
        if magic.elementsEqual("ustar\0".utf8), !prefix.isEmpty { name = prefix + "/" + name }
        if let longName { name = longName }
        var link = longLink ?? TarHeader.string(block, TarHeader.linkName)
        var size = headerSize
        guard var kind = TarEntry.kind(typeFlag: flag) else {
            throw ImageError.invalidArchive(entry: name, reason: "unsupported entry type '\(Character(Unicode.Scalar(flag)))'")
        }
        func number(_ field: (Int, Int), _ what: String) throws -> Int64 {
            guard let value = TarHeader.number(block, field) else {
                throw ImageError.invalidArchive(entry: name, reason: "bad \(what) field")
            }
            return value
        }
        var uid = Int(try number(TarHeader.uid, "uid"))
        var gid = Int(try number(TarHeader.gid, "gid"))
        var mtime = try number(TarHeader.mtime, "mtime")
        var xattrs: [String: [UInt8]] = [:]
        for (key, value) in pax {
            let text = String(decoding: value, as: UTF8.self)
            switch key {
            case "path": name = text
            case "linkpath": link = text
            case "size": size = try paxNumber(text, key, name)
            case "uid": uid = Int(try paxNumber(text, key, name))
            case "gid": gid = Int(try paxNumber(text, key, name))
            case "mtime": mtime = try paxNumber(String(text.prefix { $0 != "." }), key, name)
            default:
                if key.hasPrefix("SCHILY.xattr.") { xattrs[String(key.dropFirst("SCHILY.xattr.".count))] = value }
            }
        }
        if kind == .regular && name.hasSuffix("/") { kind = .directory }  // pre-POSIX tars mark dirs this way
        while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
        currentPath = name
        // Only regular files carry data; for every other type the size is ignored, as Go's reader does.
        let dataSize = kind == .regular ? size : 0
        remaining = dataSize
        padding = Int((Int64(TarHeader.blockSize) - dataSize % Int64(TarHeader.blockSize)) % Int64(TarHeader.blockSize))
        return TarEntry(
            path: name, kind: kind, mode: UInt32(try number(TarHeader.mode, "mode") & 0o7777),
            uid: uid, gid: gid, mtime: mtime, size: dataSize, linkTarget: link,
            deviceMajor: UInt32(truncatingIfNeeded: try number(TarHeader.devMajor, "devmajor")),
            deviceMinor: UInt32(truncatingIfNeeded: try number(TarHeader.devMinor, "devminor")),
            xattrs: xattrs)
    }

    private func paxNumber(_ text: String, _ key: String, _ name: String) throws -> Int64 {
        guard let value = Int64(text), value >= 0 else {
            throw ImageError.invalidArchive(entry: name, reason: "bad PAX \(key) \"\(text)\"")
        }
        return value
    }

    /// Reads the data of a metadata entry (PAX, GNU long name) and its padding.
    private mutating func metadata(_ size: Int64, after name: String) throws -> [UInt8] {
        guard size <= Int64(Self.maxMetadata) else {
            throw ImageError.invalidArchive(entry: name, reason: "extended header of \(size) bytes is too large")
        }
        remaining = size
        let data = try readAllContents()
        try skip(Int64((TarHeader.blockSize - Int(size) % TarHeader.blockSize) % TarHeader.blockSize))
        return data
    }

    // MARK: - Input

    /// Makes at least `count` unread bytes available, unless the input ends.
    private mutating func fill(_ count: Int) throws {
        while buffer.count - position < count && !atEOF {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: Self.chunk))
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + old, Self.chunk)
            }
            if n < 0 {
                buffer.removeLast(Self.chunk)
                if errno == EINTR { continue }
                throw SysError.current("image", "read")
            }
            buffer.removeLast(Self.chunk - n)
            if n == 0 { atEOF = true }
        }
    }

    private mutating func skip(_ count: Int64) throws {
        var left = count
        while left > 0 {
            try fill(1)
            let available = buffer.count - position
            if available == 0 { throw ImageError.invalidArchive(entry: currentPath, reason: "archive ends early") }
            let n = Int(min(Int64(available), left))
            position += n
            left -= Int64(n)
        }
    }
}
