/// The 512-byte ustar header block and PAX records: byte-level helpers shared
/// by `TarWriter` and `TarReader` (POSIX.1-2001 "pax" interchange format).
enum TarHeader {
    static let blockSize = 512
    /// Largest value an 11-digit octal field holds: 8 GiB − 1.
    static let maxOctal11: Int64 = 0o77777777777
    /// Largest value a 7-digit octal field (uid, gid) holds.
    static let maxOctal7 = 0o7777777

    // Field offsets and lengths in the header block.
    static let name = (0, 100), mode = (100, 8), uid = (108, 8), gid = (116, 8)
    static let size = (124, 12), mtime = (136, 12), checksum = (148, 8), type = 156
    static let linkName = (157, 100), magic = (257, 6), version = (263, 2)
    static let userName = (265, 32), groupName = (297, 32)
    static let devMajor = (329, 8), devMinor = (337, 8), prefix = (345, 155)

    /// Copies `bytes` into the field, truncated to its length.
    static func put(_ block: inout [UInt8], _ field: (Int, Int), _ bytes: some Collection<UInt8>) {
        for (index, byte) in bytes.prefix(field.1).enumerated() { block[field.0 + index] = byte }
    }

    /// Writes `value` as zero-padded octal filling the field but its final NUL.
    static func putOctal(_ block: inout [UInt8], _ field: (Int, Int), _ value: Int64) {
        let digits = String(value, radix: 8)
        let padded = String(repeating: "0", count: max(0, field.1 - 1 - digits.count)) + digits
        put(&block, field, Array(padded.utf8))
    }

    /// Fills in the checksum: the byte sum with the checksum field as spaces,
    /// stored as six octal digits, NUL, space.
    static func seal(_ block: inout [UInt8]) {
        for index in checksum.0..<(checksum.0 + checksum.1) { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(&block, checksum, Array((String(repeating: "0", count: max(0, 6 - digits.count)) + digits).utf8) + [0, 0x20])
    }

    /// True when the stored checksum matches the block (unsigned or, for old
    /// Sun tars, signed byte sums).
    static func checksumMatches(_ block: ArraySlice<UInt8>) -> Bool {
        guard let stored = number(block, checksum) else { return false }
        var unsigned: Int64 = 0, signed: Int64 = 0
        for (index, byte) in block.enumerated() {
            let value = (checksum.0..<(checksum.0 + checksum.1)).contains(index) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    /// Reads a field as text up to its first NUL.
    static func string(_ block: ArraySlice<UInt8>, _ field: (Int, Int)) -> String {
        let start = block.startIndex + field.0
        let bytes = block[start..<(start + field.1)].prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a numeric field: octal (space/NUL padded) or GNU base-256 when
    /// the high bit of the first byte is set. nil when malformed.
    static func number(_ block: ArraySlice<UInt8>, _ field: (Int, Int)) -> Int64? {
        let start = block.startIndex + field.0
        let bytes = block[start..<(start + field.1)]
        if let first = bytes.first, first & 0x80 != 0 {
            if first & 0x40 != 0 { return nil }  // negative: never valid here
            var value: Int64 = Int64(first & 0x3F)
            for byte in bytes.dropFirst() {
                if value > (Int64.max >> 8) { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let text = bytes.drop { $0 == 0x20 || $0 == 0 }.prefix { $0 != 0x20 && $0 != 0 }
        if text.isEmpty { return 0 }
        return Int64(String(decoding: text, as: UTF8.self), radix: 8)
    }

    // MARK: - PAX records

    /// One "LEN key=value\n" record, LEN counting the whole record itself.
    static func paxRecord(_ key: String, _ value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [0x0A]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length = String(length).utf8.count + body.count }
        return Array(String(length).utf8) + body
    }

    /// Parses the records of a PAX extended header; nil when malformed.
    static func paxRecords(_ data: [UInt8]) -> [(String, [UInt8])]? {
        var records: [(String, [UInt8])] = []
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                  length > space - index, index + length <= data.count, data[index + length - 1] == 0x0A,
                  let equals = data[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "="))
            else { return nil }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records.append((key, Array(data[(equals + 1)..<(index + length - 1)])))
            index += length
        }
        return records
    }
}
