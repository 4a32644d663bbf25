#if canImport(Glibc)
import Glibc
#endif

/// Wall and monotonic time without Foundation, and the two formats boxlab
/// prints: RFC 3339 (inspect, as docker) and "2 minutes ago" (ps).
public enum Clock {
    /// CLOCK_REALTIME in nanoseconds since the epoch.
    public static func nowNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    public static func monotonicMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public static func monotonicNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// "2026-11-25T15:04:17.123456789Z"; 0 is docker's zero time.
    public static func rfc3339(_ nanos: Int64) -> String {
        if nanos == 0 { return "0001-01-01T00:00:00Z" }
        var seconds = time_t(nanos / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fraction = String(nanos % 1_000_000_000)
        let frac = String(repeating: "0", count: 9 - fraction.count) + fraction
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(frac)Z"
    }

    /// Docker's human durations: "Less than a second", "5 seconds", "About a minute", "3 hours".
    public static func humanDuration(nanos: Int64) -> String {
        let seconds = nanos / 1_000_000_000
        if seconds < 1 { return "Less than a second" }
        if seconds < 60 { return seconds == 1 ? "1 second" : "\(seconds) seconds" }
        let minutes = seconds / 60
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = (minutes + 30) / 60
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        let days = hours / 24
        if days < 14 { return "\(days) days" }
        if days < 60 { return "\(days / 7) weeks" }
        if days < 730 { return "\(days / 30) months" }
        return "\(days / 365) years"
    }
}
