/*
 * io.c — what the container's fds 0/1/2 are, on both sides of clone():
 *
 *   detached, no tty   0 = /dev/null, 1 and 2 = the log (no relay at all)
 *   detached, tty      pty; the monitor copies the master to the log
 *   attached, no tty   pipes; the monitor copies to the log and to its 1/2,
 *                      and feeds stdin from its fd 0 if asked
 *   attached, tty      pty; the monitor relays its 0 → master → its 1 (+ log)
 *
 * The pty is opened by the child after pivot_root, on the container's own
 * devpts, and its master is passed back to the monitor over a socketpair.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static void keep_child_end(struct monitor *m, int fd)
{
    for (int i = 0; i < 4; i++)
        if (m->close_after_fork[i] < 0) {
            m->close_after_fork[i] = fd;
            return;
        }
}

/* A pipe whose end `ours` the monitor keeps; the other end goes to the child. */
static int make_pipe(struct monitor *m, int *ours, int *theirs, int we_read)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC)) return -1;
    *ours = p[!we_read];
    *theirs = p[we_read];
    keep_child_end(m, *theirs);
    return fcntl(*ours, F_SETFL, O_NONBLOCK);
}

int io_prepare(struct monitor *m, struct child_ctx *c, const struct spec *s)
{
    for (int i = 0; i < 4; i++) m->close_after_fork[i] = -1;
    m->in_fd = m->out_fd[0] = m->out_fd[1] = m->ptysock = -1;
    c->stdio[0] = c->stdio[1] = c->stdio[2] = c->ptysock = -1;
    m->term[0] = m->term[1] = !s->detach;
    m->want_stdin = s->stdin_open && !s->detach;

    if (s->tty) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) return -1;
        m->ptysock = sv[0];
        c->ptysock = sv[1];
        keep_child_end(m, sv[1]);
        /* Until it has the pty the child keeps our 0/1/2 (/dev/null if detached). */
        return 0;
    }
    if (s->detach) {
        c->stdio[0] = m->devnull;
        c->stdio[1] = c->stdio[2] = m->log >= 0 ? m->log : m->devnull;
        return 0;
    }
    if (!m->want_stdin) c->stdio[0] = m->devnull;
    else if (make_pipe(m, &m->in_fd, &c->stdio[0], 0)) return -1;
    if (make_pipe(m, &m->out_fd[0], &c->stdio[1], 1) || make_pipe(m, &m->out_fd[1], &c->stdio[2], 1))
        return -1;
    return 0;
}

/* Drop the child's ends, or we would never see EOF on our ends. */
void io_after_fork(struct monitor *m, struct child_ctx *c)
{
    for (int i = 0; i < 4; i++)
        if (m->close_after_fork[i] >= 0) close(m->close_after_fork[i]);
    close(c->execfd);
}

static int send_fd(int sock, int fd)
{
    char byte = 'm', cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    memset(cbuf, 0, sizeof cbuf);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    ssize_t n;
    do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == 1 ? 0 : -1;
}

/* The fd sent by send_fd, or -1 (EOF: the child died before sending it). */
int recv_fd(int sock)
{
    char byte, cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&byte, 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    ssize_t n;
    do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    struct cmsghdr *cm = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (!cm || cm->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(cm), sizeof fd);
    return fd;
}

/* Child side (after setsid): a pty from the container's /dev/ptmx becomes our
 * controlling terminal and stdio; its master goes to the monitor. */
int child_tty(struct child_ctx *c)
{
    int unlock = 0, slave = -1;
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    /* TIOCGPTPEER opens the slave from the master itself: no path lookup, so
     * nothing in the container's /dev/pts can swap it. */
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0 ||
        send_fd(c->ptysock, master) < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
        goto fail;
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) goto fail;
    close(master);
    close(c->ptysock);
    if (slave > 2) close(slave);
    return 0;
fail:;
    int saved = errno;
    close(master);
    if (slave >= 0) close(slave);
    errno = saved;
    return -1;
}

/* The client's terminal size onto the pty (at start and on SIGWINCH). */
void winsize_copy(int master, int initial)
{
    struct winsize ws;
    int have = ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0;
    if (have && ws.ws_row && ws.ws_col)
        ioctl(master, TIOCSWINSZ, &ws);
    else if (initial) /* no sized terminal (detached, or under script): not 0x0 */
        ioctl(master, TIOCSWINSZ, &(struct winsize){.ws_row = 24, .ws_col = 80});
}
