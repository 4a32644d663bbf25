/*
 * child.c — the container's process between clone()/fork() and execve().
 *
 * It first waits until boxlab answers 'c' on fd 4 (boxlab has moved it into
 * its cgroups); with the spec's `step` it also stops after each later stage
 * (so narration and `run --step` can look at the half-made container). It reports failures as ERROR
 * records. Only syscalls and async-signal-safe libc are used here: the child
 * of a raw clone() must not trust libc's locks or caches.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The monitor learns "failed, no EXEC" from this byte; EOF alone means exec'd. */
static void tell_monitor_failed(struct child_ctx *c)
{
    char x = 'x';
    (void)write(c->execfd, &x, 1);
}

void child_fail(struct child_ctx *c, int stage, int step, int err, int code)
{
    report(BS_KIND_ERROR, stage, err, step);
    tell_monitor_failed(c);
    _exit(code);
}

/* Anything but 'c' (abort, EOF: boxlab is gone) ends us silently. */
void child_wait(struct child_ctx *c)
{
    if (read_cmd() == BS_CMD_CONTINUE) return;
    tell_monitor_failed(c);
    _exit(BS_EXIT_FAILED);
}

void child_stage(struct child_ctx *c, int stage)
{
    report(BS_KIND_STAGE, stage, 0, c->hostpid);
}

/* Our pid in the host's pid namespace: getpid() answers 1 inside a new one,
 * but the host's procfs (still mounted before pivot_root, or kept as an fd
 * in exec mode) resolves "self" in its own namespace. */
static int host_pid(int procfd)
{
    char buf[16];
    ssize_t n = readlinkat(procfd, procfd == AT_FDCWD ? "/proc/self" : "self", buf, sizeof buf - 1);
    int pid = 0;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) pid = pid * 10 + (buf[i] - '0');
    return pid;
}

/* Undo what the monitor set for itself: blocked signals (for its signalfd)
 * and ignored ones survive execve and would confuse the command. */
void child_begin(struct child_ctx *c)
{
    monitor_reset_signals();
    for (int fd = 0; fd < 3; fd++)
        if (c->stdio[fd] >= 0 && dup2(c->stdio[fd], fd) < 0)
            child_fail(c, BS_STAGE_IO, BS_STEP_NONE, errno, BS_EXIT_FAILED);
    /* Our own session: a terminal's ^C must reach the container through the
     * monitor (sig-proxy) or the pty, not straight from the client's tty;
     * and a session leader can take a pty as its controlling terminal. */
    setsid();
    umask(0); /* device and directory modes exactly as given; 022 again before exec */
    c->hostpid = host_pid(c->hostproc);
}

NORETURN void child_run(struct child_ctx *c)
{
    const struct spec *s = c->spec;
    int step;
    child_begin(c);
    /* Nothing runs before boxlab has put us in our cgroups: what we do is
     * charged to them and limited by them, and a child that failed (and
     * exited) before the join would turn its own error into the join's
     * ESRCH. With `step` boxlab also looks at each later stage (narration
     * evidence, run --step) before we go on. */
    child_wait(c);

    if (rootfs_mount(s, &step)) child_fail(c, BS_STAGE_ROOTFS, step, errno, BS_EXIT_FAILED);
    child_stage(c, BS_STAGE_ROOTFS);
    if (s->step) child_wait(c);

    if (rootfs_pivot(s, &step) || rootfs_protect(s, &step))
        child_fail(c, BS_STAGE_PIVOT, step, errno, BS_EXIT_FAILED);
    child_stage(c, BS_STAGE_PIVOT);
    if (s->step) child_wait(c);

    /* Without a uts namespace this would rename the host. */
    if (s->hostname && (s->ns_flags & CLONE_NEWUTS) && sethostname(s->hostname, strlen(s->hostname)))
        child_fail(c, BS_STAGE_READY, BS_STEP_HOSTNAME, errno, BS_EXIT_FAILED);
    if (s->cwd && mkdir_p(s->cwd, 0755)) /* like docker -w */
        child_fail(c, BS_STAGE_READY, BS_STEP_CHDIR, errno, BS_EXIT_FAILED);
    /* Inside our cgroups: the namespace's root is the cgroup we are in. */
    if ((s->ns_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP))
        child_fail(c, BS_STAGE_CGROUPNS, BS_STEP_NONE, errno, BS_EXIT_FAILED);
    child_finish(c);
}

static int last_cap(void)
{
    char buf[16];
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC), last = 0;
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
    if (fd >= 0) close(fd);
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) last = last * 10 + (buf[i] - '0');
    if (n <= 0) /* no /proc (exec into a container without one): ask the kernel */
        while (prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) last++;
    return last;
}

