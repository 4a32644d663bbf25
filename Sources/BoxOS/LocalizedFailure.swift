/// The one shape of every boxlab failure a student reads: a message key,
/// the values of its `{name}` placeholders, docker's exit code and the
/// error underneath, if any. Each type supplies its English templates
/// (docker's wording where docker has one); the shell's string tables have
/// the same keys in Korean, and show any failure through one path. A value
/// named `<name>Key` is itself a message key: the shell translates it and
/// puts the text in `<name>` first.
public protocol LocalizedFailure: Error, CustomStringConvertible {
    var key: String { get }
    var values: [String: String] { get }
    /// What `boxlab` exits with (docker's codes: 125 when boxlab failed).
    var exitCode: Int32 { get }
    var cause: (any Error)? { get }
    /// English templates of every key the type uses.
    static var englishTemplates: [String: String] { get }
    /// The English template of `key` (by default from `englishTemplates`).
    var englishTemplate: String { get }
}

extension LocalizedFailure {
    public var exitCode: Int32 { 125 }
    public var cause: (any Error)? { nil }
    public var englishTemplate: String { Self.englishTemplates[key] ?? key }
    /// English, in one pass: a value containing `{x}` is inserted as is.
    public var description: String { Template.fill(englishTemplate, values) }
}
