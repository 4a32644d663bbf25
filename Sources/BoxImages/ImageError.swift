import BoxOS

/// Everything that can go wrong with images, worded for the student: each case
/// names what was asked for and why it failed. Syscall failures that are not
/// about a particular image or archive entry pass through as BoxOS `SysError`.
/// A failure of build, commit, tag, rmi or prune is `.message`: a key of
/// `englishTemplates` (the shell's ImageStrings has the same keys in
/// Korean) and its values; errors in a Boxfile carry "{location}" = "FILE:LINE".
public enum ImageError: LocalizedFailure, Equatable, Sendable {
    /// `text` is not a reference docker would accept; `reason` says which rule it breaks.
    case invalidReference(String, String)
    /// Nothing in the store matches; the payload is what docker would print
    /// ("busybox:latest" for `busybox`, the id text for an id).
    case notFound(String)
    /// An id prefix matches more than one image.
    case ambiguousID(String)
    /// The host has no static busybox to build the default image from (path looked at).
    case busyboxMissing(String)
    /// The host's busybox needs a dynamic loader and libc, which the image lacks.
    case busyboxNotStatic(String)
    /// The archive is malformed at `entry`.
    case invalidArchive(entry: String, reason: String)
    /// The entry would write outside the layer or through a link: refused.
    case unsafeEntry(entry: String, reason: String)
    /// The entry is well formed but creating it on disk failed.
    case unpackFailed(entry: String, reason: String)
    /// A file of the store does not say what it must (index.json, a manifest, a config).
    case corruptStore(path: String, reason: String)
    /// The image uses something this version of boxlab does not handle yet.
    case unsupported(String)
    /// A keyed message; `exitCode` is 1 for a failed build (as `docker build`), else 125.
    case message(key: String, values: [String: String], exitCode: Int32)

    public init(_ key: String, _ values: [String: String] = [:], exitCode: Int32 = 125) {
        self = .message(key: key, values: values, exitCode: exitCode)
    }

    /// A Boxfile error at `file:line`; builds fail with 1 like docker build.
    static func build(_ key: String, _ location: SourceLocation, _ values: [String: String] = [:]) -> ImageError {
        var all = values
        all["location"] = location.description
        return ImageError(key, all, exitCode: 1)
    }

    /// What the shell translates: a message's own key, "image.noSuchImage"
    /// for `.notFound`, and the English line as "image.error" for the rest.
    public var key: String {
        switch self {
        case let .message(key, _, _): return key
        case .notFound: return "image.noSuchImage"
        default: return "image.error"
        }
    }

    public var values: [String: String] {
        switch self {
        case let .message(_, values, _): return values
        case let .notFound(name): return ["reference": name]
        default: return ["detail": description]
        }
    }

    public var exitCode: Int32 {
        if case let .message(_, _, code) = self { return code }
        return 125
    }

    /// The error as a `.message` of its key and values (what rmi reports per image).
    public var keyed: ImageError { .message(key: key, values: values, exitCode: exitCode) }

    /// A message in its English template; the other cases in docker's words.
    public var description: String {
        switch self {
        case let .message(key, values, _):
            return Template.fill(Self.englishTemplates[key] ?? key, values)
        case let .invalidReference(text, reason):
            return "invalid reference format: \(reason) (in \"\(text)\")"
        case let .notFound(name):
            return "Unable to find image '\(name)' locally"
        case let .ambiguousID(prefix):
            return "multiple images found with provided prefix: \(prefix)"
        case let .busyboxMissing(path):
            return "cannot build the default busybox image: \(path) is missing; "
                + "install a static busybox with `apt-get install busybox-static`"
        case let .busyboxNotStatic(path):
            return "cannot build the default busybox image: \(path) is dynamically linked and would not run "
                + "in a container; install a static busybox with `apt-get install busybox-static`"
        case let .invalidArchive(entry, reason):
            return "invalid layer archive at entry \"\(entry)\": \(reason)"
        case let .unsafeEntry(entry, reason):
            return "refused layer entry \"\(entry)\": \(reason)"
        case let .unpackFailed(entry, reason):
            return "cannot unpack layer entry \"\(entry)\": \(reason)"
        case let .corruptStore(path, reason):
            return "image store file \(path) is damaged: \(reason)"
        case let .unsupported(what):
            return "not supported yet: \(what)"
        }
    }

