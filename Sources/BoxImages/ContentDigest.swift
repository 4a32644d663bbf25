import BoxOS
import Crypto

/// "sha256:<64 hex>" digests: how OCI names every blob, and what docker shows
/// as image ids. Only sha256 is produced or accepted, as the OCI spec requires
/// of writers and as docker does in practice.
public enum ContentDigest {
    public static let prefix = "sha256:"

    /// The digest of `bytes` in OCI form.
    public static func sha256(_ bytes: [UInt8]) -> String {
        prefix + Hex.encode(SHA256.hash(data: bytes))
    }

    /// The digest a finished incremental hash stands for.
    static func string(_ hasher: SHA256) -> String {
        prefix + Hex.encode(hasher.finalize())
    }

    /// True for lowercase hex of any length (ids and id prefixes).
    public static func isHex(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// True for exactly "sha256:" + 64 lowercase hex digits.
    public static func isValid(_ digest: String) -> Bool {
        digest.hasPrefix(prefix) && digest.utf8.count == prefix.utf8.count + 64
            && isHex(digest.dropFirst(prefix.count))
    }

    /// The hex part of a digest ("sha256:abc…" → "abc…"), for file names.
    public static func hex(_ digest: String) -> String {
        digest.hasPrefix(prefix) ? String(digest.dropFirst(prefix.count)) : digest
    }
}
