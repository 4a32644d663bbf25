#if canImport(Glibc)
import Glibc
#endif

/// The host's platform in OCI terms, for images built here.
public enum Platform {
    /// uname's machine name as GOARCH spells it (what image configs and
    /// `docker inspect` show): x86_64 → amd64, aarch64 → arm64, …
    public static func architecture(machine: String = machine()) -> String {
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64", "arm64": return "arm64"
        case "i386", "i486", "i586", "i686": return "386"
        case "ppc64le": return "ppc64le"
        case "s390x": return "s390x"
        case "riscv64": return "riscv64"
        default: return machine.hasPrefix("arm") ? "arm" : machine
        }
    }

    /// uname -m.
    public static func machine() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafePointer(to: names.machine) {
            $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
        }
    }
}
