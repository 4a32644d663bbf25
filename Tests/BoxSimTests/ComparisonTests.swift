import BoxJSON
import Testing
@testable import BoxSim

private func comparison(seed: UInt64? = nil, instances: Int = 1) throws -> Comparison {
    try Comparison(workload: .web, instances: instances, hostBytes: 16 << 30, hostKernel: "6.18.44", jitter: Jitter(seed: seed))
}

private let measured = ContainerMeasurement(
    image: "busybox", startMs: [9.5, 8.25, 12], rssBytes: [1_500_000, 1_400_000, nil], imageBytes: 2_133_504,
    namespacesDiffering: ["pid", "mnt", "uts", "ipc", "net", "cgroup"], namespacesTotal: 6, kernelRelease: "6.18.44",
    seccompMode: 0, memoryLimitBytes: nil)

/// `compare`'s simulated half is a pure function of its inputs.
@Suite("comparison")
struct ComparisonTests {
    @Test("two renderings of the simulated fields agree")
    func deterministic() throws {
        let first = try comparison().simulatedJSON.pretty()
        let second = try comparison().simulatedJSON.pretty()
        #expect(first == second)
        #expect(try comparison(seed: 42).simulatedJSON == comparison(seed: 42).simulatedJSON)
        #expect(try comparison(seed: 42).simulatedJSON != comparison(seed: 43).simulatedJSON)
        #expect(try comparison(seed: 42).simulatedJSON != comparison().simulatedJSON)
    }

    @Test("the document's field order is fixed")
    func fieldOrder() throws {
        let json = try comparison(instances: 3).json(container: measured, cpus: 2)
        #expect(json.objectValue?.map(\.0) == ["workload", "instances", "host", "container", "simulated"])
        #expect(json["simulated"]?.objectValue?.map(\.0) == ["simulated", "seed", "models"])
        let models = json["simulated"]?["models"]?.arrayValue ?? []
        #expect(models.compactMap { $0["kind"]?.stringValue } == ["process", "unikernel", "microvm", "vm"])
        #expect(models.first?.objectValue?.map(\.0) == [
            "kind", "boot_ms", "stages", "memory", "instances_reserved_bytes", "fits_in_host", "image_bytes", "kernel",
            "kernel_owner", "boundary", "shared_with_host", "interface", "exec", "several_processes", "other_kernel",
        ])
        #expect(json["container"]?["measured"]?.boolValue == true)
        #expect(json["container"]?["start_ms_median"]?.doubleValue == 9.5)
        #expect(json["container"]?["rss_bytes_total"]?.intValue == 2_900_000)
    }

    @Test("pinned simulated values for web, 3 instances, 16 GiB")
    func pinned() throws {
        let report = try comparison(instances: 3)
        let vm = try #require(report.report(.vm))
        #expect(vm.bootMs == 4501)
        #expect(report.fits(vm) == 15)
        let json = report.simulatedJSON
        let microVM = json["models"]?.arrayValue?.first { $0["kind"]?.stringValue == "microvm" }
        #expect(microVM?["boot_ms"]?.doubleValue == 331)
        #expect(microVM?["instances_reserved_bytes"]?.intValue == 3 * 133 << 20)
        #expect(microVM?["other_kernel"]?["windows"]?.stringValue == "unsupported:no-firmware")
        #expect(microVM?["exec"]?.stringValue == "guest-agent")
        let unikernel = json["models"]?.arrayValue?.first { $0["kind"]?.stringValue == "unikernel" }
        #expect(unikernel?["exec"]?.stringValue == "unsupported:single-address-space")
        #expect(unikernel?["several_processes"]?.stringValue == "unsupported:single-address-space")
        let process = json["models"]?.arrayValue?.first { $0["kind"]?.stringValue == "process" }
        #expect(process?["kernel"]?.stringValue == "6.18.44")
    }

    @Test("the median of the measured starts")
    func median() {
        #expect(measured.medianStartMs == 9.5)
        var even = measured
        even.startMs = [4, 1, 3, 2]
        #expect(even.medianStartMs == 2.5)
        #expect(measured.rssPerInstance == 1_500_000)
    }
}

