import BoxOS
@testable import BoxShell
import BoxSim
import Testing

/// Every failure goes through `Localizer(failure)`: the key's text in the
/// language, nested `<name>Key` values translated, values never expanded again.
@Suite("one message path")
struct FailureMessageTests {
    @Test("a failure in English and Korean, by key, its values inserted as given")
    func byKey() {
        let error = SimError.noSuchMachine("{name}")
        #expect(Localizer(.en)(error) == "no simulated machine \"{name}\" (`vm ps -a` lists them)")
        #expect(Localizer(.ko)(error) == "\"{name}\" 시뮬레이션 머신이 없음 (`vm ps -a`로 목록 보기)")
        #expect(error.description == "no such simulated machine: {name}" && error.exitCode == 125)
    }

    @Test("nested keys are translated first; a key no table has falls back to the English template")
    func nested() {
        let text = Localizer(.ko)
        let error = SimError.unsupported(.process, .sharesHostKernel)
        #expect(error.exitCode == 1)
        #expect(text(error) == text(.simErrUnsupported, ["kind": text("sim.kind.process"), "reason": text("sim.reason.shares-host-kernel")]))
        let sys = SysError(stage: "rootfs", call: "mount", path: "{x}", errno: 2)
        #expect(text(sys) == sys.description)
    }
}
