import Testing
@testable import BoxOS

/// One fill, one pass: a value that looks like a placeholder stays as given.
@Suite struct LocalizedFailureTests {
    @Test func fillNeverExpandsAValueAgain() {
        let text = Template.fill("{a} and {b}", ["a": "{b}", "b": "{a|x|y}"])
        #expect(text == "{b} and {a|x|y}")
    }

    @Test func aFailureKeepsBracesInItsValues() {
        let error = SysError(stage: "rootfs", call: "mount", path: "/tmp/{stage}", errno: 2)
        #expect(error.key == "error.sys" && error.exitCode == 125 && error.cause == nil)
        #expect(error.values["target"] == " /tmp/{stage}")
        #expect(error.description == "rootfs: mount /tmp/{stage}: No such file or directory (ENOENT)")
    }
}
