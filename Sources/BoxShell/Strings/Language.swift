import BoxOS

/// The languages every user-facing string exists in.
public enum Language: String, CaseIterable, Sendable {
    case en, ko

    /// BOXLAB_LANG, else LANG/LC_ALL starting with "ko", else English.
    public static func from(environment: [String: String]) -> Language {
        if let explicit = environment["BOXLAB_LANG"], let language = Language(rawValue: explicit) { return language }
        for key in ["LC_ALL", "LANG"] where environment[key]?.hasPrefix("ko") == true { return .ko }
        return .en
    }
}

/// Looks up a key in the language's catalogue and fills `{name}` placeholders.
public struct Localizer: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    public func callAsFunction(_ key: MessageKey, _ values: [String: String] = [:]) -> String {
        Template.fill(template(key) ?? key.rawValue, values)
    }

    /// Any failure in the language: its key looked up in the catalogue (else
    /// the failure's own English template), in one pass. A value named
    /// `<name>Key` is a key too, translated into `<name>` first.
    public func callAsFunction(_ failure: any LocalizedFailure) -> String {
        var values = failure.values
        for (name, key) in failure.values where name.hasSuffix("Key") {
            values[String(name.dropLast(3))] = self(MessageKey(key), failure.values)
        }
        return Template.fill(template(MessageKey(failure.key)) ?? failure.englishTemplate, values)
    }

    private func template(_ key: MessageKey) -> String? {
        Catalog.messages(language)[key] ?? Catalog.english[key]
    }
}

extension String {
    /// Columns the text takes in a terminal: Hangul and other wide
    /// characters take two, so tables line up in Korean too.
    public var displayWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    /// Pads with spaces to `width` display columns.
    public func padded(to width: Int) -> String {
        let missing = width - displayWidth
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }
}
