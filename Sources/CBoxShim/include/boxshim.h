/*
 * boxshim.h — the contract between boxlab (Swift) and boxlab-shim (static C).
 *
 * Why C: Swift starts threads, and after fork() in a threaded process only
 * async-signal-safe calls are allowed; setns(CLONE_NEWNS) refuses a threaded
 * caller. So everything between clone() and execve() (mounts, pivot_root,
 * hostname, capabilities, exec), setns for `exec`, and the tiny monitor and
 * init processes live in boxlab-shim, a static binary built from the shim folder.
 * Swift imports this header only for the shared protocol constants below and
 * for thin wrappers of calls that Glibc's Swift overlay does not expose.
 *
 * Protocol (one table, like runc's libcontainer/sync.go):
 *   boxlab posix_spawns `boxlab-shim MODE SPECFILE` with
 *     fd 3 = report pipe (shim and its child write bs_record, 16 bytes each)
 *     fd 4 = control pipe (boxlab writes one byte per command)
 *   and fds 0,1,2 = what the container should be attached to
 *   (for a detached run: /dev/null; the shim writes output to the log).
 *
 *   shim/child → boxlab             boxlab → shim/child
 *   -------------------             -------------------
 *   MONITOR   pid=monitor pid
 *   STAGE CLONED pid=container pid  (boxlab joins pid to cgroups, reads ns)
 *                                   'c' continue | 'a' abort (always: the child
 *                                   does nothing before it is in its cgroups)
 *   With the spec's `step` only, each later stage waits for an answer too:
 *   STAGE ROOTFS                    'c' | 'a'   (overlay + /proc /dev /sys mounted)
 *   STAGE PIVOT                     'c' | 'a'   (pivot_root done, old root gone)
 *   STAGE READY                     'c' | 'a'   (caps dropped; about to execve)
 *   STAGE EXEC                      —           (execve succeeded: sent by shim)
 *   ERROR stage=S err=errno                     (a step failed; nothing runs)
 *   EXITED value=wait status        'd' done    (only while boxlab is attached:
 *                                   it reaps; EOF = it is gone, the shim reaps;
 *                                   a stage answer left unread is skipped)
 *   EOF on fd 4 before EXEC counts as abort.
 *
 * After EXEC in a detached run the shim closes fds 3/4 and lives on as the
 * container's monitor: it waits for the container, writes the exit file
 * ("<wait status> <unix ns>\n", atomically), then execs the reap command if
 * the spec gives one.
 */
#ifndef BOXSHIM_H
#define BOXSHIM_H

#include <stdint.h>
#include <sys/types.h>

/* Record kinds written on fd 3. */
enum bs_kind {
    BS_KIND_MONITOR = 1, /* value = pid of the monitor process (after it detached) */
    BS_KIND_STAGE = 2,   /* stage = bs_stage reached; value = container pid (host view) */
    BS_KIND_ERROR = 3,   /* stage = failing bs_stage; err = errno; value = bs_step detail */
    BS_KIND_EXITED = 4,  /* value = raw wait status of the container's PID 1 */
};

/* Stages of container creation, in order. */
enum bs_stage {
    BS_STAGE_SPEC = 0,    /* reading the spec file (shim side) */
    BS_STAGE_CLONED = 1,  /* clone() with new pid, mnt, uts, ipc, net namespaces */
    BS_STAGE_CGROUPNS = 2,/* unshare(CLONE_NEWCGROUP) after the cgroup join */
    BS_STAGE_ROOTFS = 3,  /* overlay + proc, dev, sys, binds, volumes mounted */
    BS_STAGE_PIVOT = 4,   /* pivot_root, old root detached, masked paths */
    BS_STAGE_READY = 5,   /* hostname, caps, no_new_privs set; before execve */
    BS_STAGE_EXEC = 6,    /* execve of the command */
    BS_STAGE_IO = 7,      /* pty / pipe relay set-up in the shim */
    BS_STAGE_SETNS = 8,   /* exec mode: entering the namespaces of a running container */
};

/* Which step of a stage failed (value of an ERROR record), for precise messages. */
enum bs_step {
    BS_STEP_NONE = 0,
    BS_STEP_MOUNT_PRIVATE = 1,
    BS_STEP_MOUNT_OVERLAY = 2,
    BS_STEP_MOUNT_PROC = 3,
    BS_STEP_MOUNT_DEV = 4,
    BS_STEP_MOUNT_SYS = 5,
    BS_STEP_MOUNT_BIND = 6,
    BS_STEP_PIVOT_ROOT = 7,
    BS_STEP_UMOUNT_OLD = 8,
    BS_STEP_MASK = 9,
    BS_STEP_HOSTNAME = 10,
    BS_STEP_CAPS = 11,
    BS_STEP_NNP = 12,
    BS_STEP_CHDIR = 13,
    BS_STEP_EXEC_NOT_FOUND = 14,  /* command not found in PATH → exit 127 */
    BS_STEP_EXEC_NOT_EXEC = 15,   /* found but not executable → exit 126 */
    BS_STEP_PTY = 16,
    BS_STEP_SETNS = 17,
    BS_STEP_CLONE = 18,
    BS_STEP_SPEC = 19,
    BS_STEP_USER = 20,
};

/* One record on the report pipe. Fixed size, so writes are atomic (< PIPE_BUF). */
typedef struct bs_record {
    int32_t kind;
    int32_t stage;
    int32_t err;
    int32_t value;
} bs_record;

/* Control bytes on fd 4. */
enum bs_cmd {
    BS_CMD_CONTINUE = 'c',
    BS_CMD_ABORT = 'a',
    BS_CMD_DONE = 'd', /* after EXITED: the attached client does the reap */
};

/* Exit codes of the shim itself when the container could not be started. */
#define BS_EXIT_FAILED 125
#define BS_EXIT_NOT_EXECUTABLE 126
#define BS_EXIT_NOT_FOUND 127

/* Thin wrappers for Swift: these calls are missing from Glibc's Swift overlay
 * (variadic syscall(), or headers Swift does not import). */
int bs_pidfd_open(pid_t pid);
int bs_pidfd_send_signal(int pidfd, int sig);
int bs_wifexited(int status);
int bs_wexitstatus(int status);
int bs_wifsignaled(int status);
int bs_wtermsig(int status);
int bs_ioctl_get_winsize(int fd, unsigned short *rows, unsigned short *cols);
int bs_pipe2_cloexec(int fds[2]);
/* statfs(2)'s f_type (filesystem magic), or -1 with errno set. */
long bs_statfs_type(const char *path);
long bs_getrandom(void *buffer, unsigned long length);
#include <spawn.h>
int bs_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

#endif
