import BoxOS

/// A failure of build, commit, tag, rmi or prune, as a message key, its
/// values and an English template (docker's wording where docker has one),
/// so that the shell can show it in the student's language: the shell's
/// ImageStrings table has the same keys in Korean. Errors in a Boxfile carry
/// "{location}" = "FILE:LINE".
public struct ImageMessage: Error, Equatable, Sendable, CustomStringConvertible {
    public var key: String
    public var values: [String: String]
    /// What `boxlab` exits with: 1 for a failed build (as `docker build`), else 125.
    public var exitCode: Int32

    public init(_ key: String, _ values: [String: String] = [:], exitCode: Int32 = 125) {
        self.key = key
        self.values = values
        self.exitCode = exitCode
    }

    /// A Boxfile error at `file:line`; builds fail with 1 like docker build.
    static func build(_ key: String, _ location: SourceLocation, _ values: [String: String] = [:]) -> ImageMessage {
        var all = values
        all["location"] = location.description
        return ImageMessage(key, all, exitCode: 1)
    }

    public var description: String { Template.fill(Self.englishTemplates[key] ?? key, values) }

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

extension ImageError {
    /// The error as an `ImageMessage` (so the shell can translate it).
    public var message: ImageMessage {
        switch self {
        case let .notFound(name): return ImageMessage("image.noSuchImage", ["reference": name])
        default: return ImageMessage("image.error", ["detail": description])
        }
    }
}
