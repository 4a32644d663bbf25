#if canImport(Glibc)
import Glibc
#endif

/// Reading the RFC 3339 times image configs carry ("created").
public enum ImageTime {
    /// "2024-05-01T10:20:30.123456789Z" (or with a +hh:mm offset) → ns since the epoch.
    public static func nanos(rfc3339 text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int32? {
            guard start + count <= bytes.count else { return nil }
            var value: Int32 = 0
            for byte in bytes[start..<(start + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 20, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 0x30); digits += 1 }
                index += 1
            }
            while digits < 9 { fraction *= 10; digits += 1 }
        }
        var offset: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard let hours = number(index + 1, 2), let minutes = number(index + 4, 2) else { return nil }
            offset = Int64(hours) * 3600 + Int64(minutes) * 60
            if bytes[index] == UInt8(ascii: "-") { offset = -offset }
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = Int64(timegm(&parts)) - offset
        return seconds * 1_000_000_000 + fraction
    }
}

/// Sizes the way the docker CLI prints them: decimal units, three
/// significant digits ("6B", "855kB", "4.26MB"); `system df` and the
/// prune totals use go-units' HumanSize, four digits ("4.261MB").
public enum ImageSize {
    public static func human(_ bytes: Int64, digits: Int = 3) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return significant(value, digits: digits) + units[unit]
    }

    /// %.3g (or %.4g) without the exponent form: 4.261 → "4.26", 12.0 → "12", 855.4 → "855".
    static func significant(_ value: Double, digits: Int = 3) -> String {
        let magnitude = value >= 100 ? 2 : value >= 10 ? 1 : 0
        let decimals = max(0, digits - 1 - magnitude)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if digits == 3 && rounded >= 1000 { return "1e+03" }  // what %.3g prints at the unit boundary
        var text = String(Int64(rounded))
        if decimals > 0 {
            let fraction = Int64(((rounded - Double(Int64(rounded))) * scale).rounded())
            var digits = String(fraction)
            while digits.count < decimals { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast() }
            if !digits.isEmpty { text += "." + digits }
        }
        return text
    }
}