@Suite("seeded jitter")
struct JitterTests {
    @Test("SplitMix64 gives the reference sequence")
    func splitMix() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xe220_a839_7b1d_cdaf)
        #expect(generator.next() == 0x6e78_9e6a_a1b9_65f4)
    }

    @Test("no seed: the table's value; a seed: a reproducible draw inside the published range")
    func draws() {
        let start = PublishedFigures.firecrackerStart
        #expect(Jitter.none.duration(start) == 12)
        var values: Set<Double> = []
        for seed in UInt64(0)..<200 {
            let value = Jitter(seed: seed).duration(start, salt: "microvm")
            #expect((6...60).contains(value))
            #expect(value == Jitter(seed: seed).duration(start, salt: "microvm"))
            values.insert(value)
        }
        #expect(values.count > 150, "seeds give variety")
        let unranged = PublishedFigures.vmInit
        for seed in UInt64(0)..<50 {
            #expect((1800...2200).contains(Jitter(seed: seed).duration(unranged)))
        }
    }

    @Test("a seed changes the numbers but not the structure")
    func structure() throws {
        for kind in [MachineKind.process, .unikernel, .microVM, .vm] {
            let plain = try kind.model.stages(.web, jitter: .none)
            let seeded = try kind.model.stages(.web, jitter: Jitter(seed: 7))
            #expect(plain.map(\.id) == seeded.map(\.id))
            #expect(plain.map(\.parameter) == seeded.map(\.parameter))
        }
    }
}

@Suite("timeline and sizes")
struct TimelineTests {
    @Test("bars fill their length exactly and show every non-empty stage")
    func bars() {
        let vm: [Double] = [150, 150, 1000, 1200, 2000, 1]
        let bar = Timeline.bar(vm, length: 48)
        #expect(bar.count == 48)
        for digit in "123456" { #expect(bar.contains(digit)) }
        #expect(bar == bar.sorted().map(String.init).joined(), "stages in order")
        #expect(Timeline.bar([12, 1, 0], length: 15) == "111111111111112")
        #expect(Timeline.bar([5], length: 4) == "1111")
        #expect(Timeline.bar([], length: 10) == "")
    }

    @Test("log-scaled lengths: longer boots get longer bars, and 1 ms still shows")
    func lengths() {
        let totals: [Double] = [1, 10, 13, 331, 4501]
        let lengths = totals.map { Timeline.length(ms: $0, maxMs: 4501, width: 48) }
        #expect(lengths == lengths.sorted())
        #expect(lengths.first! >= 1 && lengths.last! == 48)
        #expect(Timeline.length(ms: 0, maxMs: 10, width: 48) == 0)
    }

    @Test("sizes parse like docker's -m and print with one decimal")
    func sizes() throws {
        #expect(try Size.parse("512m") == 512 << 20)
        #expect(try Size.parse("1.5g") == 3 << 29)
        #expect(try Size.parse("24GiB") == 24 << 30)
        #expect(try Size.parse("4096k") == 4 << 20)
        #expect(try Size.parse("1000") == 1000)
        #expect(throws: SimError.invalidSize("lots")) { try Size.parse("lots") }
        #expect(throws: SimError.invalidSize("-1g")) { try Size.parse("-1g") }
        #expect(throws: SimError.invalidSize("1q")) { try Size.parse("1q") }
        #expect(Size.format(1_468_006) == "1.4 MiB")
        #expect(Size.format(1 << 30) == "1.0 GiB")
        #expect(Size.format(1044 << 20) == "1.0 GiB")
        #expect(Size.format(133 << 20) == "133 MiB")
        #expect(Size.format(800) == "800 B")
        #expect(Size.duration(4501) == "4.50 s")
        #expect(Size.duration(331) == "331 ms")
        #expect(Size.duration(13) == "13.0 ms")
        #expect(Size.duration(1) == "1.00 ms")
        #expect(Size.decimal(-0.04, places: 1) == "0.0")
    }
}
