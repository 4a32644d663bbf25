import BoxJSON

/// A parsed Boxfile (boxlab's name for a Dockerfile; the same syntax): one
/// step per instruction, with where it came from. Arguments that depend on
/// the build (variables like `$HOME` in ENV, WORKDIR, COPY…) are expanded
/// by `BoxfileStep.resolve(environment:)` when the step runs, since an
/// ENV earlier in the file or in the base image gives their values.
public struct Boxfile: Equatable, Sendable {
    /// The file name used in error locations ("Boxfile").
    public var file: String
    public var steps: [BoxfileStep]
    /// What docker would warn of while parsing (an empty line inside a continuation).
    public var warnings: [ImageError]

    public init(file: String, steps: [BoxfileStep], warnings: [ImageError] = []) {
        self.file = file
        self.steps = steps
        self.warnings = warnings
    }

    /// The instructions boxlab runs.
    public static let supported: Set<String> = [
        "FROM", "RUN", "COPY", "ADD", "ENV", "WORKDIR", "CMD", "ENTRYPOINT", "LABEL", "EXPOSE", "USER",
    ]
    /// Dockerfile instructions boxlab knows but does not run (told apart from typos).
    static let unsupported: Set<String> = [
        "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "VOLUME", "MAINTAINER",
    ]
}

/// One instruction as written: keyword, argument text (continuations
/// joined), location, and for RUN/CMD/ENTRYPOINT the command form.
public struct BoxfileStep: Equatable, Sendable {
    public var location: SourceLocation
    /// Upper-case keyword ("RUN").
    public var keyword: String
    /// Everything after the keyword, continuation lines joined.
    public var arguments: String
    /// The file's escape character: a backslash, or a backtick set by `# escape=`.
    public var escape: Character

    public init(location: SourceLocation, keyword: String, arguments: String, escape: Character = "\\") {
        self.location = location
        self.keyword = keyword
        self.arguments = arguments
        self.escape = escape
    }

    /// "RUN echo hi": how docker prints the step ("Step 2/5 : RUN echo hi").
    public var text: String { arguments.isEmpty ? keyword : keyword + " " + arguments }
}

/// What a command instruction runs: shell form goes through /bin/sh -c,
/// exec form (a JSON array) is the argv itself.
public enum CommandForm: Equatable, Sendable {
    case shell(String)
    case exec([String])

    public var argv: [String] {
        switch self {
        case let .shell(text): return ["/bin/sh", "-c", text]
        case let .exec(argv): return argv
        }
    }

    /// The command as docker's messages show it: the argv joined by spaces.
    public var display: String { argv.joined(separator: " ") }

    /// The argument text as a config or history shows it: the JSON array.
    var json: String { JSON.strings(argv).serialized() }
}

/// A step with its arguments understood (variables expanded).
public enum Instruction: Equatable, Sendable {
    case from(image: String)
    case run(CommandForm)
    case copy(CopySpec)
    case env([KeyValue])
    case workdir(String)
    case cmd(CommandForm)
    case entrypoint(CommandForm)
    case label([KeyValue])
    case expose([String])
    case user(String)
}

public struct KeyValue: Equatable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// COPY or ADD: sources in the build context, a destination in the image.
public struct CopySpec: Equatable, Sendable {
    public var isAdd: Bool
    public var sources: [String]
    public var destination: String
    public var owner: (uid: Int, gid: Int)?
    public var mode: UInt32?

    public init(isAdd: Bool, sources: [String], destination: String, owner: (uid: Int, gid: Int)? = nil, mode: UInt32? = nil) {
        self.isAdd = isAdd
        self.sources = sources
        self.destination = destination
        self.owner = owner
        self.mode = mode
    }

    public static func == (a: CopySpec, b: CopySpec) -> Bool {
        a.isAdd == b.isAdd && a.sources == b.sources && a.destination == b.destination
            && a.owner?.uid == b.owner?.uid && a.owner?.gid == b.owner?.gid && a.mode == b.mode
    }
}
