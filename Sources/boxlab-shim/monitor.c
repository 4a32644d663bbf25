/*
 * monitor.c — the loop that watches one container process: it notices the
 * execve (exec-detect pipe at EOF), receives the pty master, relays stdio,
 * forwards signals (docker's sig-proxy) and reaps the child. One poll(), no
 * threads, a few KiB of state: it may sit there for the container's lifetime.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_IDLE_MS 100  /* after the child is gone: stop when output pauses… */
#define DRAIN_MAX_MS 2000  /* …or at the latest (a background process may hold it) */

static const int forwarded[] = {SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2};
static const int ignored[] = {SIGHUP, SIGTTOU, SIGTTIN, SIGPIPE};

/* Signals arrive through a signalfd, so they are blocked here; the child
 * unblocks them (child_begin) before it can exec. Blocking before clone()
 * means even a child that dies at once is seen. */
int monitor_signals(struct monitor *m)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGWINCH);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaddset(&set, forwarded[i]);
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);
    if (sigprocmask(SIG_BLOCK, &set, NULL)) return -1;
    m->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    return m->sigfd < 0 ? -1 : 0;
}

/* For a process about to exec: blocked and ignored signals survive execve.
 * Every disposition goes back to default, not just ours: whatever boxlab's
 * own parent ignored must not leak into the container either. */
void monitor_reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL); /* EINVAL for libc's own: fine */
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* After EXEC in a detached run: nobody listens any more. */
void monitor_go_detached(struct monitor *m)
{
    close(FD_REPORT);
    close(FD_CONTROL);
    m->attached = 0;
    for (int fd = 0; fd < 3; fd++) dup2(m->devnull, fd);
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static void on_exec_pipe(struct monitor *m)
{
    char byte;
    ssize_t n = read(m->execfd, &byte, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    close_fd(&m->execfd);
    if (n != 0) return; /* the child failed and reported it itself */
    m->execed = 1;
    report(BS_KIND_STAGE, BS_STAGE_EXEC, 0, m->child);
    /* When boxlab narrates, its "exec" line must come before the command's
     * first output: wait for its ack (EOF, boxlab gone, also goes on). */
    if (m->step) (void)read_cmd();
    if (m->detach) monitor_go_detached(m);
}

static void on_pty_sock(struct monitor *m)
{
    int master = recv_fd(m->ptysock);
    close_fd(&m->ptysock);
    if (master < 0) return;
    fcntl(master, F_SETFL, O_NONBLOCK);
    winsize_copy(master, 1);
    m->out_fd[0] = master;
    /* A separate fd for input, so that ending stdin is just a close(). */
    if (m->want_stdin) m->in_fd = fcntl(master, F_DUPFD_CLOEXEC, 0);
}

/* Container output → log and our fd 1/2 (until the client's end breaks). */
static void on_output(struct monitor *m, int i)
{
    char buf[16384];
    ssize_t n = read(m->out_fd[i], buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) { /* EOF, or EIO: the pty's last slave fd is closed */
        close_fd(&m->out_fd[i]);
        return;
    }
    if (m->log >= 0) (void)write_all(m->log, buf, (size_t)n);
    if (m->term[i] && write_all(1 + i, buf, (size_t)n) < 0) m->term[i] = 0;
}

static void end_stdin(struct monitor *m)
{
    m->in_eof = 1;
    if (!m->inlen) close_fd(&m->in_fd); /* the pipe's EOF is the container's EOF */
}

static void on_stdin(struct monitor *m)
{
    ssize_t n = read(STDIN_FILENO, m->inbuf, sizeof m->inbuf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) return end_stdin(m);
    m->inoff = 0;
    m->inlen = (size_t)n;
}

/* The container's stdin is non-blocking: a container that does not read
 * must not stop us from relaying its output. */
static void on_input_writable(struct monitor *m)
{
    ssize_t n = write(m->in_fd, m->inbuf + m->inoff, m->inlen);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) { /* EPIPE: nobody reads it any more */
        m->inlen = 0;
        return end_stdin(m);
    }
    m->inoff += (size_t)n;
    m->inlen -= (size_t)n;
    if (!m->inlen && m->in_eof) close_fd(&m->in_fd);
}

static void on_signals(struct monitor *m)
{
    struct signalfd_siginfo si;
    while (read(m->sigfd, &si, sizeof si) == sizeof si) {
        int sig = (int)si.ssi_signo, status;
        if (sig == SIGCHLD) {
            if (!m->reaped && waitpid(m->child, &status, WNOHANG) == m->child) {
                m->reaped = 1;
                m->status = status;
            }
        } else if (sig == SIGWINCH) {
            if (m->tty && m->out_fd[0] >= 0) winsize_copy(m->out_fd[0], 0);
        } else if (!m->reaped) {
            kill(m->child, sig);
        }
    }
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs until the child is reaped and its output drained; returns its wait status. */
int monitor_loop(struct monitor *m)
{
    long reaped_at = 0;
    for (;;) {
        struct pollfd p[7];
        void (*handler[7])(struct monitor *);
        int out_index[7] = {0}, n = 0;
#define WATCH(fd_, ev_, fn_) (p[n] = (struct pollfd){(fd_), (ev_), 0}, handler[n] = (fn_), n++)
        /* Order matters: EXEC before output, output before the reaping. */
        if (m->execfd >= 0) WATCH(m->execfd, POLLIN, on_exec_pipe);
        if (m->ptysock >= 0) WATCH(m->ptysock, POLLIN, on_pty_sock);
        for (int i = 0; i < 2; i++)
            if (m->out_fd[i] >= 0) out_index[n] = i, WATCH(m->out_fd[i], POLLIN, NULL);
        if (m->execed && !m->reaped && m->want_stdin && !m->in_eof && !m->inlen && m->in_fd >= 0)
            WATCH(STDIN_FILENO, POLLIN, on_stdin);
        if (m->inlen && m->in_fd >= 0) WATCH(m->in_fd, POLLOUT, on_input_writable);
        WATCH(m->sigfd, POLLIN, on_signals);
#undef WATCH

        int timeout = -1;
        if (m->reaped) {
            if (m->execfd < 0 && m->out_fd[0] < 0 && m->out_fd[1] < 0) break;
            if (!reaped_at) reaped_at = now_ms();
            long left = reaped_at + DRAIN_MAX_MS - now_ms();
            if (left <= 0) break;
            timeout = left < DRAIN_IDLE_MS ? (int)left : DRAIN_IDLE_MS;
        }
        int r = poll(p, (nfds_t)n, timeout);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (r == 0) {
            if (m->execfd >= 0) on_exec_pipe(m); /* dead child: answers at once */
            break;
        }
        for (int i = 0; i < n; i++) {
            if (!p[i].revents) continue;
            if (handler[i]) handler[i](m);
            else on_output(m, out_index[i]);
        }
    }
    if (!m->reaped) { /* poll failed: fall back to a plain wait */
        while (waitpid(m->child, &m->status, 0) < 0 && errno == EINTR) {}
        m->reaped = 1;
    }
    return m->status;
}
