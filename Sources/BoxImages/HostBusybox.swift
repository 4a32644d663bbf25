import BoxOS

/// What boxlab learns from the host's static busybox to build its built-in
/// image: the binary itself, its mtime (the image's only timestamp, so the
/// same binary always gives the same layer digest and image id), its
/// version banner and its applet list.
struct HostBusybox {
    var path: String
    var binary: [UInt8]
    var mtime: Int64
    /// "v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)" from the banner line.
    var version: String
    /// Install paths relative to "/", e.g. "bin/sh", "usr/bin/[".
    var applets: [String]

    static func probe(_ path: String) throws -> HostBusybox {
        guard let status = try? FS.status(path), status.isRegular else { throw ImageError.busyboxMissing(path) }
        let binary = try FS.read(path, stage: "image")
        if !isStaticELF(binary) { throw ImageError.busyboxNotStatic(path) }
        let list = try HostCommand.run(path, ["--list-full"])
        guard list.status == 0 else {
            throw ImageError.unsupported("\(path) --list-full exited with \(list.status); is it a full busybox?")
        }
        let applets = list.text.split(separator: "\n").map { $0.trimmingCharacters(in: " \t/") }.filter { !$0.isEmpty }
        let banner = try HostCommand.run(path, []).text.split(separator: "\n").first.map(String.init) ?? ""
        return HostBusybox(path: path, binary: binary, mtime: status.mtime, version: version(fromBanner: banner), applets: applets)
    }

    /// True for an ELF executable without a PT_INTERP program header (no
    /// dynamic loader). Debian's plain `busybox` package is dynamic: copied
    /// into an image without its libc, every command would fail with a
    /// baffling "not found", so it is refused up front.
    static func isStaticELF(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 52, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else { return false }
        let is64 = bytes[4] == 2, bigEndian = bytes[5] == 2
        func number(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= bytes.count else { return nil }
            let field = bytes[offset..<(offset + size)]
            return (bigEndian ? Array(field) : field.reversed()).reduce(0) { $0 << 8 | Int($1) }
        }
        guard let tableOffset = number(is64 ? 0x20 : 0x1C, is64 ? 8 : 4),
              let entrySize = number(is64 ? 0x36 : 0x2A, 2), let count = number(is64 ? 0x38 : 0x2C, 2) else { return false }
        for index in 0..<count {
            guard let type = number(tableOffset + index * entrySize, 4) else { return false }
            if type == 3 { return false }  // PT_INTERP
        }
        return true
    }

    /// "BusyBox v1.35.0 (Debian …) multi-call binary." → "v1.35.0 (Debian …)".
    static func version(fromBanner banner: String) -> String {
        var text = Substring(banner)
        if text.hasPrefix("BusyBox ") { text = text.dropFirst("BusyBox ".count) }
        if let end = text.firstRange(of: " multi-call binary") { text = text[..<end.lowerBound] }
        let version = text.trimmingCharacters(in: " .")
        return version.isEmpty ? "unknown version" : version
    }
}
