#if canImport(Glibc)
import Glibc
#endif

/// Tees a command's stdout and stderr: the student still sees everything on
/// the terminal, and the shell keeps a copy for checks ("the output
/// matches …") and transcripts. A pthread copies the pipe, since the
/// command runs on the calling thread.
final class OutputCapture: @unchecked Sendable {
    private let savedOut: Int32
    private let savedErr: Int32
    private let readFD: Int32
    private var thread: pthread_t?
    private var buffer: [UInt8] = []
    private static let limit = 1 << 20

    /// Starts capturing; nil if the pipe cannot be made (then nothing changes).
    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        savedOut = dup(1)
        savedErr = dup(2)
        readFD = fds[0]
        fcntl(readFD, F_SETFD, FD_CLOEXEC)
        fcntl(savedOut, F_SETFD, FD_CLOEXEC)
        fcntl(savedErr, F_SETFD, FD_CLOEXEC)
        dup2(fds[1], 1)
        dup2(fds[1], 2)
        close(fds[1])
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        guard pthread_create(&handle, nil, { raw in
            let capture = Unmanaged<OutputCapture>.fromOpaque(raw!).takeRetainedValue()
            capture.copy()
            return nil
        }, context) == 0 else {
            Unmanaged<OutputCapture>.fromOpaque(context).release()
            restore()
            return nil
        }
        thread = handle
    }

    private func copy() {
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = read(readFD, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            var offset = 0
            while offset < n {
                let written = chunk.withUnsafeBytes { write(savedOut, $0.baseAddress! + offset, n - offset) }
                if written <= 0 { break }
                offset += written
            }
            if buffer.count < Self.limit { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }

    private func restore() {
        dup2(savedOut, 1)
        dup2(savedErr, 2)
    }

    /// Stops capturing and returns what was written.
    func finish() -> String {
        restore()
        if let thread { pthread_join(thread, nil) }
        close(readFD)
        close(savedOut)
        close(savedErr)
        return String(decoding: buffer, as: UTF8.self)
    }
}
