import BoxOS

/// A rejected `-m`, `--cpus` or `--pids-limit` value. The message follows
/// docker's (cobra's) shape, `invalid argument "lots" for "-m, --memory" flag:
/// invalid size: 'lots'`, so what the student sees matches what docker would
/// have said; `reason` alone is the "why".
public struct CgroupLimitError: LocalizedFailure, Equatable, Sendable {
    /// The flag as the user would type it, e.g. "-m, --memory".
    public var flag: String
    /// The value exactly as given.
    public var value: String
    /// Why it was rejected.
    public var reason: String

    public init(flag: String, value: String, reason: String) {
        self.flag = flag
        self.value = value
        self.reason = reason
    }

    public var key: String { "error.argument" }
    public var values: [String: String] { ["value": value, "flag": flag, "reason": reason] }

    /// cobra's wording; RuntimeError's `.invalidArgument` uses the same key.
    public static let englishTemplates = ["error.argument": "invalid argument \"{value}\" for \"{flag}\" flag: {reason}"]
}
