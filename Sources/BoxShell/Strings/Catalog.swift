/// A key of a user-facing string. Keys are declared beside the strings of
/// their feature (`extension MessageKey { static let … }`), so features add
/// strings without touching a central list.
public struct MessageKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(stringLiteral value: String) { rawValue = value }
    public init(_ value: String) { rawValue = value }
    public var description: String { rawValue }
}

/// One feature's strings in every language. A test checks that each table
/// has the same keys in English and Korean.
public protocol StringTable {
    static var english: [MessageKey: String] { get }
    static var korean: [MessageKey: String] { get }
}

/// All string tables; a feature adds its table here.
public enum Catalog {
    public static let tables: [any StringTable.Type] = [NarrationStrings.self, ShellStrings.self, HelpStrings.self, ErrorStrings.self, LessonStrings.self, SimStrings.self, ImageStrings.self, NetStrings.self, GradeStrings.self, ArchiveStrings.self, HousekeepingStrings.self]

    static let english: [MessageKey: String] = merged { $0.english }
    static let korean: [MessageKey: String] = merged { $0.korean }

    private static func merged(_ pick: (any StringTable.Type) -> [MessageKey: String]) -> [MessageKey: String] {
        var all: [MessageKey: String] = [:]
        for table in tables { all.merge(pick(table)) { first, _ in first } }
        return all
    }

    static func messages(_ language: Language) -> [MessageKey: String] {
        language == .en ? english : korean
    }
}

extension Dictionary where Key == MessageKey, Value == String {
    /// A failure type's English templates (`LocalizedFailure.englishTemplates`) as a table's entries.
    init(templates: [String: String]) {
        self.init(uniqueKeysWithValues: templates.map { (MessageKey($0.key), $0.value) })
    }
}
