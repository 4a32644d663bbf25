/* Thin wrappers for calls Swift cannot reach directly (see boxshim.h). */
#include "boxshim.h"
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int bs_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
int bs_pidfd_send_signal(int pidfd, int sig) { return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0); }
int bs_wifexited(int status) { return WIFEXITED(status); }
int bs_wexitstatus(int status) { return WEXITSTATUS(status); }
int bs_wifsignaled(int status) { return WIFSIGNALED(status); }
int bs_wtermsig(int status) { return WTERMSIG(status); }
int bs_ioctl_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}
int bs_pipe2_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
long bs_getrandom(void *buffer, unsigned long length) { return (long)getrandom(buffer, length, 0); }
int bs_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
long bs_statfs_type(const char *path) {
    struct statfs st;
    if (statfs(path, &st) != 0) return -1;
    return (long)st.f_type;
}
