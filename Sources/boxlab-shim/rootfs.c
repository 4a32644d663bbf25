/*
 * rootfs.c — the container's filesystem: overlay, /proc, /dev, /sys, binds,
 * pivot_root, masked and read-only paths. Runs in the child, in its own
 * mount namespace. Each public function returns 0, or -1 with errno and the
 * bs_step that failed in *step.
 *
 * Before pivot_root an image's symlinks would resolve against the host, so
 * paths inside the rootfs are opened with openat2(RESOLVE_IN_ROOT) (symlinks
 * stay inside the rootfs) and binds go onto those fds with move_mount(). The
 * fixed mount points (/proc, /dev, /sys) must be real directories.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PATH_SIZE 4096

static int open_in_root(int rootfd, const char *path, int flags, unsigned long long resolve)
{
    struct open_how how = {.flags = (unsigned)(flags | O_CLOEXEC), .resolve = resolve};
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/* Opens the in-container PATH below ROOTFD (O_PATH), creating what is missing:
 * parents as directories, the last component as a directory (kind 'd') or an
 * empty file ('f'); kind 0 creates nothing. */
static int in_root(int rootfd, const char *path, int kind)
{
    const unsigned long long res = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int fd = open_in_root(rootfd, path, O_PATH, res);
    if (fd >= 0 || errno != ENOENT || !kind) return fd;

    /* Split into parent and last component, create the parent first. */
    char parent[PATH_SIZE], name[256];
    size_t len = strlen(path);
    if (len >= sizeof parent) return errno = ENAMETOOLONG, -1;
    memcpy(parent, path, len + 1);
    while (len > 1 && parent[len - 1] == '/') parent[--len] = 0;
    char *slash = strrchr(parent, '/');
    if (!slash || !slash[1]) return errno = ENOENT, -1;
    if (strlen(slash + 1) >= sizeof name) return errno = ENAMETOOLONG, -1;
    strcpy(name, slash + 1);
    slash[slash == parent] = 0; /* keep "/" as the parent of "/x" */

    int dirfd = in_root(rootfd, parent, 'd');
    if (dirfd < 0) return -1;
    int r = kind == 'd' ? mkdirat(dirfd, name, 0755)
                        : openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (kind != 'd' && r >= 0) close(r);
    close(dirfd);
    if (r < 0 && errno != EEXIST) return -1;
    return open_in_root(rootfd, path, O_PATH, res);
}

/* Binds host path SRC onto DSTFD/DST (DST "" = the fd itself), read-only if RO.
 * open_tree + mount_setattr + move_mount make the bind read-only (recursively)
 * before it is ever visible. */
static int bind_tree(const char *src, int dstfd, const char *dst, int ro)
{
    int tree = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE), r = -1;
    if (tree < 0) return -1;
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (!ro || mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0)
        r = move_mount(tree, "", dstfd, dst, MOVE_MOUNT_F_EMPTY_PATH | (*dst ? 0 : MOVE_MOUNT_T_EMPTY_PATH));
    int saved = errno;
    close(tree);
    errno = saved;
    return r;
}

/* Makes ROOTFS/NAME a directory that is not a symlink, so that mounting on
 * the plain path below cannot be redirected to the host. */
static int mountpoint(const struct spec *s, int rootfd, const char *name, char *path)
{
    if (mkdirat(rootfd, name + 1, 0755) < 0 && errno != EEXIST) return -1;
    int fd = open_in_root(rootfd, name, O_PATH | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
    if (fd < 0) return -1;
    close(fd);
    return path_join(path, PATH_SIZE, s->rootfs, name);
}

static int fs_mount(const struct spec *s, int rootfd, const char *name, const char *type,
                    unsigned long flags, const char *data)
{
    char path[PATH_SIZE];
    if (mountpoint(s, rootfd, name, path)) return -1;
    return mount(type, path, type, flags, data);
}

/* Appends STR to the string in OUT (capacity SIZE); -1/E2BIG when full. */
static int append(char *out, size_t size, const char *str)
{
    size_t len = strlen(out), add = strlen(str);
    if (len + add >= size) return errno = E2BIG, -1;
    memcpy(out + len, str, add + 1);
    return 0;
}

static int overlay(const struct spec *s)
{
    if (!s->lower[0]) /* no layers: the rootfs dir itself, made a mount point for pivot_root */
        return mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL);
    char opts[4096] = "lowerdir="; /* mount(2) data is limited to one page */
    for (char **l = s->lower; *l; l++)
        if ((l != s->lower && append(opts, sizeof opts, ":")) || append(opts, sizeof opts, *l)) return -1;
    if (s->upper && (append(opts, sizeof opts, ",upperdir=") || append(opts, sizeof opts, s->upper) ||
                     append(opts, sizeof opts, ",workdir=") || append(opts, sizeof opts, s->work)))
        return -1;
    return mount("overlay", s->rootfs, "overlay", 0, opts);
}

