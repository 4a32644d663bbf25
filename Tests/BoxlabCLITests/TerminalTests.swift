import BoxOS
import Foundation
import Testing

/// `run -it` and Ctrl-C in a REAL terminal: each test starts a private tmux
/// server whose one window runs an interactive /bin/sh, types boxlab command
/// lines into it as a student would, and reads the screen back. Acceptance:
/// an interactive container gets a real pty; resizing and Ctrl-C reach the
/// container, not boxlab.
@Suite("a real terminal: pty, resize, Ctrl-C")
struct TerminalTests {
    @Test("run -it gets a pty of the terminal's size, and follows a resize")
    func ptyAndResize() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 100, height: 30)
        defer { term.shutDown() }
        guard term.waitForLine("the outer shell's prompt", { $0.hasPrefix(TmuxTerminal.hostPrompt) }) else { return }

        term.type(term.boxlab(lab, "run -it --rm --name pty busybox sh") + "; echo BOXLAB_EXIT=$?")
        guard term.waitForContainerPrompt() else { return }
        term.type(#"echo "TTY=$(tty) SIZE=$(stty size)""#)
        guard term.waitForLine("tty and stty size", { $0.hasPrefix("TTY=") }) else { return }
        #expect(term.line(startingWith: "TTY=") == "TTY=/dev/pts/0 SIZE=30 100",
                "the container's stdio is a pty, sized like the terminal")
        term.type(#"echo "PTS=$(ls /dev/pts | tr '\n' ' ')""#)
        guard term.waitForLine("ls /dev/pts", { $0.hasPrefix("PTS=") }) else { return }
        #expect(term.line(startingWith: "PTS=") == "PTS=0 ptmx",
                "a devpts of the container's own: its one pty, none of the host's (tmux's windows are there)")

        try term.tmux(["resize-window", "-t", TmuxTerminal.session, "-x", "120", "-y", "40"])
        // tmux applies a resize asynchronously: ask again until it lands.
        var size = ""
        for attempt in 1...20 {
            term.type(#"echo "RESIZED\#(attempt)=$(stty size)""#)
            guard term.waitForLine("stty size after the resize", { $0.hasPrefix("RESIZED\(attempt)=") }) else { return }
            size = String(term.line(startingWith: "RESIZED\(attempt)=")?.drop { $0 != "=" }.dropFirst() ?? "")
            if size == "40 120" { break }
            usleep(100_000)
        }
        #expect(size == "40 120", "SIGWINCH reached the shim, which copied the new size onto the container's pty")

        term.type("exit")
        guard term.waitForLine("boxlab's exit status", { $0.hasPrefix("BOXLAB_EXIT=") }) else { return }
        #expect(term.line(startingWith: "BOXLAB_EXIT=") == "BOXLAB_EXIT=0")
    }

    @Test("Ctrl-C in run -it interrupts the container's foreground job, not boxlab")
    func ctrlCReachesTheContainer() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 100, height: 30)
        defer { term.shutDown() }
        guard term.waitForLine("the outer shell's prompt", { $0.hasPrefix(TmuxTerminal.hostPrompt) }) else { return }

        term.type(term.boxlab(lab, "run -it --rm --name ctrlc busybox sh") + "; echo BOXLAB_EXIT=$?")
        guard term.waitForContainerPrompt() else { return }
        let id = try lab.inspect("ctrlc")["Id"] as? String ?? ""
        let shell = Int32(try lab.state("ctrlc")["Pid"] as? Int ?? 0)
        #expect(shell > 0)

        term.type("sleep 30")
        // The container's shell made `sleep` the foreground job of its pty.
        var sleeper: ProcStat?
        let deadline = Date().addingTimeInterval(10)
        while sleeper == nil && Date() < deadline {
            sleeper = ProcStat.all().first { $0.ppid == shell && $0.comm == "sleep" && $0.pgrp == $0.tpgid }
            if sleeper == nil { usleep(20_000) }
        }
        guard let sleeper else {
            Issue.record("no foreground `sleep` under the container's shell (pid \(shell)):\n\(term.screen().joined(separator: "\n"))")
            return
        }
        let boxlabs = ProcStat.all().filter { $0.comm == "boxlab" && $0.cmdline.contains(lab.root) }
        #expect(boxlabs.count == 1, "one boxlab client in the foreground")

        let pressed = Date()
        try term.tmux(["send-keys", "-t", TmuxTerminal.session, "C-c"])
        let back = term.waitUntil("the container's prompt after Ctrl-C", timeout: 5) {
            !ProcStat.exists(sleeper) && term.lastLine() == "/ #"
        }
        let elapsed = Date().timeIntervalSince(pressed)
        #expect(back && elapsed < 3, "the sleep got SIGINT and the shell prompted again (\(elapsed) s)")
        #expect(boxlabs.allSatisfy { ProcStat.exists($0) }, "boxlab itself did not get the SIGINT")
        #expect(term.line(startingWith: "BOXLAB_EXIT=") == nil, "boxlab has not exited")

        term.type(#"echo "alive in $(hostname)""#)
        guard term.waitForLine("echo alive", { $0.hasPrefix("alive in ") }) else { return }
        #expect(term.line(startingWith: "alive in ") == "alive in \(id.prefix(12))",
                "the command ran in the container (its hostname), so boxlab is still relaying")

        term.type("exit")
        guard term.waitForLine("boxlab's exit status", { $0.hasPrefix("BOXLAB_EXIT=") }) else { return }
        #expect(term.line(startingWith: "BOXLAB_EXIT=") == "BOXLAB_EXIT=0", "boxlab ends with the shell's status, not 130")
    }

    @Test("exit 3 in run -it makes boxlab exit 3 and gives the terminal back as it was")
    func exitStatusAndTerminalRestored() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 100, height: 30)
        defer { term.shutDown() }
        guard term.waitForLine("the outer shell's prompt", { $0.hasPrefix(TmuxTerminal.hostPrompt) }) else { return }
        term.type(#"echo "BEFORE=$(stty -g)""#)
        guard term.waitForLine("stty -g before", { $0.hasPrefix("BEFORE=") }) else { return }
        let before = term.line(startingWith: "BEFORE=")?.dropFirst("BEFORE=".count)

        // Normal narration: its lines are printed while the terminal is raw.
        term.type(term.boxlab(lab, "run -it --rm busybox sh", narrate: "normal") + "; echo BOXLAB_EXIT=$?")
        guard term.waitForContainerPrompt() else { return }
        let during = term.paneSettings()
        #expect(during.map { $0.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 } == true,
                "while the container runs, boxlab holds the terminal raw: keys go to the container's pty as bytes")
        term.type("exit 3")
        guard term.waitForLine("boxlab's exit status", { $0.contains("BOXLAB_EXIT=") && !$0.contains("$?") }) else { return }
        let exitLine = term.screen().last { $0.contains("BOXLAB_EXIT=") && !$0.contains("$?") } ?? ""
        #expect(exitLine.hasSuffix("BOXLAB_EXIT=3"), "boxlab exits with the container's status")
        #expect(exitLine.hasPrefix("BOXLAB_EXIT="),
                "narration printed in raw mode ends its lines with \\r\\n (no staircase): \(exitLine)")

        term.type(#"echo "AFTER=$(stty -g)"; stty -a"#)
        guard term.waitForLine("stty -a after", { $0.hasPrefix("AFTER=") }) else { return }
        guard term.waitForLine("stty -a after", { $0.contains("icanon") }) else { return }
        let after = term.line(startingWith: "AFTER=")?.dropFirst("AFTER=".count)
        #expect(before != nil && after == before, "the terminal settings are exactly those from before boxlab")
        let lines = term.screen()
        let sttyOutput = lines.suffix(from: (lines.lastIndex { $0.hasPrefix("AFTER=") } ?? lines.count - 1) + 1)
        let flags = Set(sttyOutput.filter { !$0.hasPrefix(TmuxTerminal.hostPrompt) }.joined(separator: " ")
            .split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init))
        for flag in ["icanon", "echo", "isig", "icrnl", "opost", "onlcr"] {
            #expect(flags.contains(flag) && !flags.contains("-" + flag), "stty -a shows \(flag), not -\(flag)")
        }
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty, "--rm removed the container")
    }

    @Test("without -t, Ctrl-C in the terminal is proxied to the container as SIGINT")
    func sigProxyWithoutTTY() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 100, height: 30)
        defer { term.shutDown() }
        guard term.waitForLine("the outer shell's prompt", { $0.hasPrefix(TmuxTerminal.hostPrompt) }) else { return }

        let script = #"trap "echo got-INT; exit 9" INT; echo READY; sleep 20 & wait"#
        term.type(term.boxlab(lab, "run --rm --name proxy busybox sh -c '\(script)'") + "; echo BOXLAB_EXIT=$?")
        guard term.waitForLine("the container's trap", timeout: 15, { $0 == "READY" }) else { return }
        let pressed = Date()
        try term.tmux(["send-keys", "-t", TmuxTerminal.session, "C-c"])
        guard term.waitForLine("boxlab's exit status", { $0.hasPrefix("BOXLAB_EXIT=") }) else { return }
        let elapsed = Date().timeIntervalSince(pressed)
        #expect(term.screen().contains { $0.hasSuffix("got-INT") }, "PID 1's INT trap ran")
        #expect(term.line(startingWith: "BOXLAB_EXIT=") == "BOXLAB_EXIT=9",
                "boxlab survived the SIGINT and exits with the container's status")
        #expect(elapsed < 3, "the signal was proxied at once (\(elapsed) s), not after sleep 20")
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty, "--rm removed the container")
    }
}

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
        guard let binary = Self.tmuxPath() else { throw HarnessError("tmux not found") }
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
        if tmuxPath() != nil { return true }
        if Requirements.isCI {
            Issue.record("cannot run terminal tests under CI: tmux missing: apt-get install tmux",
                         sourceLocation: sourceLocation)
        }
        return false
    }

    static func tmuxPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        return dirs.map { $0 + "/tmux" }.first { access($0, X_OK) == 0 }
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
