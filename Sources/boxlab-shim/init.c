/*
 * init.c — `boxlab-shim init -- CMD ARGS…`, bind-mounted as /dev/init for
 * `run --init` (what tini is to docker). As PID 1 of a pid namespace the
 * kernel drops every signal it has no handler for, so a plain command as
 * PID 1 ignores `stop`'s SIGTERM; and orphans are re-parented to PID 1, so
 * someone must reap them. This process does both and nothing else.
 * fds 3/4 are not ours here: they do not exist in a container.
 */
#include "shim.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Faults are about this process itself and must keep their default action. */
static const int synchronous[] = {SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGABRT, SIGTRAP, SIGSYS};

static NORETURN void start_command(char **argv, const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
    setpgid(0, 0);
    /* Take the terminal's foreground, as a shell would for its job. */
    if (isatty(STDIN_FILENO)) {
        signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(STDIN_FILENO, getpid());
        signal(SIGTTOU, SIG_DFL);
    }
    execvp(argv[0], argv);
    int err = errno;
    const char *parts[] = {"boxlab-init: ", argv[0], ": ", strerror(err), "\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        (void)write_all(STDERR_FILENO, parts[i], strlen(parts[i]));
    _exit(err == ENOENT || err == ENOTDIR ? BS_EXIT_NOT_FOUND : BS_EXIT_NOT_EXECUTABLE);
}

int init_main(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "--")) argc--, argv++;
    if (argc < 1) {
        static const char usage[] = "usage: boxlab-shim init -- CMD [ARGS...]\n";
        (void)write_all(STDERR_FILENO, usage, sizeof usage - 1);
        return BS_EXIT_FAILED;
    }

    sigset_t all, old;
    sigfillset(&all);
    for (size_t i = 0; i < sizeof synchronous / sizeof synchronous[0]; i++) sigdelset(&all, synchronous[i]);
    sigprocmask(SIG_BLOCK, &all, &old);
    /* Not PID 1 (no pid namespace)? Orphans should still come to us. */
    if (getpid() != 1) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    pid_t child = fork();
    if (child < 0) {
        static const char msg[] = "boxlab-init: fork failed\n";
        (void)write_all(STDERR_FILENO, msg, sizeof msg - 1);
        return BS_EXIT_FAILED;
    }
    if (child == 0) start_command(argv, &old);

    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si), status;
        if (sig < 0) continue; /* EINTR */
        if (sig != SIGCHLD) {
            /* Job-control noise from the terminal is not for the command. */
            if (sig != SIGTTIN && sig != SIGTTOU) kill(child, sig);
            continue;
        }
        for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;)
            if (pid == child) return exit_code(status); /* the kernel kills the rest */
    }
}