static int make_devices(const struct spec *s, int rootfd)
{
    for (size_t i = 0; i < s->ndevices; i++) {
        const struct device *d = &s->devices[i];
        const char *base = strrchr(d->path, '/') + 1;
        char parent[PATH_SIZE];
        size_t plen = (size_t)(base - d->path);
        if (plen >= sizeof parent) return errno = ENAMETOOLONG, -1;
        memcpy(parent, d->path, plen);
        parent[plen] = 0;
        int dirfd = in_root(rootfd, parent, 'd');
        if (dirfd < 0) return -1;
        /* O_PATH fds are fine as dirfd for the *at calls. */
        int r = mknodat(dirfd, base, d->type | d->mode, makedev(d->major, d->minor));
        close(dirfd);
        if (r < 0 && errno != EEXIST) return -1;
    }
    return 0;
}

static int setup_dev(const struct spec *s, int rootfd)
{
    static const char *const links[][2] = {
        {"pts/ptmx", "ptmx"},         {"/proc/self/fd", "fd"},
        {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"},
    };
    char path[PATH_SIZE];
    if (fs_mount(s, rootfd, "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k")) return -1;
    if (make_devices(s, rootfd)) return -1;
    if (fs_mount(s, rootfd, "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                 "newinstance,ptmxmode=0666,mode=0620,gid=5"))
        return -1;
    if (fs_mount(s, rootfd, "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"))
        return -1;
    if (fs_mount(s, rootfd, "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) return -1;
    if (path_join(path, sizeof path, s->rootfs, "/dev")) return -1;
    int devfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC); /* our fresh tmpfs */
    if (devfd < 0) return -1;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (symlinkat(links[i][0], devfd, links[i][1]) < 0 && errno != EEXIST) {
            close(devfd);
            return -1;
        }
    close(devfd);
    return 0;
}

static int binds(const struct spec *s, int rootfd)
{
    for (size_t i = 0; i < s->nbinds + (s->init != NULL); i++) {
        /* The init binary is one more bind, read-only at /dev/init. */
        struct bind b = i < s->nbinds ? s->binds[i] : (struct bind){s->init, "/dev/init", 1};
        struct stat st;
        if (stat(b.src, &st) < 0) return -1;
        int dst = in_root(rootfd, b.dst, S_ISDIR(st.st_mode) ? 'd' : 'f');
        if (dst < 0) return -1;
        int r = bind_tree(b.src, dst, "", b.ro);
        int saved = errno;
        close(dst);
        errno = saved;
        if (r < 0) return -1;
    }
    return 0;
}

/* A new net namespace starts with lo down; containers expect 127.0.0.1. */
static int loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;
    struct ifreq ifr;
    if (fd < 0) return -1;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        r = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

int rootfs_mount(const struct spec *s, int *step)
{
    /* Nothing we mount may propagate back to the host. */
    *step = BS_STEP_MOUNT_PRIVATE;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) return -1;
    *step = BS_STEP_MOUNT_OVERLAY;
    if (overlay(s)) return -1;
    int rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC), r = -1;
    if (rootfd < 0) return -1;
    *step = BS_STEP_MOUNT_PROC;
    if (fs_mount(s, rootfd, "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) goto out;
    *step = BS_STEP_MOUNT_DEV;
    if (setup_dev(s, rootfd)) goto out;
    *step = BS_STEP_MOUNT_SYS;
    if (fs_mount(s, rootfd, "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) goto out;
    *step = BS_STEP_MOUNT_BIND;
    if (binds(s, rootfd)) goto out;
    *step = BS_STEP_NONE; /* no bs_step names the loopback */
    if ((s->ns_flags & CLONE_NEWNET) && loopback_up()) goto out;
    r = 0;
out:;
    int saved = errno;
    close(rootfd);
    errno = saved;
    return r;
}

int rootfs_pivot(const struct spec *s, int *step)
{
    /* pivot_root(".", ".") stacks the old root on top of the new one; the
     * lazy umount of "." then removes it, and no directory is needed for it. */
    *step = BS_STEP_PIVOT_ROOT;
    if (chdir(s->rootfs) || syscall(SYS_pivot_root, ".", ".")) return -1;
    *step = BS_STEP_UMOUNT_OLD;
    return umount2(".", MNT_DETACH) || chdir("/") ? -1 : 0;
}

/* After pivot_root: paths resolve inside the container, so plain paths are safe. */
int rootfs_protect(const struct spec *s, int *step)
{
    struct stat st;
    *step = BS_STEP_MASK;
    for (char **p = s->masks; *p; p++) {
        if (stat(*p, &st) < 0) {
            if (errno == ENOENT) continue;
            return -1;
        }
        int r = S_ISDIR(st.st_mode)
                    ? mount("tmpfs", *p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0")
                    : bind_tree("/dev/null", AT_FDCWD, *p, 0);
        if (r < 0) return -1;
    }
    for (char **p = s->readonly; *p; p++)
        if (bind_tree(*p, AT_FDCWD, *p, 1) < 0 && errno != ENOENT) return -1;
    return 0;
}
