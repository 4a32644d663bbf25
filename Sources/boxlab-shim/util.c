/*
 * util.c — small helpers shared by the monitor and the child. Everything here
 * is a thin layer over syscalls, so the child may use it after clone().
 */
#include "shim.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

ssize_t write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) { /* someone made a shared fd non-blocking */
            struct pollfd pfd = {fd, POLLOUT, 0};
            poll(&pfd, 1, -1);
            continue;
        }
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

/* 16 bytes < PIPE_BUF, so records from the monitor and the child never mix.
 * A vanished reader (EPIPE, SIGPIPE is ignored) is not our problem. */
void report(int kind, int stage, int err, int value)
{
    bs_record r = {kind, stage, err, value};
    int saved = errno;
    (void)write_all(FD_REPORT, &r, sizeof r);
    errno = saved;
}

/* One command byte from the control pipe, or -1 on EOF/error. */
int read_cmd(void)
{
    unsigned char c;
    ssize_t n;
    do n = read(FD_CONTROL, &c, 1);
    while (n < 0 && errno == EINTR);
    return n == 1 ? c : -1;
}

/* mkdir -p; the path is taken as given (callers resolve it in the right root). */
int mkdir_p(const char *path, mode_t mode)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p) continue;
        char saved = *p;
        *p = 0;
        if (mkdir(buf, mode) < 0 && errno != EEXIST) return -1;
        if (!(*p = saved)) break;
    }
    struct stat st;
    if (stat(path, &st) < 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* out = a + b (b starts with '/'); -1/ENAMETOOLONG if it does not fit. */
int path_join(char *out, size_t size, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la > 1 && a[la - 1] == '/') la--;
    if (la + lb + 1 > size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(out, a, la);
    memcpy(out + la, b, lb + 1);
    return 0;
}

/* docker's convention: the exit status, or 128 + the signal. */
int exit_code(int status)
{
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return BS_EXIT_FAILED;
}

/* The Swift side waitpid()s the process it spawned; we fork and let that
 * one exit at once, so the monitor is reparented and never its zombie. */
void detach_self(void)
{
    pid_t pid = fork();
    if (pid < 0) shim_fail(BS_STAGE_CLONED, BS_STEP_CLONE, errno);
    if (pid > 0) _exit(0);
    setsid();
}

/* A failure of the shim itself (not of the container's child). */
void shim_fail(int stage, int step, int err)
{
    report(BS_KIND_ERROR, stage, err, step);
    exit(BS_EXIT_FAILED);
}
