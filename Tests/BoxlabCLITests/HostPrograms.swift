import Foundation
import Testing

/// Every program on the host that the tests, benchmarks and lessons call,
/// with the Debian package that has it: the one list. Tests find a program
/// only through `path`, so a new program means a new case here, and
/// `ExternalProgramsTests` then fails until scripts/env.sh installs it too —
/// a green run on a machine where it was installed by hand can no longer
/// hide a missing install step.
enum HostProgram: String, CaseIterable {
    case busybox, cc, tmux, ip, nsenter, unshare, script, skopeo, podman, runc, crun
    case dockerRegistry = "docker-registry", hyperfine, python3, gzip

    var name: String { rawValue }

    var package: String {
        switch self {
        case .busybox: return "busybox-static"
        case .cc: return "gcc"
        case .ip: return "iproute2"
        case .nsenter, .unshare: return "util-linux"
        case .script: return "bsdutils"
        default: return rawValue
        }
    }

    /// Where it is installed, looking where root's PATH would.
    var path: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return dirs.map { $0 + "/" + rawValue }.first { access($0, X_OK) == 0 }
    }

    /// True when installed; under CI a missing program is a failure that
    /// names its package (scripts/env.sh should have installed it).
    func ready(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        if path != nil { return true }
        if Requirements.isCI {
            Issue.record("\(rawValue) is missing under CI: apt-get install \(package) (scripts/env.sh should)",
                         sourceLocation: sourceLocation)
        }
        return false
    }
}
