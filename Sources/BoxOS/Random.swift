#if canImport(Glibc)
import Glibc
#endif
import CBoxShim

/// Random bytes from the kernel (getrandom), for container ids.
public enum Random {
    public static func bytes(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { bs_getrandom($0.baseAddress! + filled, UInt(count - filled)) }
            if n > 0 { filled += n }
        }
        return buffer
    }

    /// A docker-style 64-hex-digit id. Like docker, ids that are all digits are
    /// redrawn so a short id is never mistaken for a number.
    public static func containerID() -> String {
        while true {
            let id = Hex.encode(bytes(32))
            if id.prefix(12).contains(where: { $0.isLetter }) { return id }
        }
    }
}

public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
