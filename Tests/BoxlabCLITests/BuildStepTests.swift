import Foundation
import Testing

/// Builds with many RUN steps, failing steps and the lock discipline: a
/// Boxfile with three RUN steps used to hang for ever (two identical empty
/// layers made the overlay refuse its lowerdir; the failed child left a
/// stage answer unread, the shim took it for "client gone" and exec'd its
/// reap, which waited for the lock the waiting builder held).
@Suite("build: many RUN steps, failing steps, nobody waits on a lock it holds")
struct BuildStepTests {
    @Test("three RUN steps build (the Boxfile that hung)")
    func threeRunSteps() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try ImageTests.Context(lab, ["Boxfile": "FROM busybox\nRUN echo a\nRUN echo b\nRUN echo c\n"])
        let result = try lab.run(["build", "-t", "three", context.path], timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        for word in ["Step 4/4 : RUN echo c", "Successfully tagged three:latest"] {
            #expect(result.stdout.contains(word), "\(word) in \(result.stdout)")
        }
        #expect(try lab.ok(["run", "--rm", "three", "echo", "runs"]) == "runs")
        ImageTests().expectNoContainersLeft(lab)
    }

    @Test("a 10-step Boxfile of RUN, COPY and ENV builds, and every step is in the image")
    func tenSteps() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let boxfile = """
            FROM busybox
            ENV GREETING=hello
            RUN mkdir -p /app && echo $GREETING > /app/one
            COPY a.txt /app/a.txt
            RUN echo two > /app/two
            ENV TARGET=/app/three
            RUN echo three > $TARGET
            COPY b.txt /app/
            RUN cat /app/a.txt /app/b.txt > /app/ab
            RUN true
            """
        let context = try ImageTests.Context(lab, ["Boxfile": boxfile, "a.txt": "A\n", "b.txt": "B\n"])
        let result = try lab.run(["build", "-t", "ten", context.path], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Step 10/10 : RUN true"))
        let out = try lab.ok(["run", "--rm", "ten", "sh", "-c", "cat /app/one /app/two /app/three /app/ab; echo $GREETING $TARGET"])
        #expect(out == "hello\ntwo\nthree\nA\nB\nhello /app/three", "\(out)")
        #expect(try lab.ok(["history", "-q", "ten"]).split(separator: "\n").count >= 10)
        ImageTests().expectNoContainersLeft(lab)
    }

    @Test("a failing RUN ends the build with its status and Boxfile:LINE, nothing left behind")
    func failingRun() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        let context = try ImageTests.Context(lab, ["Boxfile": "FROM busybox\nRUN echo a\nRUN exit 7\nRUN echo never\n"])
        let result = try lab.run(["build", "-t", "broken", context.path], timeout: 30)
        #expect(result.status == 1, "docker build exits 1: \(result.status)")
        #expect(result.stderr.contains("Boxfile:3: The command '/bin/sh -c exit 7' returned a non-zero code: 7"), "\(result.stderr)")
        #expect(!result.stdout.contains("RUN echo never"))
        #expect(try lab.run(["images", "-q", "broken"]).out.isEmpty, "no image is tagged")
        ImageTests().expectNoContainersLeft(lab)
    }

    @Test("a RUN that cannot start names its line too (a runtime error, not the command's)")
    func runtimeErrorNamesTheLine() throws {
        guard Requirements.ready() else { return }
        let lab = try Boxlab()
        defer { lab.cleanUp() }
        // WORKDIR under a file: the child fails at chdir, after its cgroup join.
        let context = try ImageTests.Context(lab, ["Boxfile": "FROM busybox\nWORKDIR /etc/passwd/sub\nRUN true\n"])
        let result = try lab.run(["build", context.path], timeout: 30)
        #expect(result.status == 1, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("Boxfile:3:"), "\(result.stderr)")
        ImageTests().expectNoContainersLeft(lab)
    }

    /// Every way of waiting for a container whose child fails after the
    /// cgroup join returns (the harness times out a hang), in narrated
    /// (stepping) and quiet runs alike.
    @Test("run, start -a, exec and rm -f never wait on a lock they hold", arguments: ["quiet", "normal"])
    func noWaitUnderLock(narration: String) throws {
        guard Requirements.ready() else { return }
        var lab = try Boxlab()
        defer { lab.cleanUp() }
        lab.environment["BOXLAB_NARRATE"] = narration
        let run = try lab.run(["run", "--name", "bad", "-w", "/etc/passwd/sub", "busybox", "true"], timeout: 20)
        #expect(run.status == 125, "\(run.status) \(run.stderr)")
        let start = try lab.run(["start", "-a", "bad"], timeout: 20)
        #expect(start.status != 0, "\(start.stderr)")
        try lab.ok(["run", "-d", "--name", "up", "busybox", "sleep", "100"])
        let exec = try lab.run(["exec", "-w", "/etc/passwd/sub", "up", "true"], timeout: 20)
        #expect(exec.status != 0, "\(exec.stderr)")
        #expect(try lab.ok(["exec", "up", "echo", "fine"]) == "fine")
        try lab.ok(["rm", "-f", "up", "bad"])
        #expect(try lab.ok(["ps", "-aq"]).isEmpty)
        #expect(RecoveryTests.processes(of: lab.root).isEmpty, "\(RecoveryTests.processes(of: lab.root))")
    }
}
