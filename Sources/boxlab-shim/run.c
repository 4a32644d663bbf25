/*
 * run.c — `boxlab-shim run SPEC`: create the container with clone(), then
 * stay as its monitor until it exits; write the exit file; report EXITED
 * while boxlab is attached; finally exec the reap command if nobody else
 * will clean up.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* "<wait status> <unix ns>\n", written to a temp file and renamed, so a
 * reader sees the whole line or no file. */
static void write_exit_file(const char *path, int status)
{
    char tmp[4096], line[64];
    struct timespec ts;
    if (!path || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return;
    clock_gettime(CLOCK_REALTIME, &ts);
    int len = snprintf(line, sizeof line, "%d %lld\n", status,
                       (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    int ok = write_all(fd, line, (size_t)len) == len;
    if (close(fd) == 0 && ok) rename(tmp, path);
    else unlink(tmp);
}

static NORETURN void finish(struct monitor *m, const struct spec *s)
{
    write_exit_file(s->exitfile, m->status);
    if (m->attached) {
        report(BS_KIND_EXITED, 0, 0, m->status);
        /* A stage answer the child died before reading ('c', 'a') is still in
         * the pipe: only 'd' or EOF answer EXITED. Taking a stale 'c' for
         * "client gone" would exec the reap, which waits for the container
         * lock the client holds while it waits for us: a deadlock. */
        int cmd;
        do cmd = read_cmd();
        while (cmd == BS_CMD_CONTINUE || cmd == BS_CMD_ABORT);
        if (cmd == BS_CMD_DONE) exit(exit_code(m->status)); /* the client cleans up */
        monitor_go_detached(m);                               /* the client is gone */
    }
    if (s->reap[0]) {
        monitor_reset_signals();
        execv(s->reap[0], s->reap);
    }
    exit(exit_code(m->status));
}

int run_main(struct spec *s)
{
    if (s->detach) detach_self();
    report(BS_KIND_MONITOR, 0, 0, getpid());

    struct monitor m = {.detach = s->detach, .tty = s->tty, .attached = 1, .log = -1, .step = s->step};
    struct child_ctx c = {.spec = s, .hostproc = AT_FDCWD};
    int execpipe[2];
    if (s->log && (m.log = open(s->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0)
        shim_fail(BS_STAGE_IO, BS_STEP_NONE, errno);
    if ((m.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || io_prepare(&m, &c, s))
        shim_fail(BS_STAGE_IO, BS_STEP_NONE, errno);
    if (monitor_signals(&m) || pipe2(execpipe, O_CLOEXEC))
        shim_fail(BS_STAGE_CLONED, BS_STEP_CLONE, errno);
    m.execfd = execpipe[0];
    c.execfd = execpipe[1];

    /* A raw clone() without CLONE_VM or a new stack behaves like fork(), but
     * takes namespace flags. The cgroup namespace comes later, in the child,
     * once boxlab has moved it into its cgroups. */
    int flags = s->ns_flags & ~CLONE_NEWCGROUP;
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | flags, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        close(m.execfd);
        child_run(&c);
    }
    if (pid < 0) shim_fail(BS_STAGE_CLONED, BS_STEP_CLONE, errno);
    m.child = pid;
    io_after_fork(&m, &c);
    if (!s->tty && s->detach && m.log >= 0) close(m.log), m.log = -1; /* the child writes it */
    report(BS_KIND_STAGE, BS_STAGE_CLONED, 0, pid);

    monitor_loop(&m);
    finish(&m, s);
}
