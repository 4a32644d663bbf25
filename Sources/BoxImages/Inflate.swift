#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// gzip (RFC 1952) around DEFLATE (RFC 1951), decoded in Swift so that
/// `load` takes `docker save | gzip` tarballs and the gzip layers podman
/// writes into OCI archives, without zlib. Streaming: input is read from a
/// file descriptor in 64 KiB chunks and output handed on in chunks, keeping
/// only the 32 KiB window DEFLATE's back-references may reach. Every member
/// of a multi-member file is decoded; CRC-32 and length trailers are checked.
public enum Gzip {
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// Why a stream could not be decoded.
    public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Decompresses the gzip file open at `fd`, passing the output to `body`.
    public static func decompress(fd: Int32, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var input = BitInput(fd: fd)
        var members = 0
        while try input.hasMoreBytes() {
            let id1 = try input.byte(), id2 = try input.byte()
            if [id1, id2] != magic {
                if members > 0 { return }  // trailing data after the last member: ignored, as gzip does
                throw DecodeError(reason: "not gzip data (no 1f 8b magic)")
            }
            guard try input.byte() == 8 else { throw DecodeError(reason: "unknown compression method (only deflate)") }
            let flags = try input.byte()
            for _ in 0..<6 { _ = try input.byte() }  // mtime, extra flags, OS
            if flags & 4 != 0 {
                let length = Int(try input.byte()) | Int(try input.byte()) << 8
                for _ in 0..<length { _ = try input.byte() }
            }
            if flags & 8 != 0 { while try input.byte() != 0 {} }  // file name
            if flags & 16 != 0 { while try input.byte() != 0 {} }  // comment
            if flags & 2 != 0 { _ = try input.byte(); _ = try input.byte() }  // header CRC
            let output = try withoutActuallyEscaping(body) { body in
                var output = Window(body: body)
                try inflate(&input, &output)
                try output.finish()
                return Window.Totals(total: output.total, crc: output.crc)
            }
            input.alignToByte()
            var crc: UInt32 = 0, size: UInt32 = 0
            for shift in stride(from: 0, to: 32, by: 8) { crc |= UInt32(try input.byte()) << UInt32(shift) }
            for shift in stride(from: 0, to: 32, by: 8) { size |= UInt32(try input.byte()) << UInt32(shift) }
            if crc != output.crc { throw DecodeError(reason: "CRC-32 mismatch: the data is damaged") }
            if size != UInt32(truncatingIfNeeded: output.total) { throw DecodeError(reason: "length mismatch: the data is damaged") }
            members += 1
        }
        if members == 0 { throw DecodeError(reason: "empty input") }
    }

    /// Decompresses gzip bytes held in memory (tests, small blobs).
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        // Through a temporary file so the streaming decoder is the one used.
        var template = Array("/tmp/boxlab-gzip-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw SysError.current("image", "mkstemp") }
        unlink(String(cString: template))
        defer { close(fd) }
        try FS.writeAll(fd: fd, bytes, stage: "image")
        lseek(fd, 0, SEEK_SET)
        var out: [UInt8] = []
        try decompress(fd: fd) { out.append(contentsOf: $0) }
        return out
    }

    // MARK: - DEFLATE

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static let fixed: (Huffman, Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return (try! Huffman(lengths[...]), try! Huffman([Int](repeating: 5, count: 30)[...]))
    }()

    private static func inflate(_ input: inout BitInput, _ output: inout Window) throws {
        var last = false
        while !last {
            last = try input.bits(1) == 1
            switch try input.bits(2) {
            case 0:
                input.alignToByte()
                let length = try input.bits(16), complement = try input.bits(16)
                guard length == ~complement & 0xffff else { throw DecodeError(reason: "stored block length check failed") }
                for _ in 0..<length { try output.append(try input.byte()) }
            case 1:
                try codes(&input, &output, fixed.0, fixed.1)
            case 2:
                let (literals, distances) = try dynamicTables(&input)
                try codes(&input, &output, literals, distances)
            default:
                throw DecodeError(reason: "invalid block type 3")
            }
        }
    }

