#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BoxImages
import BoxOS

/// docker push NAME[:TAG]: sends an image to the registry its name starts
/// with (localhost:PORT/…), over the OCI distribution API: a HEAD per blob
/// skips what the registry has, a POST + PUT uploads the rest, then the
/// manifest is PUT under the tag.
struct PushCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Push an image to a registry at localhost (e.g. localhost:5000/NAME:TAG).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The image, named with its registry: localhost:PORT/REPOSITORY[:TAG].") var name: String

    func run(context: CommandContext) throws {
        let runtime = try context.makeRuntime()
        try ArchiveStrings.reporting(context.text) {
            let reference = try ImageCommandSupport.reference(name)
            Terminal.line("The push refers to repository [\(reference.repository)]")
            let view = RegistryProgressView(active: "Pushing", done: "Pushed")
            let digest = try runtime.images.push(name, to: reference, progress: view.handle)
            let size = (try? FS.status(runtime.images.layout.blobPath(digest)).size) ?? 0
            Terminal.line("\(reference.tag ?? ImageReference.defaultTag): digest: \(digest) size: \(size)")
            if context.level == .deep { Terminal.write(context.text("registry.pushNote") + "\n", fd: 2) }
        }
    }
}

/// Per-layer progress of push and pull, docker style: on a terminal each
/// blob's line is redrawn in place ("3a5b…: Pushing  1.2MB/3.4MB"); when
/// output is not a terminal only each blob's final line is printed.
final class RegistryProgressView {
    private let tty = isatty(1) != 0
    private let active: String
    private let done: String
    private var lastDraw: [String: Int64] = [:]

    init(active: String, done: String) {
        self.active = active
        self.done = done
    }

    static func short(_ digest: String) -> String { String(ContentDigest.hex(digest).prefix(12)) }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes)B" }
        if bytes < 1_000_000 { return "\(bytes / 100 / 10).\(bytes / 100 % 10)kB" }
        return "\(bytes / 100_000 / 10).\(bytes / 100_000 % 10)MB"
    }

    func handle(_ event: RegistryProgress) {
        switch event {
        case let .exists(digest):
            Terminal.line("\(Self.short(digest)): Layer already exists")
        case let .transferring(digest, done, total):
            guard tty else { return }
            // Redraw at most every 256 kB (and at the end) to keep the terminal quiet.
            if let last = lastDraw[digest], done - last < 256 * 1024 && done != total { return }
            lastDraw[digest] = done
            let amount = total > 0 ? "\(Self.size(done))/\(Self.size(total))" : Self.size(done)
            Terminal.write("\r\u{1b}[K\(Self.short(digest)): \(active)  \(amount)")
        case let .finished(digest):
            Terminal.write((tty ? "\r\u{1b}[K" : "") + "\(Self.short(digest)): \(self.done)\n")
        case .manifest:
            break
        }
    }
}
