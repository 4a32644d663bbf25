#if canImport(Glibc)
import Glibc
#endif
import BoxOS
import BoxRuntime
import CBoxShim

/// Writing to the terminal and switching it to raw mode for `-it`.
enum Terminal {
    static func write(_ text: String, fd: Int32 = 1) {
        var bytes = Array(text.utf8)
        if outputIsRaw(fd) { bytes = crlf(bytes) }
        try? FS.writeAll(fd: fd, bytes, stage: "output")
    }

    /// A terminal in raw mode (ours, during `run -it`) no longer turns "\n"
    /// into "\r\n", so narration printed then would staircase across the
    /// screen: such a terminal gets the "\r" from us.
    static func outputIsRaw(_ fd: Int32) -> Bool {
        var settings = termios()
        return tcgetattr(fd, &settings) == 0 && settings.c_oflag & tcflag_t(OPOST) == 0
    }

    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") && (index == 0 || bytes[index - 1] != UInt8(ascii: "\r")) {
                out.append(UInt8(ascii: "\r"))
            }
            out.append(byte)
        }
        return out
    }

    static func line(_ text: String) { write(text + "\n") }

    static func error(_ text: String) { write("boxlab: " + text + "\n", fd: 2) }

    /// Any failure in the command's language.
    static func error(_ failure: any LocalizedFailure, _ text: Localizer) {
        error(text(failure))
    }

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
