/*
 * spec.c — reads the spec file: NUL-terminated key,value pairs
 * ("key\0value\0key\0value\0…"). Keys may repeat; order is kept.
 * Everything is parsed and checked here, before clone(), so a bad spec is
 * one SPEC error and the child never has to parse anything.
 */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { K_STR, K_LIST, K_FLAG, K_UINT, K_HEX, K_NS, K_BIND, K_DEVICE, K_GROUP };

#define F(field) offsetof(struct spec, field)
static const struct {
    const char *name;
    int kind;
    size_t off;
} keys[] = {
    {"id", K_STR, F(id)},           {"rootfs", K_STR, F(rootfs)},
    {"upper", K_STR, F(upper)},     {"work", K_STR, F(work)},
    {"hostname", K_STR, F(hostname)}, {"cwd", K_STR, F(cwd)},
    {"init", K_STR, F(init)},       {"log", K_STR, F(log)},
    {"exitfile", K_STR, F(exitfile)},
    {"lower", K_LIST, F(lower)},    {"arg", K_LIST, F(args)},
    {"env", K_LIST, F(env)},        {"mask", K_LIST, F(masks)},
    {"readonly", K_LIST, F(readonly)}, {"reap", K_LIST, F(reap)},
    {"uid", K_UINT, F(uid)},        {"gid", K_UINT, F(gid)},
    {"pid", K_UINT, F(pid)},        {"caps", K_HEX, F(caps)},
    {"nnp", K_FLAG, F(nnp)},        {"tty", K_FLAG, F(tty)},
    {"stdin", K_FLAG, F(stdin_open)}, {"detach", K_FLAG, F(detach)},
    {"step", K_FLAG, F(step)},
    {"namespaces", K_NS, F(ns_flags)},
    {"bind", K_BIND, 0},            {"device", K_DEVICE, 0},
    {"group", K_GROUP, 0}, /* a supplementary gid, repeated for each */
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

static int parse_uint(const char *v, int base, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (!*v || *v == '-' || *v == '+') return -1;
    errno = 0;
    unsigned long long n = strtoull(v, &end, base);
    if (errno || *end || n > max) return -1;
    *out = n;
    return 0;
}

static int parse_ns(const char *v, int *flags)
{
    static const struct { const char *name; int flag; } ns[] = {
        {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
        {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP},
    };
    *flags = 0;
    while (*v) {
        size_t len = strcspn(v, ","), i;
        for (i = 0; i < sizeof ns / sizeof ns[0]; i++)
            if (strlen(ns[i].name) == len && !strncmp(v, ns[i].name, len)) break;
        if (i == sizeof ns / sizeof ns[0]) return -1;
        *flags |= ns[i].flag;
        v += len + (v[len] == ',');
    }
    return 0;
}

/* "SRC\nDST\nro|rw"; the value is split in place. */
static int parse_bind(char *v, struct bind *b)
{
    char *dst = strchr(v, '\n'), *mode;
    if (!dst) return -1;
    *dst++ = 0;
    if (!(mode = strchr(dst, '\n'))) return -1;
    *mode++ = 0;
    if (*v != '/' || *dst != '/') return -1;
    if (strcmp(mode, "ro") && strcmp(mode, "rw")) return -1;
    b->src = v;
    b->dst = dst;
    b->ro = mode[1] == 'o';
    return 0;
}

/* "c MAJOR MINOR MODE PATH" (or "b …"); MODE is octal. */
static int parse_device(char *v, struct device *d)
{
    char *field[5], *save = NULL;
    unsigned long long n[3];
    for (int i = 0; i < 5; i++)
        if (!(field[i] = strtok_r(i ? NULL : v, " ", &save))) return -1;
    if (strtok_r(NULL, " ", &save)) return -1;
    if (!strcmp(field[0], "c")) d->type = S_IFCHR;
    else if (!strcmp(field[0], "b")) d->type = S_IFBLK;
    else return -1;
    if (parse_uint(field[1], 10, 0xfffff, &n[0]) || parse_uint(field[2], 10, 0xfffff, &n[1]) ||
        parse_uint(field[3], 8, 07777, &n[2]) || field[4][0] != '/')
        return -1;
    d->major = (unsigned)n[0];
    d->minor = (unsigned)n[1];
    d->mode = (mode_t)n[2];
    d->path = field[4];
    return 0;
}

static int set_value(struct spec *s, size_t k, char *v, size_t *count)
{
    char *field = (char *)s + keys[k].off;
    unsigned long long n;
    switch (keys[k].kind) {
    case K_STR: *(const char **)field = *v ? v : NULL; return 0; /* "" = not given (e.g. no WORKDIR) */
    case K_LIST: (*(char ***)field)[count[k]++] = v; return 0;
    case K_FLAG:
        if (strcmp(v, "0") && strcmp(v, "1")) return -1;
        *(int *)field = v[0] == '1';
        return 0;
    case K_UINT:
        if (parse_uint(v, 10, 0xffffffffULL, &n)) return -1;
        *(unsigned *)field = (unsigned)n;
        return 0;
    case K_HEX:
        if (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2)) v += 2;
        if (parse_uint(v, 16, ~0ULL, &n)) return -1;
        *(uint64_t *)field = n;
        return 0;
    case K_NS: return parse_ns(v, (int *)field);
    case K_BIND: return parse_bind(v, &s->binds[s->nbinds++]);
    case K_DEVICE: return parse_device(v, &s->devices[s->ndevices++]);
    case K_GROUP:
        if (parse_uint(v, 10, 0x7fffffff, &n)) return -1;
        s->groups[s->ngroups++] = (gid_t)n;
        return 0;
    }
    return -1;
}

#define SPEC_MAX (16 << 20)

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    if (fd < 0) return NULL;
    if (fstat(fd, &st) < 0) goto out;
    if (st.st_size >= SPEC_MAX) {
        errno = EFBIG;
        goto out;
    }
    if (!(buf = malloc((size_t)st.st_size + 1))) goto out;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            free(buf);
            buf = NULL;
            goto out;
        }
        if (n == 0) break;
        got += (size_t)n;
    }
    *len = got;
