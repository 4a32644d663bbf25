#if canImport(Glibc)
import Glibc
#endif
@preconcurrency import CEditLine

/// libedit through its readline-compatible API: emacs keys, history, and
/// boxlab's own completion. libedit keeps its state in C globals, so there
/// is one editor per process by nature; this type is its only user.
struct LineEditor {
    let historyPath: String

    init(historyPath: String) {
        self.historyPath = historyPath
        rl_readline_name = UnsafePointer(strdup("boxlab"))
        rl_attempted_completion_function = { text, start, end in
            LineEditor.complete(text: text, start: start, end: end)
        }
        _ = read_history(historyPath)
    }

    /// Reads one line; nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: " \t").isEmpty {
            add_history(line)
            _ = write_history(historyPath)
            _ = history_truncate_file(historyPath, 1000)
        }
        return line
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
        let candidates = Completer(environment: ShellEnvironment.current()).candidates(before: before, word: word)
        guard !candidates.isEmpty else { return nil }
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

/// The process environment, read fresh (the shell's `lang`/`narrate` change it).
enum ShellEnvironment {
    static func current() -> [String: String] { GlobalOptions.environment() }
}
