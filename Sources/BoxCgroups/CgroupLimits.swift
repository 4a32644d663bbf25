#if canImport(Glibc)
import Glibc
#endif

/// The resource limits of one container, as the user asked for them with
/// docker's flags. nil means "not limited": the kernel's default ("max")
/// stays in place, so an unlimited container costs no extra writes.
public struct CgroupLimits: Sendable, Equatable {
    /// `-m`: a hard cap on memory, in bytes (with no swap beyond it; see the managers).
    public var memoryBytes: Int64?
    /// `--pids-limit`: most tasks (processes and threads) at once.
    public var pidsMax: Int64?
    /// `--cpus`: CPU time as a number of CPUs, enforced by the CFS quota.
    public var cpus: Double?

    public init(memoryBytes: Int64? = nil, pidsMax: Int64? = nil, cpus: Double? = nil) {
        self.memoryBytes = memoryBytes
        self.pidsMax = pidsMax
        self.cpus = cpus
    }

    /// True when nothing is limited.
    public var isEmpty: Bool { memoryBytes == nil && pidsMax == nil && cpus == nil }

    // MARK: - CPU quota

    /// The CFS period boxlab uses, 100 ms: docker's, and the kernel's default.
    public static let cpuPeriodMicros: Int64 = 100_000

    /// `cpus` as a CFS quota per `cpuPeriodMicros`: 1.5 CPUs → 150000 µs of
    /// CPU time every 100000 µs, however many cores it is spread over.
    public var cpuQuotaMicros: Int64? {
        cpus.map { Int64(($0 * Double(Self.cpuPeriodMicros)).rounded()) }
    }

    // MARK: - Parsing docker's flag values

    /// Docker's daemon refuses less: below ~6 MiB the runtime itself cannot
    /// start the container, and the failure would look like a crash.
    public static let minimumMemoryBytes: Int64 = 6 * 1024 * 1024

    /// Parses a memory size as docker's `-m` does (go-units RAMInBytes):
    /// a decimal number, an optional space, then an optional binary unit
    /// b, k, m, g, t or p (case-insensitive, 1024-based), optionally followed
    /// by "i" and/or "b": "32m", "32M", "32MB", "32mib", "1.5g", "6291456".
    /// Rejects what docker rejects: no number ("lots"), negatives, and less
    /// than 6 MiB ("0" included: docker reads -m 0 as "no limit", boxlab asks
    /// for no flag instead, so a typo never silently removes a limit).
    public static func parseMemory(_ text: String, flag: String = "-m, --memory") throws -> Int64 {
        func fail(_ reason: String) -> CgroupLimitError {
            CgroupLimitError(flag: flag, value: text, reason: reason)
        }
        if text.hasPrefix("-") {
            throw fail("invalid size: '\(text)' (a memory limit cannot be negative)")
        }
        let bytes = Array(text.utf8)
        var i = 0
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        let integerEnd = i
        var fractionEnd = i
        if integerEnd > 0, i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            fractionEnd = i
            if fractionEnd == integerEnd + 1 { throw fail("invalid size: '\(text)'") }
        }
        if integerEnd == 0 { throw fail("invalid size: '\(text)'") }
        let number = String(decoding: bytes[0..<fractionEnd], as: UTF8.self)

        // Suffix: [ ]? [kmgtp]? [i]? [b]?  (the "i" only after a unit letter)
        var suffix = Array(bytes[fractionEnd...])
        if suffix.first == UInt8(ascii: " ") { suffix.removeFirst() }
        let lowered = suffix.map { $0 | 0x20 }  // ASCII letters to lower case
        let units: [UInt8: Int] = [
            UInt8(ascii: "k"): 1, UInt8(ascii: "m"): 2, UInt8(ascii: "g"): 3,
            UInt8(ascii: "t"): 4, UInt8(ascii: "p"): 5,
        ]
        var power = 0
        var j = 0
        if j < lowered.count, let p = units[lowered[j]] {
            power = p
            j += 1
            if j < lowered.count, lowered[j] == UInt8(ascii: "i") { j += 1 }
        }
        if j < lowered.count, lowered[j] == UInt8(ascii: "b") { j += 1 }
        if j != lowered.count { throw fail("invalid size: '\(text)'") }

        var multiplier: Int64 = 1
        for _ in 0..<power { multiplier *= 1024 }
        let tooLarge = "invalid size: '\(text)' (larger than the \(Int64.max) bytes a cgroup can hold)"
        var result: Int64
        if fractionEnd == integerEnd {
            guard let whole = Int64(number) else { throw fail(tooLarge) }
            let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
            if overflow { throw fail(tooLarge) }
            result = product
        } else {
            guard let value = Double(number) else { throw fail("invalid size: '\(text)'") }
            let product = value * Double(multiplier)
            if !(product < 9.2e18) { throw fail(tooLarge) }
            result = Int64(product)
        }
        if result < minimumMemoryBytes {
            throw fail("Minimum memory limit allowed is 6MB")
        }
        return result
    }

    /// Parses `--cpus` ("1.5", "0.25", "2"): a plain decimal number of CPUs
    /// from 0.01 to the host's count. 0.01 is the floor because the quota is
    /// cpus × 100 ms and the kernel refuses a CFS quota under 1 ms; the
    /// ceiling is docker's daemon check, with docker's wording.
    public static func parseCPUs(_ text: String, hostCPUs: Int = hostCPUCount(), flag: String = "--cpus") throws -> Double {
        func fail(_ reason: String) -> CgroupLimitError {
            CgroupLimitError(flag: flag, value: text, reason: reason)
        }
        let body = text.hasPrefix("-") ? text.dropFirst() : text[...]
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed = parts.count <= 2 && body.contains(where: { $0 != "." })
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard wellFormed, let value = Double(text) else {
            throw fail("failed to parse \(text) as a rational number")
        }
        if value < 0.01 || value > Double(hostCPUs) {
            throw fail("Range of CPUs is from 0.01 to \(hostCPUs).00, as there are only \(hostCPUs) CPUs available")
        }
        return value
    }

    /// Parses `--pids-limit`: a positive integer, or -1 for "unlimited"
    /// (returned as nil, which leaves pids.max at "max").
    public static func parsePids(_ text: String, flag: String = "--pids-limit") throws -> Int64? {
        if text == "-1" { return nil }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int64(text), value > 0 else {
            throw CgroupLimitError(flag: flag, value: text,
                                   reason: "must be a positive integer, or -1 for unlimited")
        }
        return value
    }

    /// The CPUs online on the host (what docker's range check counts).
    public static func hostCPUCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
