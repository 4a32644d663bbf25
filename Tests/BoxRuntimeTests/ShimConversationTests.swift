import CBoxShim
@testable import BoxRuntime
import Testing

/// The record loop of boxshim.h against a scripted shim: which party method
/// each record reaches, what is answered, and what the conversation keeps.
@Suite("shim conversation: one loop, answered per record")
struct ShimConversationTests {
    /// A shim that reports `records` in order, then EOF, and keeps the answers.
    final class Script: ShimChannel {
        var records: [bs_record]
        var sent: [Int32] = []
        init(_ records: [bs_record]) { self.records = records }
        func next() throws -> bs_record? { records.isEmpty ? nil : records.removeFirst() }
        func send(_ command: Int32) { sent.append(command) }
    }

    /// Notes every call; answers every waiting stage with continue.
    struct Recorder: ShimParty {
        var calls: [String] = []
        var execEnds = true
        mutating func monitor(pid: Int32) -> ShimReply { calls.append("monitor \(pid)"); return .read }
        mutating func cloned(pid: Int32) -> ShimReply { calls.append("cloned \(pid)"); return .answer(.continue) }
        mutating func stage(_ stage: UInt32, pid: Int32) -> ShimReply { calls.append("stage \(stage)"); return .answer(.continue) }
        mutating func exec(pid: Int32) -> ShimReply { calls.append("exec \(pid)"); return ShimReply(ends: execEnds) }
        mutating func exited(status: Int32) -> ShimReply { calls.append("exited \(status)"); return .answer(.done, ends: true) }
    }

    static func stage(_ stage: bs_stage, pid: Int32 = 7) -> bs_record {
        bs_record(kind: Int32(BS_KIND_STAGE.rawValue), stage: Int32(stage.rawValue), err: 0, value: pid)
    }
    static func record(_ kind: bs_kind, value: Int32, stage: Int32 = 0, err: Int32 = 0) -> bs_record {
        bs_record(kind: Int32(kind.rawValue), stage: stage, err: err, value: value)
    }
    static let c = Int32(BS_CMD_CONTINUE.rawValue), d = Int32(BS_CMD_DONE.rawValue)

    func converse(_ records: [bs_record], execEnds: Bool = true) throws -> (ShimConversation<Recorder>, Script) {
        let script = Script(records)
        var conversation = ShimConversation(channel: script, party: Recorder(execEnds: execEnds), argv: ["app", "-x"])
        try conversation.run()
        return (conversation, script)
    }

    @Test("a start: monitor, cloned, stages, exec reach their methods in order, and exec ends it")
    func startOrder() throws {
        let (conversation, script) = try converse([
            Self.record(BS_KIND_MONITOR, value: 3), Self.stage(BS_STAGE_CLONED), Self.stage(BS_STAGE_ROOTFS),
            Self.stage(BS_STAGE_EXEC), Self.record(BS_KIND_EXITED, value: 0),
        ])
        #expect(conversation.party.calls == ["monitor 3", "cloned 7", "stage \(BS_STAGE_ROOTFS.rawValue)", "exec 7"])
        #expect(script.sent == [Self.c, Self.c])
        #expect(conversation.started)
        #expect(conversation.exitStatus == nil)
        #expect(script.records.count == 1, "what comes after the end is left for the caller")
    }

    @Test("an attached exec reads on to EXITED and answers done")
    func exitedEnds() throws {
        let (conversation, script) = try converse([
            Self.stage(BS_STAGE_CLONED), Self.stage(BS_STAGE_EXEC), Self.record(BS_KIND_EXITED, value: 256),
        ], execEnds: false)
        #expect(conversation.party.calls == ["cloned 7", "exec 7", "exited 256"])
        #expect(script.sent == [Self.c, Self.d])
        #expect(conversation.exitStatus == 256)
    }

