import Foundation
import Testing

/// What a container costs beyond its own processes: its monitor.
@Suite("per-container overhead")
struct OverheadTests {
    @Test("a detached container's monitor stays under 1 MiB RSS, and no boxlab process stays behind")
    func monitorRSS() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let id = try lab.ok(["run", "-d", "busybox", "sleep", "60"])
        let stateText = hostFile(lab.root + "/containers/\(id)/state.json")
        let state = try JSONSerialization.jsonObject(with: Data(stateText.utf8)) as? [String: Any] ?? [:]
        let monitor = Int32(state["MonitorPid"] as? Int ?? 0)
        #expect(monitor > 0)
        let rss = hostStatus(monitor, "VmRSS")
        let kilobytes = Int(rss.split(separator: " ").first ?? "") ?? Int.max
        #expect(kilobytes < 1024, "monitor RSS \(rss)")
        #expect(hostFile("/proc/\(monitor)/cmdline").hasPrefix("boxlab-shim"), "the monitor is the tiny static shim")
        // The container's PID 1 is the monitor's child, nothing else of boxlab runs.
        let pid = try lab.state(id)["Pid"] as? Int ?? 0
        let parent = hostFile("/proc/\(pid)/stat").split(separator: " ")[safe: 3].map(String.init)
        #expect(parent == String(monitor))
    }
}
