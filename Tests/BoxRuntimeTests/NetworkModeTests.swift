import BoxNet
@testable import BoxRuntime
import Testing

/// --network, else $BOXLAB_NETWORK, else bridge only when -p needs it.
@Suite("network mode: --network, BOXLAB_NETWORK, -p")
struct NetworkModeTests {
    func mode(_ requested: NetworkMode?, publishing: Bool = false, env: String? = nil) throws -> NetworkMode {
        let runtime = Runtime(root: "/tmp/boxlab-netmode-test", environment: env.map { ["BOXLAB_NETWORK": $0] } ?? [:])
        return try runtime.networkMode(requested, publishing: publishing)
    }

    @Test("--network wins over the environment and -p", arguments: NetworkMode.allCases)
    func requestedWins(requested: NetworkMode) throws {
        #expect(try mode(requested, publishing: true, env: "host") == requested)
    }

    @Test("no --network: BOXLAB_NETWORK decides, even with -p")
    func environment() throws {
        #expect(try mode(nil, env: "bridge") == .bridge)
        #expect(try mode(nil, publishing: true, env: "none") == .none)
    }

    @Test("neither: none, or bridge when a port is published")
    func defaults() throws {
        #expect(try mode(nil) == .none)
        #expect(try mode(nil, publishing: true) == .bridge)
        #expect(try mode(nil, env: "") == .none, "an empty BOXLAB_NETWORK is unset")
    }

    @Test("an unknown BOXLAB_NETWORK is an error naming it")
    func unknown() {
        #expect(throws: RuntimeError.network(.invalidNetworkMode("wifi"))) { try mode(nil, env: "wifi") }
    }
}