out:;
    int saved = errno;
    close(fd);
    errno = saved;
    return buf;
}

/* Returns 0, or -1 with errno (EINVAL for any malformed content). */
int spec_load(const char *path, int mode, struct spec *s)
{
    size_t len, npairs = 0, count[NKEYS] = {0};
    char *buf = read_file(path, &len);
    if (!buf) return -1;
    if (!len || buf[len - 1]) goto invalid; /* every string must be terminated */
    for (size_t i = 0; i < len; i++) npairs += !buf[i];
    npairs /= 2;

    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->caps = DEFAULT_CAPS;
    /* Each list gets room for every pair: a few hundred bytes, one pass. */
    for (size_t k = 0; k < NKEYS; k++)
        if (keys[k].kind == K_LIST &&
            !(*(char ***)((char *)s + keys[k].off) = calloc(npairs + 1, sizeof(char *))))
            return -1;
    if (!(s->binds = calloc(npairs + 1, sizeof *s->binds)) ||
        !(s->devices = calloc(npairs + 1, sizeof *s->devices)) ||
        !(s->groups = calloc(npairs + 1, sizeof *s->groups)))
        return -1;

    for (char *p = buf, *end = buf + len; p < end;) {
        char *key = p, *val;
        p += strlen(p) + 1;
        if (p >= end) goto invalid; /* a key without a value */
        val = p;
        p += strlen(p) + 1;
        size_t k = 0;
        while (k < NKEYS && strcmp(keys[k].name, key)) k++;
        if (k == NKEYS || set_value(s, k, val, count)) goto invalid;
    }

    if (!s->args[0] || !s->args[0][0]) goto invalid;
    if (s->cwd && s->cwd[0] != '/') goto invalid;
    if (mode == MODE_RUN) {
        if (!s->rootfs || s->rootfs[0] != '/') goto invalid;
        if (!!s->upper != !!s->work) goto invalid;
        if (s->init && s->init[0] != '/') goto invalid;
        /* Mounts and pivot_root must never touch the host's mount table. */
        s->ns_flags |= CLONE_NEWNS;
    } else if (!s->pid) {
        goto invalid;
    }
    return 0;
invalid:
    errno = EINVAL;
    return -1;
}