/* Bounding set, user, then the capability sets. The user switch comes after
 * the bounding set (it needs CAP_SETUID/SETGID, maybe not in `caps`) and
 * before capset: a non-root uid loses its permitted set in setuid(), as with
 * docker, where a non-root user gets no effective capabilities. */
static void drop_privileges(struct child_ctx *c)
{
    const struct spec *s = c->spec;
    int last = last_cap();
    uint64_t keep = s->caps & (last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1);

    for (int cap = 0; cap <= last; cap++)
        if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
            child_fail(c, BS_STAGE_READY, BS_STEP_CAPS, errno, BS_EXIT_FAILED);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
        child_fail(c, BS_STAGE_READY, BS_STEP_CAPS, errno, BS_EXIT_FAILED);

    if (syscall(SYS_setgroups, s->ngroups, s->groups) || syscall(SYS_setgid, s->gid) || syscall(SYS_setuid, s->uid))
        child_fail(c, BS_STAGE_READY, BS_STEP_USER, errno, BS_EXIT_FAILED);

    /* What we never had (boxlab's own bounding set may lack some, e.g. for
     * "all caps") cannot be kept; ask for the rest rather than fail. */
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data)) child_fail(c, BS_STAGE_READY, BS_STEP_CAPS, errno, BS_EXIT_FAILED);
    keep &= (uint64_t)data[1].permitted << 32 | data[0].permitted;
    if (s->uid != 0) keep = 0;
    for (int i = 0; i < 2; i++)
        data[i] = (struct __user_cap_data_struct){(uint32_t)(keep >> 32 * i), (uint32_t)(keep >> 32 * i), 0};
    if (syscall(SYS_capset, &hdr, data))
        child_fail(c, BS_STAGE_READY, BS_STEP_CAPS, errno, BS_EXIT_FAILED);
    if (s->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        child_fail(c, BS_STAGE_READY, BS_STEP_NNP, errno, BS_EXIT_FAILED);
}

static const char *env_path(char **env)
{
    for (; *env; env++)
        if (!strncmp(*env, "PATH=", 5)) return *env + 5;
    return DEFAULT_PATH;
}

/* execvp's search, but with the container's PATH and environment only. */
static NORETURN void exec_command(struct child_ctx *c)
{
    char *const *argv = c->spec->args, **envp = c->spec->env;
    const char *file = argv[0];
    int err = ENOENT, eacces = 0;

    if (strchr(file, '/')) {
        execve(file, argv, envp);
        err = errno;
    } else {
        char buf[4096];
        size_t flen = strlen(file);
        for (const char *p = env_path(envp);; p++) {
            const char *end = strchrnul(p, ':');
            size_t dlen = (size_t)(end - p);
            if (dlen + flen + 2 <= sizeof buf) {
                memcpy(buf, p, dlen); /* an empty entry means the cwd */
                buf[dlen] = '/';
                memcpy(buf + dlen + 1, file, flen + 1);
                execve(dlen ? buf : file, argv, envp);
                err = errno;
                if (err == EACCES) eacces = 1;
                else if (err != ENOENT && err != ENOTDIR && err != ELOOP && err != ENAMETOOLONG &&
                         err != ESTALE && err != ENODEV && err != ETIMEDOUT)
                    break; /* found but unusable (ENOEXEC, ETXTBSY, E2BIG…) */
            }
            if (!*end) break;
            p = end;
        }
        if (eacces && (err == ENOENT || err == ENOTDIR)) err = EACCES;
    }
    int missing = err == ENOENT || err == ENOTDIR;
    child_fail(c, BS_STAGE_EXEC, missing ? BS_STEP_EXEC_NOT_FOUND : BS_STEP_EXEC_NOT_EXEC, err,
               missing ? BS_EXIT_NOT_FOUND : BS_EXIT_NOT_EXECUTABLE);
}

/* The READY stage, shared by run and exec mode. */
NORETURN void child_finish(struct child_ctx *c)
{
    const struct spec *s = c->spec;
    if (chdir(s->cwd ? s->cwd : "/")) child_fail(c, BS_STAGE_READY, BS_STEP_CHDIR, errno, BS_EXIT_FAILED);
    if (s->tty && child_tty(c)) child_fail(c, BS_STAGE_READY, BS_STEP_PTY, errno, BS_EXIT_FAILED);
    drop_privileges(c);
    umask(022);
    /* Only 0, 1, 2 reach the command; the exec-detect pipe is already CLOEXEC. */
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC))
        child_fail(c, BS_STAGE_READY, BS_STEP_NONE, errno, BS_EXIT_FAILED);
    child_stage(c, BS_STAGE_READY);
    if (c->spec->step) child_wait(c);
    exec_command(c);
}
