import CBoxShim

/// Where records come from and answers go: a `ShimSession`, or a script in tests.
protocol ShimChannel: AnyObject {
    func next() throws -> bs_record?
    func send(_ command: Int32)
}

extension ShimSession: ShimChannel {}

/// The control byte a record is answered with (boxshim.h, "Control bytes").
enum ShimAnswer: Equatable {
    case `continue`, abort, done

    var byte: Int32 {
        switch self {
        case .continue: return Int32(BS_CMD_CONTINUE.rawValue)
        case .abort: return Int32(BS_CMD_ABORT.rawValue)
        case .done: return Int32(BS_CMD_DONE.rawValue)
        }
    }
}

/// What a verb does after one record: the answer the shim waits for (if it
/// waits), a reason the verb will fail (the first one is kept), and whether
/// the verb has what it needs and stops reading.
struct ShimReply {
    var answer: ShimAnswer?
    var failure: RuntimeError?
    var ends = false

    static let read = ShimReply()
    static func answer(_ answer: ShimAnswer, ends: Bool = false) -> ShimReply { ShimReply(answer: answer, ends: ends) }
}

/// One verb's side of the conversation: `start` and `exec` differ only here.
/// The conversation decodes records and keeps what both need (the first
/// failure, whether the command runs, the exit status); a party does the
/// verb's own work (cgroup join, network, evidence, stepping) and answers.
protocol ShimParty {
    /// The monitor's pid (it outlives boxlab in a detached run).
    mutating func monitor(pid: Int32) throws -> ShimReply
    /// The child exists and waits for the first answer, always.
    mutating func cloned(pid: Int32) throws -> ShimReply
    /// A later creation stage; the child waits only if the spec asked to step.
    mutating func stage(_ stage: UInt32, pid: Int32) throws -> ShimReply
    /// execve succeeded: the command runs.
    mutating func exec(pid: Int32) throws -> ShimReply
    /// PID 1 (or the exec'd process) ended with this wait status.
    mutating func exited(status: Int32) -> ShimReply
}

extension ShimParty {
    mutating func monitor(pid: Int32) throws -> ShimReply { .read }
}

/// The record loop of boxshim.h's table, written once for `start` and `exec`.
struct ShimConversation<Party: ShimParty> {
    let channel: any ShimChannel
    var party: Party
    /// The command, for errors that name it (not found, not executable).
    let argv: [String]
    private(set) var failure: RuntimeError?
    private(set) var started = false
    private(set) var exitStatus: Int32?

    init(channel: any ShimChannel, party: Party, argv: [String]) {
        self.channel = channel
        self.party = party
        self.argv = argv
    }

    /// Reads and answers records until the party ends the conversation or
    /// every writer has closed the report pipe.
    mutating func run() throws {
        while let record = try channel.next() {
            if try receive(record) { return }
        }
    }

    /// Handles one record read elsewhere (a wait that also watches Ctrl-C)
    /// and answers it; true once the party ends the conversation.
    mutating func receive(_ record: bs_record) throws -> Bool {
        let reply = try handle(record)
        if let answer = reply.answer { channel.send(answer.byte) }
        if failure == nil { failure = reply.failure }
        return reply.ends
    }

    mutating func handle(_ record: bs_record) throws -> ShimReply {
        switch UInt32(bitPattern: record.kind) {
        case BS_KIND_MONITOR.rawValue: return try monitor(record)
        case BS_KIND_STAGE.rawValue:
            switch UInt32(bitPattern: record.stage) {
            case BS_STAGE_CLONED.rawValue: return try cloned(record)
            case BS_STAGE_EXEC.rawValue: return try exec(record)
            default: return try stage(record)
            }
        case BS_KIND_ERROR.rawValue: return error(record)
        case BS_KIND_EXITED.rawValue: return exited(record)
        default: return .read
        }
    }

    mutating func monitor(_ record: bs_record) throws -> ShimReply { try party.monitor(pid: record.value) }

    mutating func cloned(_ record: bs_record) throws -> ShimReply { try party.cloned(pid: record.value) }

    mutating func stage(_ record: bs_record) throws -> ShimReply {
        try party.stage(UInt32(bitPattern: record.stage), pid: record.value)
    }

    mutating func exec(_ record: bs_record) throws -> ShimReply {
        started = true
        return try party.exec(pid: record.value)
    }

    /// A failed step: nothing runs. The shim reports the child's exit next.
    mutating func error(_ record: bs_record) -> ShimReply {
        ShimReply(failure: Self.failure(record, argv: argv))
    }

    mutating func exited(_ record: bs_record) -> ShimReply {
        exitStatus = record.value
        return party.exited(status: record.value)
    }

    /// After a start that ran nothing: the shim may still report the
    /// child's exit (an abort, a failed step) before it ends.
    mutating func readExitIfReported() {
        guard exitStatus == nil, let next = try? channel.next(), next.kind == Int32(BS_KIND_EXITED.rawValue) else { return }
        exitStatus = next.value
    }

    static func failure(_ record: bs_record, argv: [String]) -> RuntimeError {
        switch UInt32(bitPattern: record.value) {
        case BS_STEP_EXEC_NOT_FOUND.rawValue: return .commandNotFound(argv.first ?? "")
        case BS_STEP_EXEC_NOT_EXEC.rawValue: return .commandNotExecutable(argv.first ?? "", errno: record.err)
        default:
            return .shim(stage: ShimNames.stage(record.stage), step: ShimNames.step(record.value),
                         errno: record.err, detail: "")
        }
    }
}
