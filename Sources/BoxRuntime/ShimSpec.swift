/// The spec file boxlab-shim reads: NUL-separated key/value pairs (see
/// CBoxShim/include/boxshim.h). Built here so that all policy (what to
/// mount, which caps) stays in Swift and the C side stays mechanical.
public struct ShimSpec: Sendable {
    public private(set) var pairs: [(String, String)] = []

    public init() {}

    public mutating func add(_ key: String, _ value: String) {
        pairs.append((key, value))
    }

    public mutating func add(_ key: String, all values: [String]) {
        for value in values { pairs.append((key, value)) }
    }

    public mutating func flag(_ key: String, _ value: Bool) {
        pairs.append((key, value ? "1" : "0"))
    }

    /// Bytes of the file: key\0value\0…
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for (key, value) in pairs {
            out.append(contentsOf: key.utf8)
            out.append(0)
            out.append(contentsOf: value.utf8)
            out.append(0)
        }
        return out
    }

    /// Rejects values the format cannot carry (a NUL ends a string early).
    public static func validate(_ value: String, flag: String) throws(RuntimeError) {
        if value.utf8.contains(0) {
            throw .invalidArgument(flag: flag, value: value, reason: "contains a NUL byte")
        }
    }
}
