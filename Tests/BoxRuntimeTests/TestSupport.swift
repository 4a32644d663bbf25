#if canImport(Glibc)
import Glibc
#endif
import BoxNet
import BoxOS
@testable import BoxRuntime

/// A private directory under /tmp (mkdtemp), removed after `body`.
enum TempRoot {
    static func with<T>(_ body: (String) throws -> T) throws -> T {
        var template = Array("/tmp/boxlab-runtime-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SysError.current("test", "mkdtemp", "/tmp") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { try? FS.removeTree(path) }
        return try body(path)
    }
}

/// A container config with only what a test cares about set.
func testConfig(id: String = String(repeating: "a", count: 64), name: String = "box",
                layers: [String] = ["/layers/base"], argv: [String] = ["sh"], env: [String] = [],
                tty: Bool = false, useInit: Bool = false, mounts: [MountSpec] = [],
                network: NetworkMode = .none, user: String = "") -> ContainerConfig {
    ContainerConfig(id: id, name: name, createdNanos: 1, imageReference: "busybox", imageID: "sha256:1",
                    layerPaths: layers, entrypoint: [], command: argv, env: env, workingDir: "/",
                    hostname: "host1", tty: tty, openStdin: false, autoRemove: false, useInit: useInit,
                    memoryBytes: nil, pidsLimit: nil, cpus: nil, mounts: mounts, networkMode: network, user: user)
}

extension ShimSpec {
    /// Every value of `key`, in order.
    func values(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }
}
