import Testing
@testable import BoxSim

private let MiB: Int64 = 1 << 20
private let appBytes: Int64 = 1_468_006   // 1.4 MiB, busybox idle RSS
private let appImage: Int64 = 2 * MiB      // the busybox image

/// Each model's outputs for the `web` workload, pinned.
@Suite("machine models")
struct ModelTests {
    @Test("process: one fork/exec, only the app's memory, no image")
    func process() throws {
        let model = ProcessModel()
        #expect(try model.stages(.web, jitter: .none) == [Stage(.spawn, ms: 1, parameter: "process.fork-exec")])
        #expect(try model.memory(.web, guestRAM: nil) == MemoryBreakdown(app: appBytes))
        #expect(model.imageBytes(.web) == 0)
        #expect(model.kernelRelease(host: "6.18.44") == "6.18.44")
        #expect(model.traits.boundary == .processOnly && model.traits.kernel == .host)
    }

    @Test("container: never simulated; its memory is the app and the monitor")
    func container() throws {
        let model = ContainerModel()
        #expect(throws: SimError.unsupported(.container, .notSimulated)) { try model.stages(.web, jitter: .none) }
        let memory = try model.memory(.web, guestRAM: nil)
        #expect(memory.runtime == 314_573 && memory.app == appBytes && memory.guestKernel == 0)
        #expect(model.traits.sharedWithHost == [.kernel])
        #expect(model.kernelRelease(host: "6.18.44") == "6.18.44")
    }

    @Test("microVM: VMM 12 ms, direct kernel boot 125 ms, init 193 ms, app 1 ms; 5 MiB + 128 MiB")
    func microVM() throws {
        let model = MicroVMModel()
        let stages = try model.stages(.web, jitter: .none)
        #expect(stages.map(\.id) == [.vmm, .kernel, .initSystem, .app])
        #expect(stages.map(\.ms) == [12, 125, 193, 1])
        #expect(try model.bootMs(.web, jitter: .none) == 331)
        let memory = try model.memory(.web, guestRAM: nil)
        #expect(memory == MemoryBreakdown(runtime: 5 * MiB, guestKernel: 20 * MiB, guestUserspace: 6 * MiB, app: appBytes,
                                          unusedReserved: 128 * MiB - 26 * MiB - appBytes))
        #expect(memory.reserved == 133 * MiB)
        #expect(memory.touched == 31 * MiB + appBytes)
        #expect(model.imageBytes(.web) == 20 * MiB + 8_000_000 + appImage)
        #expect(model.traits.interface == Interface(kind: .virtioDevices, count: 5, hostCodeLines: 50_000, shellInside: true))
    }

    @Test("VM: QEMU 150 ms, BIOS 150 ms, loader 1 s, kernel 1.2 s, init 2 s, app 1 ms; 20 MiB + 1 GiB")
    func fullVM() throws {
        let model = FullVMModel()
        let stages = try model.stages(.web, jitter: .none)
        #expect(stages.map(\.id) == [.vmm, .firmware, .bootloader, .kernel, .initSystem, .app])
        #expect(stages.map(\.ms) == [150, 150, 1000, 1200, 2000, 1])
        #expect(try model.bootMs(.web, jitter: .none) == 4501)
        let memory = try model.memory(.web, guestRAM: nil)
        #expect(memory.runtime == 20 * MiB && memory.guestKernel == 60 * MiB && memory.guestUserspace == 100 * MiB)
        #expect(memory.reserved == 1044 * MiB)
        #expect(model.imageBytes(.web) == 130_000_000 + appImage)
        #expect(model.traits.kernel == .guestAnyOS && model.traits.interface.kind == .emulatedPC)
    }

    @Test("unikernel: VMM 12 ms + library OS 1 ms + main(); 5 MiB + 2 MB + app; 1 MB image")
    func unikernel() throws {
        let model = UnikernelModel()
        let stages = try model.stages(.web, jitter: .none)
        #expect(stages.map(\.id) == [.vmm, .libraryOS, .app])
        #expect(stages.map(\.ms) == [12, 1, 0])
        let total = try model.bootMs(.web, jitter: .none)
        #expect(PublishedFigures.unikernelTotalBoot.range!.contains(total), "Unikraft publishes 3–40 ms in total")
        let memory = try model.memory(.web, guestRAM: nil)
        #expect(memory.runtime == 5 * MiB && memory.guestKernel == 2_000_000 && memory.guestUserspace == 0)
        #expect(memory.reserved == 5 * MiB + 4 * MiB)  // guest RAM rounded up to whole MiB
        #expect(model.imageBytes(.web) == 1_000_000)
        #expect(model.traits.interface.shellInside == false)
    }

    @Test("lighter to heavier: boot time, memory and image size agree")
    func ordering() throws {
        let boot = try [MachineKind.process, .unikernel, .microVM, .vm].map { try $0.model.bootMs(.web, jitter: .none) }
        #expect(boot == boot.sorted() && Set(boot).count == boot.count)
        let memory = try [MachineKind.process, .container, .unikernel, .microVM, .vm].map {
            try $0.model.memory(.web, guestRAM: nil).reserved
        }
        #expect(memory == memory.sorted())
        #expect(UnikernelModel().imageBytes(.web) < MicroVMModel().imageBytes(.web))
        #expect(MicroVMModel().imageBytes(.web) < FullVMModel().imageBytes(.web))
    }

    @Test("guest RAM: asked for explicitly, and refused below what the guest needs")
    func guestRAM() throws {
        let vm = FullVMModel()
        let small = try vm.memory(.web, guestRAM: 512 * MiB)
        #expect(small.reserved == 20 * MiB + 512 * MiB)
        #expect(throws: SimError.guestRAMTooSmall(requested: 64 * MiB, needed: 160 * MiB + appBytes)) {
            try vm.memory(.web, guestRAM: 64 * MiB)
        }
        #expect(try vm.minimumGuestRAM(.web) == 160 * MiB + appBytes)
        let bigApp = Workload.web.withApp(bytes: 300 * MiB)
        #expect(try MicroVMModel().memory(bigApp, guestRAM: nil).reserved == 5 * MiB + 326 * MiB)
    }

    @Test("workloads: web, sleep and hello, busybox programs")
    func workloads() throws {
        #expect(try Workload.named("web").argv == ["httpd", "-f", "-p", "80"])
        #expect(try Workload.named("sleep").longRunning)
        #expect(try !Workload.named("hello").longRunning)
        #expect(throws: SimError.unknownWorkload("nginx")) { try Workload.named("nginx") }
        #expect(Workload.web.appBytes == appBytes && Workload.web.appImageBytes == appImage)
    }
}

