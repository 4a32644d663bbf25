#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import CZlib

/// gzip (RFC 1952) decoded by zlib, so that `load` takes `docker save | gzip`
/// tarballs and the gzip layers podman writes into OCI archives. Streaming:
/// input is read from a file descriptor in 128 KiB chunks and output handed on
/// in 256 KiB chunks. Every member of a multi-member file is decoded (zlib
/// checks each one's CRC-32 and length); data after the last member that is
/// not another member is ignored, as gzip does. (Until 2026-11 this was a
/// hand-written inflater; benchmarks/inflate measured zlib against it.)
public enum Gzip {
    public static let magic: [UInt8] = [0x1f, 0x8b]

    /// Why a stream could not be decoded.
    public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Decompresses the gzip file open at `fd`, passing the output to `body`.
    public static func decompress(fd: Int32, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var input = Input(fd: fd)
        defer { input.buffer.deallocate() }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)  // zlib keeps its address
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 16: a 32 KiB window, gzip wrapper only.
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecodeError(reason: "zlib could not start (out of memory)")
        }
        defer { inflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: 1 << 18)
        var members = 0
        while true {
            try input.want(2)
            if input.count == 0 {
                if members > 0 { return }
                throw DecodeError(reason: "empty input")
            }
            if input.count < 2 || input.buffer[input.position] != magic[0] || input.buffer[input.position + 1] != magic[1] {
                if members > 0 { return }  // trailing data after the last member: ignored, as gzip does
                throw DecodeError(reason: "not gzip data (no 1f 8b magic)")
            }
            inflateReset(stream)
            while true {
                if input.count == 0 {
                    try input.want(1)
                    if input.count == 0 { throw DecodeError(reason: "unexpected end of data (truncated)") }
                }
                stream.pointee.next_in = input.buffer + input.position
                stream.pointee.avail_in = UInt32(input.count)
                let status = output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    return inflate(stream, Z_NO_FLUSH)
                }
                input.position += input.count - Int(stream.pointee.avail_in)
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 { try body(output[0..<produced]) }
                if status == Z_STREAM_END { break }
                if status != Z_OK && status != Z_BUF_ERROR { throw error(stream, status) }
            }
            members += 1
        }
    }

    /// zlib's complaint in the words boxlab used before zlib.
    static func error(_ stream: UnsafeMutablePointer<z_stream>, _ status: Int32) -> DecodeError {
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        switch message {
        case "incorrect data check": return DecodeError(reason: "CRC-32 mismatch: the data is damaged")
        case "incorrect length check": return DecodeError(reason: "length mismatch: the data is damaged")
        case "unknown compression method": return DecodeError(reason: "unknown compression method (only deflate)")
        default: return DecodeError(reason: status == Z_MEM_ERROR ? "out of memory" : message)
        }
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

    /// The compressed bytes read from `fd` and not yet inflated.
    private struct Input {
        let fd: Int32
        let capacity = 1 << 17
        let buffer: UnsafeMutablePointer<UInt8>
        var position = 0
        var end = 0
        var atEnd = false
        var count: Int { end - position }

        init(fd: Int32) {
            self.fd = fd
            buffer = .allocate(capacity: capacity)
        }

        /// Reads until `bytes` are buffered or the file ends.
        mutating func want(_ bytes: Int) throws {
            if count >= bytes || atEnd { return }
            if position > 0 {
                memmove(buffer, buffer + position, count)
                end = count
                position = 0
            }
            while end < bytes && !atEnd {
                let n = read(fd, buffer + end, capacity - end)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw SysError.current("image", "read") }
                if n == 0 { atEnd = true } else { end += n }
            }
        }
    }
}
