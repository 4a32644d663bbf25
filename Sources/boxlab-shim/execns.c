/*
 * execns.c — `boxlab-shim exec SPEC`: run one more command inside a running
 * container (docker exec). We setns() into its namespaces ourselves — which
 * is why this is C: setns(CLONE_NEWNS) refuses a multi-threaded caller —
 * then fork: the child lands in the container's pid namespace.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* All namespace fds are opened first (while /proc/PID is the host's), then
 * joined; mnt last, because joining it changes our root and /proc. */
static void join_namespaces(const struct spec *s)
{
    static const struct { const char *name; int flag; } order[] = {
        {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
        {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS},
    };
    enum { N = sizeof order / sizeof order[0] };
    int fds[N];
    char path[64];
    for (int i = 0; i < N; i++) {
        fds[i] = -1;
        if (!(s->ns_flags & order[i].flag)) continue;
        snprintf(path, sizeof path, "/proc/%u/ns/%s", s->pid, order[i].name);
        if ((fds[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) shim_fail(BS_STAGE_SETNS, BS_STEP_SETNS, errno);
    }
    for (int i = 0; i < N; i++)
        if (fds[i] >= 0) {
            if (setns(fds[i], order[i].flag)) shim_fail(BS_STAGE_SETNS, BS_STEP_SETNS, errno);
            close(fds[i]);
        }
}

int exec_main(struct spec *s)
{
    if (s->detach) detach_self();
    report(BS_KIND_MONITOR, 0, 0, getpid());

    struct monitor m = {.detach = s->detach, .tty = s->tty, .attached = 1, .log = -1};
    struct child_ctx c = {.spec = s};
    int execpipe[2];
    /* Kept for the child to learn its host pid after the mnt namespace swap. */
    if ((c.hostproc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
        (m.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || io_prepare(&m, &c, s))
        shim_fail(BS_STAGE_IO, BS_STEP_NONE, errno);
    join_namespaces(s);
    if (monitor_signals(&m) || pipe2(execpipe, O_CLOEXEC)) shim_fail(BS_STAGE_CLONED, BS_STEP_CLONE, errno);
    m.execfd = execpipe[0];
    c.execfd = execpipe[1];

    pid_t pid = fork();
    if (pid == 0) {
        close(m.execfd);
        child_begin(&c);
        child_wait(&c); /* boxlab has put us in the container's cgroups */
        child_finish(&c);
    }
    if (pid < 0) shim_fail(BS_STAGE_CLONED, BS_STEP_CLONE, errno);
    m.child = pid;
    io_after_fork(&m, &c);
    close(c.hostproc);
    report(BS_KIND_STAGE, BS_STAGE_CLONED, 0, pid);

    monitor_loop(&m);
    if (m.attached) report(BS_KIND_EXITED, 0, 0, m.status);
    return exit_code(m.status);
}
