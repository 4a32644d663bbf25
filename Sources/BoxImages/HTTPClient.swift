#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// A minimal HTTP/1.1 client over a TCP socket (Glibc, no Foundation), for
/// the OCI distribution API of a registry on this machine: plain HTTP, one
/// connection per request (`Connection: close`), bodies sent from memory or
/// streamed from a file, responses read by Content-Length, chunked encoding
/// or to the end of the connection.
public struct HTTPClient: Sendable {
    public let host: String
    public let port: Int
    /// Seconds a send or receive may stall before the request fails.
    public var timeout = 60

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        /// The body, unless it was streamed to a receiver.
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public enum Body {
        case none
        case bytes([UInt8])
        /// `size` bytes read from the file at `path`.
        case file(String, size: Int64)
    }

    /// Why a request got no HTTP answer.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var what: String
        public var description: String { what }
    }

    /// Sends one request. `sent` is told the body bytes sent so far; a
    /// `receive` closure gets the body in chunks instead of `Response.body`.
    public func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: Body = .none,
        sent: ((Int64) -> Void)? = nil, receive: ((ArraySlice<UInt8>) throws -> Void)? = nil
    ) throws -> Response {
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: boxlab\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        switch body {
        case .none: if method == "PUT" || method == "POST" { head += "Content-Length: 0\r\n" }
        case let .bytes(bytes): head += "Content-Length: \(bytes.count)\r\n"
        case let .file(_, size): head += "Content-Length: \(size)\r\n"
        }
        try send(fd, Array((head + "\r\n").utf8))
        switch body {
        case .none: break
        case let .bytes(bytes):
            try send(fd, bytes)
            sent?(Int64(bytes.count))
        case let .file(path, size):
            let file = open(path, O_RDONLY | O_CLOEXEC)
            if file < 0 { throw SysError.current("image", "open", path) }
            defer { close(file) }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var done: Int64 = 0
            while done < size {
                let n = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw SysError.current("image", "read", path) }
                if n == 0 { throw Failure(what: "\(path) ended after \(done) of \(size) bytes") }
                try send(fd, Array(chunk[0..<n]))
                done += Int64(n)
                sent?(done)
            }
        }
        return try readResponse(fd, method: method, receive: receive)
    }

    // MARK: - Socket

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(what: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let info = current {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd >= 0 {
                var limit = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                lastError = errno
                close(fd)
            }
            current = info.pointee.ai_next
        }
        throw Failure(what: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(what: "sending to \(host):\(port): \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    // MARK: - Response

    private struct Input {
        let fd: Int32
        var buffer: [UInt8] = []
        var position = 0
        var eof = false

        mutating func more() throws {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw Failure(what: "receiving: \(String(cString: strerror(errno)))") }
                if position > 0 {
                    buffer.removeFirst(position)
                    position = 0
                }
                if n == 0 { eof = true } else { buffer += chunk[0..<n] }
                return
            }
        }

        /// A line without its CRLF.
        mutating func line() throws -> String {
            while true {
                if let end = buffer[position...].firstIndex(of: 0x0a) {
                    var bytes = buffer[position..<end]
                    if bytes.last == 0x0d { bytes = bytes.dropLast() }
                    position = end + 1
                    return String(decoding: bytes, as: UTF8.self)
                }
                if eof { throw Failure(what: "the connection closed inside the response head") }
                try more()
            }
        }

        /// Up to `count` bytes (fewer only at the end of the connection).
        mutating func take(upTo count: Int) throws -> ArraySlice<UInt8> {
            if position == buffer.count && !eof { try more() }
            let n = min(count, buffer.count - position)
            defer { position += n }
            return buffer[position..<(position + n)]
        }
    }

    private func readResponse(_ fd: Int32, method: String, receive: ((ArraySlice<UInt8>) throws -> Void)?) throws -> Response {
        var input = Input(fd: fd)
        let statusLine = try input.line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(what: "not an HTTP response from \(host):\(port): \"\(statusLine.prefix(80))\"")
        }
        var headers: [(String, String)] = []
        while true {
            let line = try input.line()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })))
        }
        var response = Response(status: status, headers: headers, body: [])
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) { return response }
        let deliver: (ArraySlice<UInt8>) throws -> Void = { chunk in
            if let receive, (200..<300).contains(status) { try receive(chunk) } else { response.body += chunk }
        }
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try input.line()
                guard let size = Int(sizeLine.split(separator: ";").first.map(String.init) ?? "", radix: 16), size >= 0 else {
                    throw Failure(what: "bad chunk size \"\(sizeLine)\"")
                }
                if size == 0 { break }
                var left = size
                while left > 0 {
                    let part = try input.take(upTo: left)
                    if part.isEmpty { throw Failure(what: "the connection closed inside a chunk") }
                    try deliver(part)
                    left -= part.count
                }
                _ = try input.line()
            }
        } else if let length = response.header("Content-Length").flatMap({ Int64($0) }) {
            var left = length
            while left > 0 {
                let part = try input.take(upTo: Int(min(left, 1 << 20)))
                if part.isEmpty { throw Failure(what: "the connection closed after \(length - left) of \(length) bytes") }
                try deliver(part)
                left -= Int64(part.count)
            }
        } else {
            while true {
                let part = try input.take(upTo: 1 << 20)
                if part.isEmpty { break }
                try deliver(part)
            }
        }
        return response
    }
}
