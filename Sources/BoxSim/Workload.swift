/// What runs in every column of a comparison: the same program as a real
/// container and inside each simulated machine. The program is busybox's,
/// so the app's own memory and image come from boxlab's measurements of
/// busybox (PublishedFigures), and only the machine around it differs.
public struct Workload: Sendable, Equatable {
    public let name: String
    /// The command the real container runs (from the busybox image).
    public let argv: [String]
    /// True when the program keeps running (a server, a sleep), so its RSS
    /// can be sampled; `hello` ends at once.
    public let longRunning: Bool
    /// The app's own resident memory, the same in every kind of machine.
    public let appBytes: Int64
    /// The app's files (the busybox image).
    public let appImageBytes: Int64

    public init(name: String, argv: [String], longRunning: Bool,
                appBytes: Int64 = PublishedFigures.busyboxIdleRSS.bytes,
                appImageBytes: Int64 = PublishedFigures.busyboxImage.bytes) {
        self.name = name
        self.argv = argv
        self.longRunning = longRunning
        self.appBytes = appBytes
        self.appImageBytes = appImageBytes
    }

    /// Prints a greeting with the kernel release it sees, and ends.
    public static let hello = Workload(name: "hello", argv: ["sh", "-c", "echo hello from $(uname -r)"],
                                       longRunning: false)
    /// busybox httpd in the foreground: a small web server.
    public static let web = Workload(name: "web", argv: ["httpd", "-f", "-p", "80"], longRunning: true)
    /// An idle process.
    public static let sleep = Workload(name: "sleep", argv: ["sleep", "3600"], longRunning: true)

    public static let all: [Workload] = [hello, web, sleep]

    public static func named(_ name: String) throws -> Workload {
        guard let workload = all.first(where: { $0.name == name }) else { throw SimError.unknownWorkload(name) }
        return workload
    }

    /// The same program with another app memory (`sim density --app-mem`).
    public func withApp(bytes: Int64) -> Workload {
        Workload(name: name, argv: argv, longRunning: longRunning, appBytes: bytes, appImageBytes: appImageBytes)
    }
}

/// Sizes as the commands take them ("512m", "1.5g", "24GiB", "4096k", "1000000")
/// and as they print them. Binary units (k = 1024), as docker's -m.
public enum Size {
    public static let mebibyte: Int64 = 1 << 20
    public static let gibibyte: Int64 = 1 << 30

    public static func parse(_ text: String) throws -> Int64 {
        let lowered = text.lowercased()
        var digits = ""
        var rest = Substring(lowered)
        while let first = rest.first, first.isNumber || first == "." {
            digits.append(first)
            rest = rest.dropFirst()
        }
        guard let number = Double(digits), number > 0 else { throw SimError.invalidSize(text) }
        var unit = String(rest).trimmingSpaces()
        if unit.hasSuffix("b") { unit.removeLast() }
        if unit.hasSuffix("i") { unit.removeLast() }
        let multipliers: [String: Double] = ["": 1, "k": 1024, "m": 1_048_576, "g": 1_073_741_824, "t": 1_099_511_627_776]
        guard let multiplier = multipliers[unit] else { throw SimError.invalidSize(text) }
        let bytes = number * multiplier
        guard bytes >= 1, bytes < 9.0e18 else { throw SimError.invalidSize(text) }
        return Int64(bytes.rounded())
    }

    /// "1.4 MiB", "1.0 GiB", "512 KiB", "800 B": one decimal above KiB.
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var index = 0
        while value >= 1023.95 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return decimal(value, places: value >= 100 ? 0 : 1) + " " + units[index]
    }

    /// "0.25 ms", "12 ms", "4.5 s": durations as the tables print them.
    public static func duration(_ ms: Double) -> String {
        if ms >= 1000 { return decimal(ms / 1000, places: ms >= 10_000 ? 1 : 2) + " s" }
        if ms >= 100 { return decimal(ms, places: 0) + " ms" }
        if ms >= 10 { return decimal(ms, places: 1) + " ms" }
        return decimal(ms, places: 2) + " ms"
    }

    /// Fixed decimals without Foundation's String(format:).
    public static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return sign + String(scaled) }
        let whole = scaled / Int64(scale)
        let fraction = String(scaled % Int64(scale))
        return sign + String(whole) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
