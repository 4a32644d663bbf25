/*
 * shim.h — private to boxlab-shim (the static binary built from the shim folder).
 * The wire protocol with the Swift side is in ../include/boxshim.h; this
 * header only holds what the shim's own files share.
 *
 * Process picture (run mode):
 *
 *   boxlab ──posix_spawn──▶ monitor (this binary; forks away first if detached)
 *                              │ clone(NEWPID|NEWNS|…)
 *                              ▼
 *                           child: waits for 'c' between stages, mounts,
 *                           pivots, drops caps, execve()s the command
 *
 * The monitor relays stdio, notices the exec through a CLOEXEC pipe that hits
 * EOF, waits for the container, writes the exit file and reports EXITED.
 */
#ifndef SHIM_H
#define SHIM_H

#include "boxshim.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FD_REPORT 3  /* we write bs_record here */
#define FD_CONTROL 4 /* we read one command byte per stage here */

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* Docker's default capability set, used when the spec has no `caps`. */
#define DEFAULT_CAPS 0xa80425fbULL

#define NORETURN __attribute__((noreturn))

enum shim_mode { MODE_RUN, MODE_EXEC };

struct bind {
    const char *src, *dst; /* host path, in-container path */
    int ro;
};

struct device {
    mode_t type; /* S_IFCHR or S_IFBLK */
    unsigned major, minor;
    mode_t mode;
    const char *path; /* in-container path */
};

/* The parsed spec file. Strings point into one buffer that lives as long
 * as the process; lists are NULL-terminated. */
struct spec {
    int mode;
    const char *id, *rootfs, *upper, *work, *hostname, *cwd, *init, *log, *exitfile;
    char **lower, **args, **env, **masks, **readonly, **reap;
    struct bind *binds;
    size_t nbinds;
    struct device *devices;
    size_t ndevices;
    unsigned uid, gid, pid;
    gid_t *groups; /* supplementary groups (setgroups) */
    size_t ngroups;
    uint64_t caps;
    int ns_flags; /* CLONE_NEW* */
    int nnp, tty, stdin_open, detach;
    int step; /* 1: wait for boxlab after every stage (evidence, run --step) */
};

/* What the container child needs between clone()/fork() and execve(). */
struct child_ctx {
    const struct spec *spec;
    int stdio[3];  /* dup2'd onto 0,1,2 at once; -1 = leave (a pty comes later) */
    int execfd;    /* write end of the exec-detect pipe (CLOEXEC) */
    int ptysock;   /* our end of the socketpair that carries the pty master */
    int hostproc;  /* exec mode: the host's /proc, to learn our host pid */
    int hostpid;   /* our pid as the host sees it, for STAGE records */
};

/* The monitor's side of one container process. */
struct monitor {
    pid_t child;
    int detach, tty, want_stdin;
    int attached;           /* fds 3/4 still open */
    int sigfd, execfd, ptysock, devnull, log;
    int in_fd;              /* the container's stdin, our end (pipe or dup of master) */
    int out_fd[2];          /* its stdout, stderr (pipes), or the pty master in [0] */
    int term[2];            /* still copying output to our fd 1 / 2 */
    int close_after_fork[4];/* the child's ends of pipes we made */
    int in_eof;
    size_t inlen, inoff;
    char inbuf[4096];
    int execed, reaped, status;
    int step;               /* wait for boxlab's ack of EXEC before relaying output */
};

/* spec.c */
int spec_load(const char *path, int mode, struct spec *s);

/* util.c */
ssize_t write_all(int fd, const void *buf, size_t len);
void report(int kind, int stage, int err, int value);
int read_cmd(void);
int mkdir_p(const char *path, mode_t mode);
int path_join(char *out, size_t size, const char *a, const char *b);
int exit_code(int status);
void detach_self(void);
NORETURN void shim_fail(int stage, int step, int err);

/* child.c — all of it runs in the container's process */
void child_begin(struct child_ctx *c);
void child_wait(struct child_ctx *c);
void child_stage(struct child_ctx *c, int stage);
NORETURN void child_fail(struct child_ctx *c, int stage, int step, int err, int code);
NORETURN void child_run(struct child_ctx *c);
NORETURN void child_finish(struct child_ctx *c);

/* rootfs.c */
int rootfs_mount(const struct spec *s, int *step);
int rootfs_pivot(const struct spec *s, int *step);
int rootfs_protect(const struct spec *s, int *step);

/* io.c */
int io_prepare(struct monitor *m, struct child_ctx *c, const struct spec *s);
void io_after_fork(struct monitor *m, struct child_ctx *c);
int child_tty(struct child_ctx *c);
int recv_fd(int sock);
void winsize_copy(int master, int initial);

/* monitor.c */
int monitor_signals(struct monitor *m);
int monitor_loop(struct monitor *m);
void monitor_go_detached(struct monitor *m);
void monitor_reset_signals(void);

/* run.c, execns.c, init.c */
int run_main(struct spec *s);
int exec_main(struct spec *s);
int init_main(int argc, char **argv);

#endif
