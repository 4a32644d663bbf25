#if canImport(Glibc)
import Glibc
#endif
import BoxOS

/// Where the shell's lines come from: the line editor at a terminal, or a
/// script / pipe read line by line (with its name for error locations).
final class LineSource {
    enum Kind {
        case editor(LineEditor)
        case stream(fd: Int32)
    }

    let kind: Kind
    let name: String
    private(set) var lineNumber = 0
    private var buffer: [UInt8] = []
    private var atEnd = false

    init(editor: LineEditor) {
        kind = .editor(editor)
        name = "stdin"
    }

    init(fd: Int32, name: String) {
        kind = .stream(fd: fd)
        self.name = name
    }

    var isInteractive: Bool {
        if case .editor = kind { return true }
        return false
    }

    /// The next line, or nil at end of input; TAB at the editor completes from `completer`.
    func next(prompt: String, completer: Completer? = nil) -> String? {
        lineNumber += 1
        switch kind {
        case let .editor(editor):
            return editor.readLine(prompt: prompt, completer: completer)
        case let .stream(fd):
            return readStreamLine(fd)
        }
    }

    private func readStreamLine(_ fd: Int32) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { atEnd = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }
}