    /// English templates of every key (`{name}` placeholders).
    public static let englishTemplates: [String: String] = [
        // Boxfile parsing
        "build.unknownInstruction": "{location}: unknown instruction: {instruction}",
        "build.unsupportedInstruction":
            "{location}: {instruction} is a Dockerfile instruction boxlab does not support; "
            + "use FROM, RUN, COPY, ADD, ENV, WORKDIR, CMD, ENTRYPOINT, LABEL, EXPOSE or USER",
        "build.missingFrom": "{location}: the first instruction must be FROM, not {instruction}",
        "build.secondFrom": "{location}: a second FROM: multi-stage builds are not supported",
        "build.fromAlias": "{location}: FROM … AS NAME names a stage for multi-stage builds, which boxlab does not support",
        "build.empty": "{file}: no instructions (the file is empty or has only comments)",
        "build.badJSON": "{location}: {instruction} in exec form must be a JSON array of strings: {reason}",
        // docker's own wording, quoted on purpose (moby's errAtLeastOneArgument and
        // errAtLeastTwoArguments): count is 1 (RUN, ENV, …) or 2 (COPY, ADD).
        "build.needsArguments": "{location}: {instruction} requires at least {count|one argument|two arguments}",
        "build.needsOneArgument": "{location}: {instruction} requires exactly one argument",
        "build.badKeyValue": "{location}: {instruction} expects KEY=VALUE pairs, got \"{word}\"",
        "build.badSubstitution": "{location}: bad variable substitution in \"{text}\"",
        "build.unterminatedQuote": "{location}: unterminated quote in \"{text}\"",
        "build.unsupportedModifier": "{location}: failed to process \"{text}\": unsupported modifier ({modifier}) in substitution",
        "build.badPattern": "{location}: failed to process \"{text}\": invalid pattern ({pattern}) in substitution",
        "build.variableUnset": "{location}: failed to process \"{text}\": {name}: is not allowed to be unset",
        "build.variableEmpty": "{location}: failed to process \"{text}\": {name}: is not allowed to be empty",
        "build.variableMessage": "{location}: failed to process \"{text}\": {name}: {message}",
        "build.repeatedDirective": "{location}: only one {directive} parser directive can be used",
        "build.badEscapeToken": "{location}: invalid escape token '{token}' does not match ` or \\",
        "build.emptyContinuationLine":
            "{location}: [WARNING]: Empty continuation line found in: {instruction} (docker: empty continuation lines will become errors in a future release)",
        "build.badFlag": "{location}: unknown flag {flag} for {instruction}",
        "build.badChown": "{location}: --chown={value}: only numeric UID[:GID] is supported",
        "build.badPort": "{location}: invalid port \"{port}\" (PORT or PORT/tcp or PORT/udp)",
        // Build context and steps
        "build.noBoxfile": "no Boxfile or Dockerfile in {dir} (or name one with -f FILE)",
        "build.unreadable": "cannot read {path}: {reason}",
        "build.contextNotDirectory": "the build context {dir} is not a directory",
        "build.sourceOutside": "{location}: {instruction} failed: forbidden path outside the build context: {source}",
        "build.sourceMissing": "{location}: {instruction} failed: file not found in build context: {source}",
        "build.sourceUnsupported": "{location}: {instruction} failed: {source} is a socket or device; only files, directories and symlinks are copied",
        "build.destinationNotDirectory":
            "{location}: When using {instruction} with more than one source file, the destination must be a directory and end with a /",
        "build.remoteAdd": "{location}: ADD of a URL ({source}) is not supported (no network in boxlab): download it into the build context and COPY it",
        "build.runFailed": "{location}: The command '{command}' returned a non-zero code: {code}",
        "build.runError": "{location}: The command '{command}' could not run: {error}",
        "build.runInScratch": "{location}: RUN needs a shell, and an image FROM scratch has none",
        "build.interrupted": "build interrupted before step {step}; the images of the steps before it are kept (and cached)",
        "build.noImage": "No image was generated. Is your Boxfile empty?",
        "build.baseNotFound": "{location}: FROM {image}: Unable to find image '{image}' locally (boxlab has no registry; only local images and the built-in busybox)",
        // rmi, tag, prune, commit, diff, history
        "image.noSuchImage": "No such image: {reference}",
        "image.conflictDelete": "conflict: unable to delete {id} (must be forced) - {reason}",
        "image.conflictDeleteHard": "conflict: unable to delete {id} (cannot be forced) - {reason}",
        "image.conflictReference":
            "conflict: unable to remove repository reference \"{reference}\" (must force) - container {container} is using its referenced image {id}",
        "image.reasonChildren": "image has dependent child images",
        "image.reasonRunning": "image is being used by running container {container}",
        "image.reasonStopped": "image is being used by stopped container {container}",
        "image.reasonMultiple": "image is referenced in multiple repositories",
        "image.tagByDigest": "refusing to create a tag with a digest reference: {reference}",
        "image.noUpper": "container {container} has no read-write layer at {path}",
        "image.baseGone": "cannot commit container {container}: its image {id} was removed (rmi -f), and with it the layers below its own",
        "image.error": "{detail}",
    ]

    /// A second line the CLI may print under the description, saying what the
    /// student can do next (docker would pull here; boxlab has no registry).
    public var hint: String? {
        switch self {
        case .notFound:
            return "boxlab has no registry configured, so it cannot pull; "
                + "only images already in the local store can be used (busybox is built in)"
        case .ambiguousID:
            return "type more characters of the image id"
        default:
            return nil
        }
    }
}

/// FILE:LINE of an instruction (the first line of a continued one).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
