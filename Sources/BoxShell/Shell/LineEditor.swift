#if canImport(Glibc)
import Glibc
#endif
import BoxOS
@preconcurrency import CEditLine

/// libedit through its readline-compatible API: emacs keys, history, and
/// boxlab's own completion. libedit keeps its state in C globals, so there
/// is one editor per process by nature; this type is its only user.
struct LineEditor {
    let historyPath: String
    /// What the completion hook completes from: libedit's hook takes no
    /// context of its own, so this is set beside libedit's globals for the
    /// duration of each readLine.
    nonisolated(unsafe) private static var completer: Completer?

    init(historyPath: String) {
        self.historyPath = historyPath
        rl_readline_name = UnsafePointer(strdup("boxlab"))
        rl_attempted_completion_function = { text, start, end in
            LineEditor.complete(text: text, start: start, end: end)
        }
        _ = read_history(historyPath)
    }

    /// Reads one line; nil at end of input (Ctrl-D). Ctrl-C drops the line
    /// being typed and prompts again, as sh does.
    func readLine(prompt: String, completer: Completer?) -> String? {
        Self.completer = completer
        defer { Self.completer = nil }
        let shown = Self.markingEscapes(prompt)
        while true {
            Interrupts.drain()
            guard let raw = readline(shown) else {
                // libedit returns NULL both at end of input and when SIGINT
                // (the shell's handler, installed without SA_RESTART) breaks
                // its read(); only the interrupt pipe tells them apart. The
                // cursor is still on the prompt's line either way.
                if Interrupts.drain() {
                    Terminal.write("^C\n")
                    continue
                }
                Terminal.write("\n")
                return nil
            }
            defer { free(raw) }
            let line = String(cString: raw)
            if !line.trimmingCharacters(in: " \t").isEmpty {
                add_history(line)
                _ = write_history(historyPath)
                _ = history_truncate_file(historyPath, 1000)
            }
            return line
        }
    }

    /// Brackets each escape sequence (the prompt's colour) in readline's
    /// RL_PROMPT_START_IGNORE / RL_PROMPT_END_IGNORE, \001 and \002:
    /// unmarked, libedit prints ESC as nothing and the rest as text
    /// ("[1;36mboxlab>[0m"), and miscounts the prompt's width.
    static func markingEscapes(_ prompt: String) -> String {
        var marked = String.UnicodeScalarView()
        var inEscape = false
        var afterEscape = false
        for scalar in prompt.unicodeScalars {
            if scalar == "\u{1B}" {
                if !inEscape { marked.append("\u{01}") }
                marked.append(scalar)
                inEscape = true
                afterEscape = true
                continue
            }
            marked.append(scalar)
            // A CSI sequence ends at its final byte, 0x40...0x7E (not the "[" that opens it).
            if inEscape && !(afterEscape && scalar == "[") && (0x40...0x7E).contains(scalar.value) {
                marked.append("\u{02}")
                inEscape = false
            }
            afterEscape = false
        }
        if inEscape { marked.append("\u{02}") }
        return String(marked)
    }

    /// The completion hook: candidates for the word under the cursor, never
    /// libedit's default of host file names (they would mislead: the
    /// container's files are not the host's).
    private static func complete(text: UnsafePointer<CChar>?, start: Int32, end: Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1
        let line = rl_line_buffer.map { String(cString: $0) } ?? ""
        let prefixBytes = Array(line.utf8.prefix(Int(start)))
        let before = String(decoding: prefixBytes, as: UTF8.self)
        let word = text.map { String(cString: $0) } ?? ""
        guard let candidates = completer?.candidates(before: before, word: word), !candidates.isEmpty else { return nil }
        // readline's convention: [0] is what replaces the word (the common
        // prefix), then the matches, then NULL.
        let common = Completer.commonPrefix(candidates)
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: candidates.count + 2)
        array[0] = strdup(candidates.count == 1 ? candidates[0] : common)
        for (index, candidate) in candidates.enumerated() { array[index + 1] = strdup(candidate) }
        array[candidates.count + 1] = nil
        return array
    }
}