/// What works and what throws `.unsupported`, kind by kind.
@Suite("capabilities")
struct CapabilityTests {
    @Test("exec into it")
    func exec() throws {
        #expect(try ProcessModel().exec() == .besideOnHost)
        #expect(try ContainerModel().exec() == .setns)
        #expect(try MicroVMModel().exec() == .guestAgent)
        #expect(try FullVMModel().exec() == .guestAgent)
        #expect(throws: SimError.unsupported(.unikernel, .singleAddressSpace)) { try UnikernelModel().exec() }
    }

    @Test("several processes")
    func severalProcesses() throws {
        for kind in [MachineKind.process, .container, .microVM, .vm] { try kind.model.runSeveralProcesses() }
        #expect(throws: SimError.unsupported(.unikernel, .singleAddressSpace)) { try UnikernelModel().runSeveralProcesses() }
    }

    @Test("its own kernel panics alone")
    func panic() throws {
        #expect(throws: SimError.unsupported(.process, .noOwnKernel)) { try ProcessModel().panicOwnKernel() }
        #expect(throws: SimError.unsupported(.container, .noOwnKernel)) { try ContainerModel().panicOwnKernel() }
        for kind in [MachineKind.microVM, .vm, .unikernel] { #expect(try kind.model.panicOwnKernel()) }
    }

    @Test("the kernel a program inside sees")
    func kernelRelease() {
        #expect(ContainerModel().kernelRelease(host: "6.18.44") == "6.18.44")
        #expect(FullVMModel().kernelRelease(host: "6.18.44") != "6.18.44")
        #expect(MicroVMModel().kernelRelease(host: "6.18.44") != "6.18.44")
    }
}