    private static func dynamicTables(_ input: inout BitInput) throws -> (Huffman, Huffman) {
        let literalCount = try input.bits(5) + 257, distanceCount = try input.bits(5) + 1, codeCount = try input.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw DecodeError(reason: "too many length or distance codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[codeLengthOrder[i]] = try input.bits(3) }
        let codeTable = try Huffman(codeLengths[...])
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeTable.decode(&input)
            switch symbol {
            case 0..<16:
                lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw DecodeError(reason: "repeat with no previous length") }
                lengths += repeatElement(previous, count: 3 + (try input.bits(2)))
            case 17:
                lengths += repeatElement(0, count: 3 + (try input.bits(3)))
            default:
                lengths += repeatElement(0, count: 11 + (try input.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw DecodeError(reason: "code lengths overrun the tables") }
        guard lengths[256] != 0 else { throw DecodeError(reason: "no end-of-block code") }
        return (try Huffman(lengths[0..<literalCount]), try Huffman(lengths[literalCount...]))
    }

    private static func codes(_ input: inout BitInput, _ output: inout Window, _ literals: Huffman, _ distances: Huffman) throws {
        while true {
            let symbol = try literals.decode(&input)
            if symbol < 256 {
                try output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw DecodeError(reason: "invalid length code") }
                let length = lengthBase[index] + (try input.bits(lengthExtra[index]))
                let distanceSymbol = try distances.decode(&input)
                guard distanceSymbol < 30 else { throw DecodeError(reason: "invalid distance code") }
                let distance = distanceBase[distanceSymbol] + (try input.bits(distanceExtra[distanceSymbol]))
                try output.copy(distance: distance, length: length)
            }
        }
    }

    /// A canonical Huffman code as counts per length and symbols in code order.
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(_ lengths: ArraySlice<Int>) throws {
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left <<= 1
                left -= counts[length]
                if left < 0 { throw DecodeError(reason: "over-subscribed Huffman code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }

        func decode(_ input: inout BitInput) throws -> Int {
            var code = 0, first = 0, index = 0
            for length in 1..<16 {
                code |= try input.bits(1)
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw DecodeError(reason: "invalid Huffman code")
        }
    }

    /// Bits, least significant first, from a file descriptor.
    private struct BitInput {
        let fd: Int32
        var buffer = [UInt8](repeating: 0, count: 65536)
        var position = 0
        var end = 0
        var bitBuffer = 0
        var bitCount = 0

        init(fd: Int32) { self.fd = fd }

        mutating func hasMoreBytes() throws -> Bool {
            if position < end { return true }
            try refill()
            return position < end
        }

        private mutating func refill() throws {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw SysError.current("image", "read") }
                position = 0
                end = n
                return
            }
        }

        mutating func byte() throws -> UInt8 {
            if position == end {
                try refill()
                if end == 0 { throw DecodeError(reason: "unexpected end of data (truncated)") }
            }
            let value = buffer[position]
            position += 1
            return value
        }

        mutating func bits(_ count: Int) throws -> Int {
            while bitCount < count {
                bitBuffer |= Int(try byte()) << bitCount
                bitCount += 8
            }
            let value = bitBuffer & ((1 << count) - 1)
            bitBuffer >>= count
            bitCount -= count
            return value
        }

        mutating func alignToByte() {
            bitBuffer = 0
            bitCount = 0
        }
    }

    /// Output with the 32 KiB history DEFLATE's distances refer to.
    private struct Window {
        struct Totals {
            var total: Int
            var crc: UInt32
        }

        let body: (ArraySlice<UInt8>) throws -> Void
        var bytes: [UInt8] = []
        var total = 0
        var crc: UInt32 = 0
        private var crcState: UInt32 = 0xffff_ffff
        private var hashed = 0
        private static let history = 32768
        private static let flushAt = 1 << 20

        init(body: @escaping (ArraySlice<UInt8>) throws -> Void) {
            self.body = body
            bytes.reserveCapacity(Self.flushAt + 65536)
        }

        mutating func append(_ byte: UInt8) throws {
            bytes.append(byte)
            total += 1
            if bytes.count >= Self.flushAt { try flush(keeping: Self.history) }
        }

        mutating func copy(distance: Int, length: Int) throws {
            guard distance <= bytes.count else { throw DecodeError(reason: "distance too far back") }
            var from = bytes.count - distance
            for _ in 0..<length {
                bytes.append(bytes[from])
                from += 1
            }
            total += length
            if bytes.count >= Self.flushAt { try flush(keeping: Self.history) }
        }

        /// Hands on everything but the last `keeping` bytes (already handed-on history is dropped).
        private mutating func flush(keeping: Int) throws {
            let upTo = max(hashed, bytes.count - keeping)
            if upTo > hashed {
                let fresh = bytes[hashed..<upTo]
                crcState = CRC32.update(crcState, fresh)
                try body(fresh)
            }
            let drop = max(0, bytes.count - Self.history)
            if drop > 0 && drop <= upTo {
                bytes.removeFirst(drop)
                hashed = upTo - drop
            } else {
                hashed = upTo
            }
        }

        mutating func finish() throws {
            try flush(keeping: 0)
            crc = ~crcState
        }
    }
}

/// CRC-32 (IEEE 802.3, reflected), as gzip's trailer uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func update(_ state: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c = state
        table.withUnsafeBufferPointer { table in
            for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
        }
        return c
    }
}
