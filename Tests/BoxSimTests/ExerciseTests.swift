import Testing
@testable import BoxSim

/// The crash, density and kernel exercises give the answers the seeds teach.
@Suite("exercises")
struct ExerciseTests {
    // MARK: crash (호스트 장애)

    @Test("a host kernel panic takes every container and every VM")
    func hostPanic() throws {
        let outcomes = try CrashExercise.run(.host)
        #expect(outcomes.count == 10)
        #expect(outcomes.allSatisfy { $0.state == .down })
        #expect(outcomes.filter { $0.instance.kind == .container }.allSatisfy { $0.why == .ranOnHostKernel })
        #expect(outcomes.filter { $0.instance.kind.isVirtualMachine }.allSatisfy { $0.why == .hypervisorOnHost })
    }

    @Test("a guest kernel panic takes one VM, nothing else", arguments: [MachineKind.vm, .microVM, .unikernel])
    func guestPanic(_ kind: MachineKind) throws {
        let outcomes = try CrashExercise.run(.guestKernel(kind))
        let down = outcomes.filter { $0.state == .down }
        #expect(down.map(\.instance.name) == ["\(kind.rawValue)-1"])
        #expect(down.first?.why == .ownKernelPanicked)
        #expect(outcomes.first { $0.instance.name == "\(kind.rawValue)-2" }?.why == .separateKernel)
        #expect(outcomes.filter { $0.instance.kind == .container }.allSatisfy { $0.state == .up && $0.why == .hostKernelFine })
    }

    @Test("a container cannot have its own kernel panic: it shares the host's", arguments: [MachineKind.container, .process])
    func noOwnKernel(_ kind: MachineKind) {
        #expect(throws: SimError.unsupported(kind, .noOwnKernel)) { try CrashExercise.run(.guestKernel(kind)) }
    }

    @Test("an app crash ends a container and a unikernel, a VM keeps running")
    func appCrash() throws {
        func target(_ kind: MachineKind) throws -> CrashOutcome? {
            try CrashExercise.run(.app(kind)).first { $0.instance.name == "\(kind.rawValue)-1" }
        }
        #expect(try target(.container)?.state == .down)
        #expect(try target(.container)?.why == .appEnded)
        #expect(try target(.process)?.state == .down)
        #expect(try target(.vm)?.state == .appDown)
        #expect(try target(.microVM)?.why == .appGuestStays)
        #expect(try target(.unikernel)?.state == .down)
        #expect(try target(.unikernel)?.why == .appIsKernel)
        let others = try CrashExercise.run(.app(.container)).filter { $0.instance.name != "container-1" }
        #expect(others.allSatisfy { $0.state == .up && $0.why == .unaffected })
    }

    @Test("the fleet: N of each kind, named kind-n")
    func fleet() {
        let fleet = CrashExercise.fleet(perKind: 3)
        #expect(fleet.count == 15)
        #expect(fleet.first == Instance(kind: .process, name: "process-1"))
        #expect(fleet.last == Instance(kind: .unikernel, name: "unikernel-3"))
    }

    // MARK: density (한 서버에 여러 대)

    @Test("16 GiB: how many of each fit, reserved and overcommitted")
    func density() throws {
        let rows = try DensityExercise.run(hostBytes: 16 << 30, workload: .web)
        let fits = Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, ($0.fitsReserved, $0.fitsTouched)) })
        #expect(fits[.process]! == (11702, 11702))
        #expect(fits[.container]! == (9637, 9637))
        #expect(fits[.unikernel]! == (1820, 1972))
        #expect(fits[.microVM]! == (123, 505))
        #expect(fits[.vm]! == (15, 90))
    }

    @Test("containers pack far more than VMs; overcommit helps only the VMs")
    func densityOrder() throws {
        for host: Int64 in [1 << 30, 8 << 30, 64 << 30] {
            let rows = try DensityExercise.run(hostBytes: host, workload: .web)
            let reserved = rows.map(\.fitsReserved)  // process, container, microVM, vm, unikernel
            func fit(_ kind: MachineKind) -> Int64 { rows.first { $0.kind == kind }!.fitsReserved }
            #expect(fit(.process) >= fit(.container))
            #expect(fit(.container) > fit(.unikernel) && fit(.unikernel) > fit(.microVM) && fit(.microVM) > fit(.vm))
            #expect(fit(.container) > 40 * max(1, fit(.vm)))
            #expect(reserved.count == 5)
            for row in rows {
                if row.kind.isVirtualMachine { #expect(row.fitsTouched >= row.fitsReserved) }
                else { #expect(row.fitsTouched == row.fitsReserved) }
            }
        }
    }

    @Test("a bigger app narrows the gap: guest overhead matters less")
    func densityBigApp() throws {
        let rows = try DensityExercise.run(hostBytes: 16 << 30, workload: Workload.web.withApp(bytes: 512 << 20))
        func fit(_ kind: MachineKind) -> Int64 { rows.first { $0.kind == kind }!.fitsReserved }
        #expect(fit(.container) == 31)
        #expect(fit(.vm) == 15)
    }

    // MARK: kernel (리눅스용 소프트웨어만)

    @Test("another kernel: works in a VM, refused for a container, with the reason")
    func kernel() {
        let answers = KernelExercise.run()
        func refusal(_ kind: MachineKind, _ guest: GuestOS) -> Unsupported?? {
            answers.first { $0.kind == kind && $0.guest == guest }.map(\.refusal)
        }
        for guest in GuestOS.allCases {
            #expect(refusal(.vm, guest) == .some(nil), "a VM boots \(guest.rawValue)")
            #expect(refusal(.container, guest) == .some(.sharesHostKernel))
            #expect(refusal(.process, guest) == .some(.sharesHostKernel))
            #expect(refusal(.unikernel, guest) == .some(.libraryOS))
        }
        #expect(refusal(.microVM, .linuxOther) == .some(nil))
        #expect(refusal(.microVM, .freebsd) == .some(.linuxGuestsOnly))
        #expect(refusal(.microVM, .windows) == .some(.noFirmware))
        #expect(answers.count == MachineKind.allCases.count * GuestOS.allCases.count)
    }

    @Test("the boot call itself throws .unsupported for a container")
    func containerBoot() {
        #expect(throws: SimError.unsupported(.container, .sharesHostKernel)) { try ContainerModel().boot(guest: .windows) }
        #expect(throws: Never.self) { try FullVMModel().boot(guest: .windows) }
    }
}
