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
        let list = try HostCommand.run(path, ["--list-full"])
        guard list.status == 0 else {
            throw ImageError.unsupported("\(path) --list-full exited with \(list.status); is it a full busybox?")
        }
        let applets = list.text.split(separator: "\n").map { $0.trimmingCharacters(in: " \t/") }.filter { !$0.isEmpty }
        let banner = try HostCommand.run(path, []).text.split(separator: "\n").first.map(String.init) ?? ""
        return HostBusybox(path: path, binary: binary, mtime: status.mtime, version: version(fromBanner: banner), applets: applets)
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
