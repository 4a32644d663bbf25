/// Splits a shell line into words like sh does: single quotes, double quotes
/// with backslash escapes, backslashes outside quotes, and # comments.
/// Errors say where (column), so a broken line in a lesson script is easy to find.
public enum LineTokenizer {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var column: Int
        public var reason: String
        public var description: String { "column \(column): \(reason)" }
    }

    public static func split(_ line: String) throws(Failure) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var quoteColumn = 0
        var escaped = false
        for (offset, character) in line.enumerated() {
            let column = offset + 1
            if escaped {
                current.append(character)
                escaped = false
                inWord = true
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'", "\"":
                quote = character
                quoteColumn = column
                inWord = true
            case "\\":
                escaped = true
            case "#" where !inWord:
                return finish(words, current, inWord)
            default:
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw Failure(column: quoteColumn, reason: "unterminated quote") }
        if escaped { throw Failure(column: line.count, reason: "a backslash ends the line") }
        return finish(words, current, inWord)
    }

    private static func finish(_ words: [String], _ current: String, _ inWord: Bool) -> [String] {
        inWord ? words + [current] : words
    }
}
