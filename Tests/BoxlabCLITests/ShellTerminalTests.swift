import Foundation
import Testing

/// The lab shell in a REAL terminal: each test starts a private tmux server,
/// starts `boxlab --root R shell` from the window's /bin/sh as a student
/// would, types into libedit and reads the screen back. Acceptance (issue 4):
/// completion of a command, a container's name and an image; history across
/// restarts; Ctrl-C during a foreground run gets back to the prompt with the
/// container stopped; `lang ko` switches the narration to Korean; Ctrl-C at
/// the prompt keeps the shell, Ctrl-D leaves it.
@Suite("the lab shell in a real terminal: completion, history, Ctrl-C, Ctrl-D, lang")
struct ShellTerminalTests {
    @Test("Tab completes a command, a container's name and an image")
    func completion() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "-d", "--name", "webapp", "busybox", "sleep", "60"])
        let term = try TmuxTerminal(width: 120, height: 40)
        defer { term.shutDown() }
        guard term.startLabShell(lab) else { return }

        term.typeWithoutEnter("pau")
        term.press("Tab")
        guard term.waitForShellLine("`pau` + Tab", "pause") else { return }
        // A unique match ends with a space: the next word starts right away.
        term.typeWithoutEnter("webapp")
        guard term.waitForShellLine("typing after the completion", "pause webapp") else { return }
        term.press("C-u")
        guard term.waitForShellLine("the cleared line", "") else { return }

        term.typeWithoutEnter("stop web")
        term.press("Tab")
        guard term.waitForShellLine("`stop web` + Tab (a live container's name)", "stop webapp") else { return }
        term.press("C-u")
        guard term.waitForShellLine("the cleared line", "") else { return }

        term.typeWithoutEnter("run bus")
        term.press("Tab")
        guard term.waitForShellLine("`run bus` + Tab (an image)", "run busybox") else { return }
        term.press("C-u")
        guard term.waitForShellLine("the cleared line", "") else { return }

        #expect(lab.status("webapp") == "running", "completing a name did nothing to the container")
        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=0")
    }

    @Test("history survives restarting the shell: Up recalls the last session's lines")
    func historyAcrossRestarts() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 120, height: 40)
        defer { term.shutDown() }
        guard term.startLabShell(lab) else { return }

        term.type("ps -a")
        guard term.waitForLine("ps -a's header", { $0.hasPrefix("CONTAINER ID") }) else { return }
        guard term.waitForShellLine("the prompt after ps -a", "") else { return }
        term.type("exit")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=0")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: lab.root + "/history")) ?? []
        #expect(files.contains { hostFile(lab.root + "/history/" + $0).contains(#"ps\040-a"#) },
                "the history file under ROOT/history/ holds `ps -a` (\(files))")

        // A new process: whatever Up shows was read back from the file.
        guard term.startLabShell(lab) else { return }
        term.press("Up")
        guard term.waitForShellLine("Up: the last line of the last session", "exit") else { return }
        term.press("Up")
        guard term.waitForShellLine("Up again: the line before it", "ps -a") else { return }
        term.press("Enter")
        guard term.waitUntil("the recalled `ps -a` to run", {
            term.screen().filter { $0.hasPrefix("CONTAINER ID") }.count == 2 && term.lastLine() == TmuxTerminal.shellPrompt
        }) else { return }

        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
    }

    @Test("Ctrl-C during run gets back to the prompt within seconds, the container stopped, the shell alive")
    func ctrlCDuringRun() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 120, height: 40)
        defer { term.shutDown() }
        guard term.startLabShell(lab, narrate: "normal") else { return }
        let shell = term.labShellProcess(lab)
        #expect(shell != nil, "the shell's boxlab process")

        term.type("run --name sleeper busybox sleep 100")
        guard term.waitUntil("the container to run", timeout: 15, { lab.status("sleeper") == "running" }) else { return }
        let pid = Int32(try lab.state("sleeper")["Pid"] as? Int ?? 0)
        let sleeper = ProcStat(pid: pid)
        #expect(sleeper?.comm == "sleep", "PID 1 of the container is the sleep")

        let pressed = Date()
        term.press("C-c")
        guard term.waitUntil("the prompt after Ctrl-C", timeout: 6, { term.lastLine() == TmuxTerminal.shellPrompt })
        else { return }
        let elapsed = Date().timeIntervalSince(pressed)
        #expect(elapsed < 4, "sleep as PID 1 ignores SIGINT; boxlab killed it after 1.5 s (\(elapsed) s)")
        #expect(term.screen().contains { $0.contains("did not exit on SIGINT") },
                "the narration says why the container was stopped")
        #expect(try lab.state("sleeper")["Status"] as? String == "exited")
        #expect(sleeper.map { !ProcStat.exists($0) } == true, "the container's sleep is gone")
        #expect(shell.map { ProcStat.exists($0) } == true, "the shell did not die of the SIGINT")
        #expect(term.line(startingWith: "SHELL_EXIT=") == nil, "the shell has not exited")

        term.type("narrate")
        guard term.waitForLine("the shell's answer to narrate", { $0.hasPrefix("narration is normal") }) else { return }
        guard term.waitForShellLine("the prompt after narrate", "") else { return }
        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=0")
    }

    @Test("lang ko switches the narration to Korean, lang en back")
    func languageSwitch() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let term = try TmuxTerminal(width: 160, height: 50)
        defer { term.shutDown() }
        guard term.startLabShell(lab, narrate: "normal") else { return }

        term.type("lang ko")
        guard term.waitForLine("lang ko's answer", { $0 == "언어: ko" }) else { return }
        term.type("run --rm busybox true")
        guard term.waitForLine("the Korean exit narration", timeout: 15, { $0.contains("종료 코드 0") }) else { return }
        guard term.waitForLine("the Korean clean-up narration", { $0.contains("정리") }) else { return }
        let korean = term.screen()
        for word in ["이미지", "네임스페이스", "정리"] {
            #expect(korean.contains { $0.contains(word) }, "the narration names its stages in Korean: \(word)")
        }
        #expect(!korean.contains { $0.contains("exit code") }, "no English narration while lang is ko")

        guard term.waitForShellLine("the prompt after the Korean run", "") else { return }
        term.type("lang en")
        guard term.waitForLine("lang en's answer", { $0 == "language: en" }) else { return }
        term.type("run --rm busybox true")
        guard term.waitForLine("the English exit narration", timeout: 15, { $0.contains("exit code 0") }) else { return }
        let english = term.screen().drop(while: { $0 != "language: en" })
        #expect(english.contains { $0.contains("namespaces differ") }, "after lang en the narration is English again")
        #expect(!english.contains { $0.contains("종료") }, "no Korean narration after lang en")

        guard term.waitForShellLine("the prompt after the English run", "") else { return }
        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(try lab.run(["ps", "-aq"]).out.isEmpty, "--rm removed both containers")
    }

    @Test("Ctrl-C at the prompt drops the line and keeps the shell; Ctrl-D leaves, naming what still runs")
    func ctrlCAndCtrlDAtThePrompt() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "-d", "--name", "webapp", "busybox", "sleep", "60"])
        let term = try TmuxTerminal(width: 120, height: 40)
        defer { term.shutDown() }
        guard term.startLabShell(lab) else { return }
        let shell = term.labShellProcess(lab)
        #expect(shell != nil, "the shell's boxlab process")

        term.press("C-c")
        guard term.waitUntil("a fresh prompt after Ctrl-C on an empty line", {
            term.screen().contains("\(TmuxTerminal.shellPrompt) ^C") && term.lastLine() == TmuxTerminal.shellPrompt
        }) else { return }
        #expect(shell.map { ProcStat.exists($0) } == true, "the shell survived Ctrl-C at its prompt")

        // Keys typed while libedit is still re-arming after ^C can be
        // flushed with the terminal's input: type until the line shows them.
        for attempt in 0..<5 {
            term.typeWithoutEnter("ps -a")
            let deadline = Date().addingTimeInterval(2)
            while Date() < deadline && term.lastLine() != "\(TmuxTerminal.shellPrompt) ps -a" { usleep(30_000) }
            if term.lastLine() == "\(TmuxTerminal.shellPrompt) ps -a" { break }
            if attempt == 4 { Issue.record("the typed line never showed"); return }
            term.press("C-u")
        }
        term.press("C-c")
        guard term.waitUntil("a fresh prompt after Ctrl-C on a half-typed line", {
            term.screen().contains("\(TmuxTerminal.shellPrompt) ps -a^C") && term.lastLine() == TmuxTerminal.shellPrompt
        }) else { return }
        #expect(!term.screen().contains { $0.hasPrefix("CONTAINER ID") }, "the interrupted line was dropped, not run")

        term.type("narrate")
        guard term.waitForLine("the shell's answer to narrate", { $0.hasPrefix("narration is quiet") }) else { return }
        guard term.waitForShellLine("the prompt after narrate", "") else { return }
        #expect(lab.status("webapp") == "running", "Ctrl-C at the prompt does not reach a detached container")

        term.press("C-d")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=0", "Ctrl-D is a normal exit")
        let lines = term.screen()
        let farewell = lines[(lines.lastIndex { $0.hasPrefix(TmuxTerminal.shellPrompt) } ?? 0)...]
            .prefix { !$0.hasPrefix("SHELL_EXIT=") }.dropFirst()
        #expect(farewell.contains { $0.contains("webapp") }, "leaving says webapp keeps running: \(Array(farewell))")
        #expect(shell.map { !ProcStat.exists($0) } == true, "the shell's process ended")
        #expect(lab.status("webapp") == "running", "leaving the shell leaves detached containers running")
    }

    @Test("clear empties the screen as Ctrl-L does; exit N leaves as Ctrl-D does, with status N and the goodbye")
    func clearAndExit() throws {
        guard TmuxTerminal.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        try lab.ok(["run", "-d", "--name", "webapp", "busybox", "sleep", "60"])
        let term = try TmuxTerminal(width: 120, height: 40)
        defer { term.shutDown() }
        guard term.startLabShell(lab) else { return }

        func clearedWith(_ what: String, _ action: () -> Void) -> Bool {
            term.type("ps -a")
            guard term.waitForLine("ps -a's header before \(what)", { $0.hasPrefix("CONTAINER ID") }) else { return false }
            guard term.waitForShellLine("the prompt after ps -a", "") else { return false }
            action()
            return term.waitUntil("the screen cleared by \(what)", {
                let lines = term.visibleScreen().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                return lines == [TmuxTerminal.shellPrompt]
            })
        }
        guard clearedWith("Ctrl-L", { term.press("C-l") }) else { return }
        guard clearedWith("clear", { term.type("clear") }) else { return }

        term.type("exit nope")
        guard term.waitForLine("exit's complaint", { $0.contains("exit: nope: not a number") }) else { return }
        term.type("exit 3")
        guard term.waitForLine("the shell's exit", { $0.hasPrefix("SHELL_EXIT=") }) else { return }
        #expect(term.line(startingWith: "SHELL_EXIT=") == "SHELL_EXIT=3")
        #expect(term.screen().contains { $0.contains("1 container keeps running in the background: webapp") }, "the Ctrl-D goodbye")
        #expect(lab.status("webapp") == "running")
    }
}

