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
