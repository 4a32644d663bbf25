/// The message templates of every string table: `{name}` placeholders,
/// filled in one pass (a value containing braces is inserted as is, never
/// expanded again), and `{name|one|other}`, which picks a word by the count
/// in `name`: `one` when it is 1, else `other` ("{count} read-only
/// {count|layer|layers}"). English needs the second form for plurals;
/// Korean has no plural inflection ("레이어 {count}개") and does not use it.
public enum Template {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let value = substitute(rest[rest.index(after: open)..<close], values) else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// "1 layer", "3 layers": for messages built in code rather than from a table.
    public static func count(_ count: Int, _ one: String, _ other: String) -> String {
        "\(count) " + (count == 1 ? one : other)
    }

    /// The placeholder names of a template (for the tables' consistency tests).
    public static func placeholders(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close].prefix { $0 != "|" }))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The text of one `{…}`: a value, or the form its count picks; nil leaves it as written.
    private static func substitute(_ inside: Substring, _ values: [String: String]) -> String? {
        let parts = inside.split(separator: "|", omittingEmptySubsequences: false)
        guard let value = values[String(parts[0])] else { return nil }
        guard parts.count == 3 else { return parts.count == 1 ? value : nil }
        return String(value == "1" ? parts[1] : parts[2])
    }
}