extension TmuxTerminal {
    /// The lab shell's prompt as the screen shows it (its colour is not text).
    static let shellPrompt = "boxlab>"

    /// Only what the window shows now, without its history (what a clear leaves).
    func visibleScreen() -> [String] {
        let text = (try? tmux(["capture-pane", "-p", "-t", Self.session], output: true)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Starts `boxlab --root R shell` from the window's sh (which prints
    /// SHELL_EXIT=status when it ends) and waits for its first prompt.
    /// Colour stays on, as in a student's terminal (swift test exports
    /// NO_COLOR=1): the prompt's escape sequences must not show as text.
    func startLabShell(_ lab: Boxlab, narrate: String = "quiet",
                       sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard waitForLine("the outer shell's prompt", sourceLocation: sourceLocation, {
            $0.hasPrefix(Self.hostPrompt)
        }) else { return false }
        type("unset NO_COLOR; " + boxlab(lab, "shell", narrate: narrate) + "; echo SHELL_EXIT=$?")
        return waitForShellLine("the lab shell's prompt", "", timeout: 20, sourceLocation: sourceLocation)
    }

    /// Waits until the last line is the lab shell's prompt followed by
    /// `typed` (trailing blanks do not show).
    @discardableResult
    func waitForShellLine(_ what: String, _ typed: String, timeout: TimeInterval = 10,
                          sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = typed.isEmpty ? Self.shellPrompt : Self.shellPrompt + " " + typed
        return waitUntil("\(what): `\(expected)`", timeout: timeout, sourceLocation: sourceLocation) {
            lastLine() == expected
        }
    }

    /// The running lab shell's boxlab process.
    func labShellProcess(_ lab: Boxlab) -> ProcStat? {
        ProcStat.all().first { $0.comm == "boxlab" && $0.cmdline.contains(lab.root) && $0.cmdline.hasSuffix(" shell ") }
    }
}

extension Boxlab {
    /// A container's State.Status, or nil while it does not exist (no
    /// expectation recorded: for polling).
    func status(_ container: String) -> String? {
        guard let result = try? run(["inspect", container]), result.status == 0,
              let array = try? JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]],
              let state = array.first?["State"] as? [String: Any] else { return nil }
        return state["Status"] as? String
    }
}
