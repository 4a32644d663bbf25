import ArgumentParser
import BoxImages
import BoxOS

/// What the image commands share: their errors in the student's language
/// (ImageStrings), and docker's exit codes.
enum ImageCommandSupport {
    /// Runs `body`; an image error is printed translated and becomes the
    /// exit code (1 for a failed build, as docker build; 125 otherwise).
    static func reporting(_ text: Localizer, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ImageError {
            Terminal.error(error, text)
            if let hint = error.hint { Terminal.write(hint + "\n", fd: 2) }
            throw ExitCode(error.exitCode)
        }
    }

    /// Parses a NAME[:TAG] argument.
    static func reference(_ text: String) throws -> ImageReference {
        try ImageReference.parse(text)
    }

    /// "sha256:<64 hex>" → "<12 hex>" (or the whole id with --no-trunc).
    static func displayID(_ id: String, noTrunc: Bool) -> String {
        noTrunc ? id : String(ContentDigest.hex(id).prefix(12))
    }

    /// "5 minutes ago", or "N/A" when the config has no time (docker's word).
    static func ago(_ nanos: Int64, now: Int64) -> String {
        nanos <= 0 ? "N/A" : Clock.humanDuration(nanos: max(0, now - nanos)) + " ago"
    }

    /// Cuts text to `width` characters with "…" (docker's Ellipsis).
    static func ellipsis(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