    @Test("an ERROR is kept as the failure, the first one only, and names the command")
    func firstFailure() throws {
        let notFound = Self.record(BS_KIND_ERROR, value: Int32(BS_STEP_EXEC_NOT_FOUND.rawValue), stage: Int32(BS_STAGE_EXEC.rawValue), err: 2)
        let mount = Self.record(BS_KIND_ERROR, value: Int32(BS_STEP_MOUNT_PROC.rawValue), stage: Int32(BS_STAGE_ROOTFS.rawValue), err: 1)
        let (conversation, _) = try converse([notFound, mount, Self.record(BS_KIND_EXITED, value: 127 << 8)])
        #expect(conversation.failure == .commandNotFound("app"))
        #expect(!conversation.started)
        #expect(conversation.exitStatus == 127 << 8)
    }

    @Test("a failed step names its stage, step and errno")
    func stepFailure() {
        let record = Self.record(BS_KIND_ERROR, value: Int32(BS_STEP_MOUNT_PROC.rawValue), stage: Int32(BS_STAGE_ROOTFS.rawValue), err: 1)
        #expect(ShimConversation<Recorder>.failure(record, argv: []) == .shim(stage: "rootfs", step: "mount /proc", errno: 1, detail: ""))
        let notExec = Self.record(BS_KIND_ERROR, value: Int32(BS_STEP_EXEC_NOT_EXEC.rawValue), err: 13)
        #expect(ShimConversation<Recorder>.failure(notExec, argv: ["app"]) == .commandNotExecutable("app", errno: 13))
    }

    @Test("a party's failure counts as much as the shim's, and comes first")
    func partyFailure() throws {
        struct Refuser: ShimParty {
            func cloned(pid: Int32) -> ShimReply { ShimReply(answer: .abort, failure: .aborted) }
            func stage(_ stage: UInt32, pid: Int32) -> ShimReply { .read }
            func exec(pid: Int32) -> ShimReply { ShimReply(ends: true) }
            func exited(status: Int32) -> ShimReply { ShimReply(ends: true) }
        }
        let script = Script([Self.stage(BS_STAGE_CLONED), Self.record(BS_KIND_ERROR, value: 0, stage: 1)])
        var conversation = ShimConversation(channel: script, party: Refuser(), argv: [])
        try conversation.run()
        #expect(conversation.failure == .aborted)
        #expect(script.sent == [Int32(BS_CMD_ABORT.rawValue)])
    }

    @Test("EOF ends the conversation; an unknown kind is skipped")
    func endOfFile() throws {
        let (conversation, script) = try converse([bs_record(kind: 99, stage: 0, err: 0, value: 0)])
        #expect(conversation.party.calls.isEmpty)
        #expect(script.sent.isEmpty)
        #expect(!conversation.started && conversation.failure == nil && conversation.exitStatus == nil)
    }

    @Test("after a start that ran nothing, a reported exit is read once")
    func readExit() throws {
        let script = Script([Self.stage(BS_STAGE_CLONED), Self.record(BS_KIND_EXITED, value: 9), Self.record(BS_KIND_EXITED, value: 10)])
        struct Stopper: ShimParty {
            func cloned(pid: Int32) -> ShimReply { ShimReply(answer: .abort, ends: true) }
            func stage(_ stage: UInt32, pid: Int32) -> ShimReply { .read }
            func exec(pid: Int32) -> ShimReply { .read }
            func exited(status: Int32) -> ShimReply { .read }
        }
        var conversation = ShimConversation(channel: script, party: Stopper(), argv: [])
        try conversation.run()
        conversation.readExitIfReported()
        conversation.readExitIfReported()
        #expect(conversation.exitStatus == 9)
        #expect(script.records.count == 1)
    }

    @Test("a record read elsewhere (a wait that watches Ctrl-C) is handled and answered the same way")
    func receive() throws {
        let script = Script([])
        var conversation = ShimConversation(channel: script, party: Recorder(), argv: [])
        #expect(try !conversation.receive(Self.stage(BS_STAGE_PIVOT)))
        #expect(try conversation.receive(Self.record(BS_KIND_EXITED, value: 5)))
        #expect(conversation.exitStatus == 5)
        #expect(script.sent == [Self.c, Self.d])
    }

    @Test("answers are boxshim.h's control bytes")
    func answerBytes() {
        #expect(ShimAnswer.continue.byte == Int32(UInt8(ascii: "c")))
        #expect(ShimAnswer.abort.byte == Int32(UInt8(ascii: "a")))
        #expect(ShimAnswer.done.byte == Int32(UInt8(ascii: "d")))
    }
}
