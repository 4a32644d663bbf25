/*
 * main.c — boxlab-shim's entry point.
 *
 *   boxlab-shim run SPECFILE       create a container and be its monitor
 *   boxlab-shim exec SPECFILE      run a command in a running container
 *   boxlab-shim init -- CMD ARGS…  PID 1 inside a container (--init)
 *
 * run/exec: fd 3 = report pipe, fd 4 = control pipe (see boxshim.h).
 */
#include "shim.h"

#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int usage(const char *why)
{
    static const char text[] = "usage: boxlab-shim run|exec SPECFILE   (fd 3: report, fd 4: control)\n"
                               "       boxlab-shim init -- CMD [ARGS...]\n";
    if (why) {
        (void)write_all(STDERR_FILENO, "boxlab-shim: ", 13);
        (void)write_all(STDERR_FILENO, why, strlen(why));
        (void)write_all(STDERR_FILENO, "\n", 1);
    }
    (void)write_all(STDERR_FILENO, text, sizeof text - 1);
    return BS_EXIT_FAILED;
}

int main(int argc, char **argv)
{
    /* init mode is the container's PID 1: it must not touch fds or signal
     * dispositions, which its command inherits. */
    if (argc >= 2 && !strcmp(argv[1], "init")) return init_main(argc - 2, argv + 2);

    if (argc != 3) return usage(NULL);
    int mode;
    if (!strcmp(argv[1], "run")) mode = MODE_RUN;
    else if (!strcmp(argv[1], "exec")) mode = MODE_EXEC;
    else return usage("unknown mode");
    if (fcntl(FD_REPORT, F_GETFD) < 0 || fcntl(FD_CONTROL, F_GETFD) < 0)
        return usage("fds 3 and 4 must be the report and control pipes");

    /* Whatever boxlab leaked must not reach the container; and a closed 0/1/2
     * would let a pipe we make later take its number. */
    close_range(5, ~0U, 0);
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) return BS_EXIT_FAILED;
    signal(SIGPIPE, SIG_IGN);

    static struct spec spec;
    if (spec_load(argv[2], mode, &spec)) shim_fail(BS_STAGE_SPEC, BS_STEP_SPEC, errno);
    return mode == MODE_RUN ? run_main(&spec) : exec_main(&spec);
}
