import BoxJSON
@testable import BoxRuntime
import Testing

/// Every status change goes through `transition(to:)`; the table is runc's
/// libcontainer/state_linux.go, cut to what boxlab's verbs do.
@Suite("container status: the legal transitions and nothing else")
struct ContainerStatusTests {
    static let legal: [(ContainerStatus, ContainerStatus)] = [
        (.created, .created),  // a failed start
        (.created, .running),  // start
        (.running, .running),  // refreshed from the freezer
        (.running, .paused),   // pause
        (.running, .exited),   // PID 1 ended
        (.paused, .paused),    // refreshed from the freezer
        (.paused, .running),   // unpause
        (.paused, .exited),    // killed while frozen
        (.exited, .running),   // restart
        (.exited, .created),   // a failed restart
    ]

    static var illegal: [(ContainerStatus, ContainerStatus)] {
        ContainerStatus.allCases.flatMap { from in ContainerStatus.allCases.map { (from, $0) } }
            .filter { pair in !legal.contains { $0 == pair } }
    }

    @Test("a legal pair changes the status", arguments: legal)
    func legalPair(from: ContainerStatus, to: ContainerStatus) throws {
        var status = from
        try status.transition(to: to, id: "c1", operation: "test")
        #expect(status == to)
        #expect(from.canTransition(to: to))
    }

    @Test("an illegal pair throws wrongState naming the current status and changes nothing", arguments: illegal)
    func illegalPair(from: ContainerStatus, to: ContainerStatus) {
        var status = from
        #expect(throws: RuntimeError.wrongState(id: "c1", operation: "test", state: from.rawValue)) {
            try status.transition(to: to, id: "c1", operation: "test")
        }
        #expect(status == from)
        #expect(!from.canTransition(to: to))
    }

    @Test("six pairs are illegal: nothing reaches paused but running, nothing runs after exited but a start")
    func illegalCount() {
        #expect(Self.illegal.count == 6)
        #expect(Self.illegal.contains { $0 == (.created, .paused) })
        #expect(Self.illegal.contains { $0 == (.exited, .exited) })
        #expect(Self.illegal.contains { $0 == (.running, .created) })
    }

    @Test("hasProcess: running and paused only")
    func hasProcess() {
        #expect(ContainerStatus.allCases.filter(\.hasProcess) == [.running, .paused])
    }

    @Test("a state's transition changes its status; the JSON keeps it")
    func stateTransition() throws {
        var state = ContainerState()
        #expect(state.status == .created)
        try state.transition(to: .running, id: "c1", operation: "start")
        try state.transition(to: .paused, id: "c1", operation: "pause")
        #expect(state.status == .paused)
        #expect(try ContainerState(json: state.json, path: "state.json") == state)
    }

    @Test("a state without a known Status is corrupt")
    func corruptStatus() {
        let json: JSON = .object([("Status", .string("sleeping"))])
        #expect(throws: RuntimeError.corruptState(path: "p", reason: "missing or unknown Status")) {
            try ContainerState(json: json, path: "p")
        }
    }
}
