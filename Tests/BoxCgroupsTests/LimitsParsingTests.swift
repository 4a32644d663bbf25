import Testing
import BoxCgroups

@Suite("Parsing docker's limit flags")
struct LimitsParsingTests {
    @Test("memory sizes in docker's units", arguments: [
        ("32m", Int64(33_554_432)), ("32M", 33_554_432), ("32MB", 33_554_432), ("32mb", 33_554_432),
        ("32mib", 33_554_432), ("32 m", 33_554_432), ("1g", 1_073_741_824), ("1.5g", 1_610_612_736),
        ("6m", 6_291_456), ("6291456", 6_291_456), ("6291456b", 6_291_456), ("8192k", 8_388_608),
        ("8192KB", 8_388_608), ("1t", 1_099_511_627_776), ("2P", 2_251_799_813_685_248),
    ])
    func memory(text: String, bytes: Int64) throws {
        #expect(try CgroupLimits.parseMemory(text) == bytes)
    }

    @Test("bad memory sizes say which value and why", arguments: [
        ("lots", "invalid size: 'lots'"),
        ("", "invalid size: ''"),
        ("32x", "invalid size: '32x'"),
        ("m", "invalid size: 'm'"),
        ("1.g", "invalid size: '1.g'"),
        ("32mm", "invalid size: '32mm'"),
        ("-5m", "invalid size: '-5m' (a memory limit cannot be negative)"),
        ("0", "Minimum memory limit allowed is 6MB"),
        ("4m", "Minimum memory limit allowed is 6MB"),
        ("6291455", "Minimum memory limit allowed is 6MB"),
        ("9000000000000000000000", "invalid size: '9000000000000000000000' (larger than the 9223372036854775807 bytes a cgroup can hold)"),
        ("8388608p", "invalid size: '8388608p' (larger than the 9223372036854775807 bytes a cgroup can hold)"),
    ])
    func badMemory(text: String, reason: String) {
        let error = #expect(throws: CgroupLimitError.self) { try CgroupLimits.parseMemory(text) }
        #expect(error?.reason == reason)
        #expect(error?.value == text)
        #expect(error?.description == "invalid argument \"\(text)\" for \"-m, --memory\" flag: \(reason)")
    }

    @Test("cpus within the host's count", arguments: [
        ("1.5", 1.5), ("0.01", 0.01), ("2", 2.0), ("0.5", 0.5), (".25", 0.25), ("1.", 1.0),
    ])
    func cpus(text: String, value: Double) throws {
        #expect(try CgroupLimits.parseCPUs(text, hostCPUs: 2) == value)
    }

    @Test("cpus become a CFS quota per 100 ms period", arguments: [
        (1.5, Int64(150_000)), (0.01, 1000), (2.0, 200_000), (0.333, 33_300),
    ])
    func cpuQuota(cpus: Double, quota: Int64) {
        #expect(CgroupLimits(cpus: cpus).cpuQuotaMicros == quota)
        #expect(CgroupLimits.cpuPeriodMicros == 100_000)
    }

    @Test("bad cpus say which value and why", arguments: [
        ("0", "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("0.001", "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("2.5", "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("-1", "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("abc", "failed to parse abc as a rational number"),
        ("", "failed to parse  as a rational number"),
        ("1.2.3", "failed to parse 1.2.3 as a rational number"),
        ("1e3", "failed to parse 1e3 as a rational number"),
        ("nan", "failed to parse nan as a rational number"),
        (".", "failed to parse . as a rational number"),
    ])
    func badCPUs(text: String, reason: String) {
        let error = #expect(throws: CgroupLimitError.self) { try CgroupLimits.parseCPUs(text, hostCPUs: 2) }
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid argument \"\(text)\" for \"--cpus\" flag: \(reason)")
    }

    @Test("the host CPU count is at least one")
    func hostCPUs() {
        #expect(CgroupLimits.hostCPUCount() >= 1)
    }

    @Test("pids: positive, or -1 for unlimited", arguments: [
        ("1", Int64?.some(1)), ("100", 100), ("-1", nil), ("4194304", 4_194_304),
    ])
    func pids(text: String, value: Int64?) throws {
        #expect(try CgroupLimits.parsePids(text) == value)
    }

    @Test("bad pids say which value and why", arguments: ["0", "-2", "abc", "", "1.5", "+5", "99999999999999999999"])
    func badPids(text: String) {
        let error = #expect(throws: CgroupLimitError.self) { try CgroupLimits.parsePids(text) }
        #expect(error?.description
            == "invalid argument \"\(text)\" for \"--pids-limit\" flag: must be a positive integer, or -1 for unlimited")
    }

    @Test("an empty limit set")
    func empty() {
        #expect(CgroupLimits().isEmpty)
        #expect(!CgroupLimits(pidsMax: 5).isEmpty)
    }
}
