import BoxOS
import Foundation
import Testing

/// A private tmux server (its own -L socket) with one window of a known size
/// running an interactive /bin/sh. The shell is started with a known prompt;
/// dash, /bin/sh on Debian, has no line editing, so it leaves the terminal's
/// modes exactly as the last program left them.
final class TmuxTerminal {
    static let session = "boxlab"
    static let hostPrompt = "host$"
    let socket: String
    let binary: String
    private(set) var socketPath = ""

    init(width: Int, height: Int) throws {
        guard let binary = HostProgram.tmux.path else { throw HarnessError("tmux not found") }
        self.binary = binary
        socket = "boxlab-test-" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", Self.session, "-x", String(width), "-y", String(height),
                  "PS1='\(Self.hostPrompt) ' exec /bin/sh"])
        socketPath = (try? tmux(["display-message", "-p", "#{socket_path}"], output: true))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Kills the server (its panes get SIGHUP) and removes its socket.
    func shutDown() {
        _ = try? tmux(["kill-server"])
        if !socketPath.isEmpty { unlink(socketPath) }
    }

    /// Requirements.ready(), plus tmux: fail under CI=true, skip otherwise.
    static func ready(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard Requirements.ready(sourceLocation: sourceLocation) else { return false }
        return HostProgram.tmux.ready(sourceLocation: sourceLocation)
    }

    /// The window's terminal settings, read from the host side of its pty.
    func paneSettings() -> termios? {
        guard let path = try? tmux(["display-message", "-p", "-t", Self.session, "#{pane_tty}"], output: true)
            .trimmingCharacters(in: .whitespacesAndNewlines), !path.isEmpty else { return nil }
        let fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var settings = termios()
        return tcgetattr(fd, &settings) == 0 ? settings : nil
    }

    /// The shell command line that runs boxlab against the lab's root.
    func boxlab(_ lab: Boxlab, _ arguments: String, narrate: String = "quiet") -> String {
        var line = "BOXLAB_NARRATE=\(narrate) "
        if let shim = ProcessInfo.processInfo.environment["BOXLAB_SHIM"], !shim.isEmpty {
            line += "BOXLAB_SHIM='\(shim)' "
        }
        return line + "'\(lab.binary)' --root '\(lab.root)' " + arguments
    }

    /// Runs `tmux -L SOCKET arguments`; stdout only when `output` (a pipe
    /// on a command that starts the server would stay open in it).
    /// Spawned through BoxOS, not Foundation's Process: that one passes on
    /// the signal mask of the test's thread (libdispatch workers block
    /// SIGCHLD, SIGINT, SIGTERM…), and a tmux server with SIGCHLD blocked
    /// never notices its panes die, so kill-server would never end it.
    @discardableResult
    func tmux(_ arguments: [String], output: Bool = false) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil  // tests run from inside tmux must not talk to that one
        environment["ENV"] = nil   // no rc file for the interactive sh
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw HarnessError("open /dev/null failed") }
        defer { close(null) }
        let pipe = try Processes.pipe(stage: "test")
        defer { close(pipe.read) }
        let pid: pid_t
        do {
            pid = try Processes.spawn(binary, arguments: ["tmux", "-L", socket] + arguments,
                                      environment: environment.map { "\($0.key)=\($0.value)" },
                                      fds: [0: null, 1: output ? pipe.write : null, 2: null], stage: "test")
        } catch {
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while output, try Processes.pollReadable(pipe.read, timeoutMs: 5000, stage: "test") {
            let n = read(pipe.read, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        if !(try Processes.waitForExit(pid, timeoutMs: 5000, stage: "test")) { kill(pid, SIGKILL) }
        let status = try Processes.wait(pid, stage: "test")
        if Processes.exitCode(fromWaitStatus: status) != 0 {
            throw HarnessError("tmux \(arguments.joined(separator: " ")) → \(Processes.exitCode(fromWaitStatus: status))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Types `text` literally, then Enter.
    func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", Self.session, "-l", text])
        _ = try? tmux(["send-keys", "-t", Self.session, "Enter"])
    }

    /// Presses named keys (tmux's names: Tab, Up, C-c, C-d, C-u…).
    func press(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", Self.session] + keys)
    }

    /// Types `text` literally, without Enter.
    func typeWithoutEnter(_ text: String) {
        _ = try? tmux(["send-keys", "-t", Self.session, "-l", text])
    }

    /// Every line of the window and its history, wrapped lines joined,
    /// trailing blanks dropped.
    func screen() -> [String] {
        let text = (try? tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", Self.session], output: true)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            var line = Substring($0)
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
    }

    /// The last line starting with `prefix`.
    func line(startingWith prefix: String) -> String? {
        screen().last { $0.hasPrefix(prefix) }
    }

    func lastLine() -> String? {
        screen().last { !$0.isEmpty }
    }

    /// Polls the screen until some line satisfies `match`; records the
    /// screen on timeout.
    @discardableResult
    func waitForLine(_ what: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation,
                     _ match: (String) -> Bool) -> Bool {
        waitUntil(what, timeout: timeout, sourceLocation: sourceLocation) { screen().contains(where: match) }
    }

    /// Polls `condition` with short sleeps until `timeout`; records the screen on timeout.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 10, sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if condition() { return true }
            usleep(30_000)
        } while Date() < deadline
        let shown = screen().joined(separator: "\n")
        Issue.record("timed out after \(timeout) s waiting for \(what); the terminal shows:\n\(shown)",
                     sourceLocation: sourceLocation)
        return false
    }

    /// busybox sh's prompt for root, printed by the container's shell.
    func waitForContainerPrompt(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        waitForLine("the container's shell prompt", timeout: 15, sourceLocation: sourceLocation) {
            $0.hasPrefix("/ #")
        }
    }
}

/// One process, from /proc/PID/stat and cmdline.
struct ProcStat {
    var pid: Int32
    var comm: String
    var ppid: Int32
    var pgrp: Int32
    var tpgid: Int32
    var startTime: String
    var cmdline: String

    init?(pid: Int32) {
        let stat = hostFile("/proc/\(pid)/stat")
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ").map(String.init)
        // state ppid pgrp session tty_nr tpgid … starttime is field 22 (index 19 here)
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        self.pid = pid
        comm = String(stat[stat.index(after: open)..<close])
        ppid = Int32(fields[1]) ?? 0
        pgrp = Int32(fields[2]) ?? 0
        tpgid = Int32(fields[5]) ?? 0
        startTime = fields[19]
        cmdline = hostFile("/proc/\(pid)/cmdline").replacingOccurrences(of: "\0", with: " ")
    }

    static func all() -> [ProcStat] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }.compactMap { ProcStat(pid: $0) }
    }

    /// Still alive, and still the same process (not a reused pid).
    static func exists(_ process: ProcStat) -> Bool {
        ProcStat(pid: process.pid)?.startTime == process.startTime
    }
}
