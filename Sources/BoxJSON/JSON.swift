/// A JSON value with objects that keep their key order, so state files and
/// `inspect` read in a stable, docker-like order. Hand-written instead of
/// Foundation's JSONEncoder because every boxlab command parses state and
/// Foundation's start-up cost would be paid by each `boxlab ps`.
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    // MARK: - Building

    public static func int(_ value: some BinaryInteger) -> JSON { .number(Double(value)) }

    public static func strings(_ values: [String]) -> JSON { .array(values.map { .string($0) }) }

    /// `.string(value)` or `.null` when nil.
    public static func optional(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    // MARK: - Reading

    public subscript(key: String) -> JSON? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case let .number(value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        guard case let .number(value) = self, value.rounded() == value, abs(value) < 9.0e18 else { return nil }
        return Int(value)
    }

    public var int64Value: Int64? { intValue.map(Int64.init) }

    public var boolValue: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case let .array(value) = self { return value }
        return nil
    }

    public var objectValue: [(String, JSON)]? {
        if case let .object(value) = self { return value }
        return nil
    }

    /// The array as strings, skipping non-strings; empty when not an array.
    public var stringArray: [String] { arrayValue?.compactMap(\.stringValue) ?? [] }

    /// Returns a copy with `key` set (replaced in place, or appended).
    public func setting(_ key: String, _ value: JSON) -> JSON {
        guard case var .object(members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
