#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import CBoxShim

/// Writing to the terminal and switching it to raw mode for `-it`.
enum Terminal {
    static func write(_ text: String, fd: Int32 = 1) {
        try? FS.writeAll(fd: fd, Array(text.utf8), stage: "output")
    }

    static func line(_ text: String) { write(text + "\n") }

    static func error(_ text: String) { write("boxlab: " + text + "\n", fd: 2) }

    /// Colours only on a terminal, and never under NO_COLOR or TERM=dumb.
    static func colorEnabled(fd: Int32) -> Bool {
        guard isatty(fd) != 0 else { return false }
        if getenv("NO_COLOR") != nil { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return true
    }

    /// Puts `fd` into raw mode; returns the settings to restore.
    static func makeRaw(_ fd: Int32) -> termios? {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var raw = original
        cfmakeraw(&raw)
        tcsetattr(fd, TCSADRAIN, &raw)
        return original
    }

    static func restore(_ fd: Int32, _ settings: termios?) {
        guard var settings else { return }
        tcsetattr(fd, TCSADRAIN, &settings)
    }

    static func width(fd: Int32 = 1) -> Int {
        var rows: UInt16 = 0, cols: UInt16 = 0
        if bs_ioctl_get_winsize(fd, &rows, &cols) == 0 && cols > 0 { return Int(cols) }
        return 80
    }
}
