/*
 * path.c -- confinement of client-named files to a root directory.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* O_PATH, syscall(2) */
#endif
#include "mb_path.h"

#include <apr_strings.h>
#include <apr_portable.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MB_PATH_MAX_NAME 4096

mb_path_e mb_path_check_relative(const char *name)
{
    const char *seg = name;
    size_t len = 0;

    if (name == NULL || *name == '\0' || *name == '/') {
        return MB_PATH_BAD;
    }
    for (;; name++, len++) {
        unsigned char c = (unsigned char)*name;

        if (len > MB_PATH_MAX_NAME) {
            return MB_PATH_BAD;
        }
        if (c == '/' || c == '\0') {
            size_t n = (size_t)(name - seg);
            if (n == 0 || (n == 1 && seg[0] == '.')
                || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
                return MB_PATH_BAD;
            }
            if (c == '\0') {
                return MB_PATH_OK;
            }
            seg = name + 1;
        }
        else if (c < 0x20 || c == 0x7f || c == '\\' || c == '%') {
            return MB_PATH_BAD;
        }
    }
}

const char *mb_path_realpath(apr_pool_t *p, const char *path)
{
    char buf[PATH_MAX];

    if (realpath(path, buf) == NULL) {
        return NULL;
    }
    return apr_pstrdup(p, buf);
}

mb_path_e mb_path_confine(apr_pool_t *p, const char *root_real,
                          const char *path, const char **resolved)
{
    char buf[PATH_MAX];
    size_t rlen = strlen(root_real);

    if (realpath(path, buf) == NULL) {
        return MB_PATH_NOTFOUND;    /* ENOENT, ENOTDIR, ELOOP, EACCES... */
    }
    /* "/" as root: everything is below it */
    if (!(rlen == 1 && root_real[0] == '/')) {
        if (strncmp(buf, root_real, rlen) != 0
            || (buf[rlen] != '/' && buf[rlen] != '\0')) {
            return MB_PATH_OUTSIDE;
        }
    }
    *resolved = apr_pstrdup(p, buf);
    return MB_PATH_OK;
}

/* glibc 2.36 has no wrapper for openat2(2): the system call itself. */
static int open_how(int dirfd, const char *path, int flags,
                    unsigned long long resolve)
{
    struct open_how how;

    memset(&how, 0, sizeof(how));
    how.flags = (unsigned long long)flags;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static apr_status_t close_fd(void *data)
{
    return apr_file_close(data);
}

/* The error of a failed open, as a confinement answer. */
static mb_path_e open_failed(int err, apr_status_t *os_error)
{
    switch (err) {
    case ENOENT:        /* gone, or renamed away since the check        */
    case ENOTDIR:
    case ELOOP:         /* a symlink where the check found none          */
    case EXDEV:         /* moved out from under the root                 */
    case EAGAIN:        /* a rename raced the lookup                     */
        return MB_PATH_NOTFOUND;
    default:            /* EACCES, EMFILE, ENOSYS, ...                   */
        if (os_error) {
            *os_error = APR_FROM_OS_ERROR(err);
        }
        return MB_PATH_ERROR;
    }
}

/* Whether `path` lies lexically below `root_real`: the root, then one or
 * more segments, none of them empty, "." or "..".  Returns the part
 * below the root, or NULL. */
static const char *lexically_below(const char *root_real, const char *path)
{
    size_t rlen = strlen(root_real);
    const char *rel, *seg;

    if (rlen == 1 && root_real[0] == '/') {
        rlen = 0;
    }
    if (strncmp(path, root_real, rlen) != 0 || path[rlen] != '/') {
        return NULL;
    }
    rel = path + rlen + 1;
    for (seg = rel;; ) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);

        if (n == 0 || (n == 1 && seg[0] == '.')
            || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            return NULL;
        }
        if (end == NULL) {
            return rel;
        }
        seg = end + 1;
    }
}

/* The descriptor of an open, set blocking, wrapped and closed by `p`. */
static void wrap_fd(apr_pool_t *p, int fd, apr_int32_t flags,
                    apr_file_t **file)
{
    apr_os_file_t osf = fd;

    /* of the status flags F_SETFL changes, our own open set only
     * O_NONBLOCK: clearing them all clears it, in one call */
    fcntl(fd, F_SETFL, 0);
    apr_os_file_put(file, &osf, flags, p);
    /* apr_os_file_put leaves closing to the caller: the pool does it */
    apr_pool_cleanup_register(p, *file, close_fd, apr_pool_cleanup_null);
}

#define OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

mb_path_e mb_path_open(apr_pool_t *p, const char *root_real,
                       const char *path, apr_int32_t flags,
                       const char **resolved, apr_file_t **file,
                       apr_status_t *os_error)
{
    const char *real = NULL, *rel;
    size_t rlen = strlen(root_real);
    mb_path_e pe;
    int rootfd, fd, err;

    /* The common case in one system call: a path below the root with no
     * symlink anywhere on it (the root is canonical) is its own canonical
     * form and confined; RESOLVE_NO_SYMLINKS proves both as the kernel
     * walks it.  Missing is missing either way; on any other failure (a
     * symlink on the way: ELOOP) the path takes the resolving way below,
     * which gives the answer it always gave. */
    if (lexically_below(root_real, path) != NULL) {
        fd = open_how(AT_FDCWD, path, OPEN_FLAGS,
                      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd >= 0) {
            wrap_fd(p, fd, flags, file);
            *resolved = path;
            return MB_PATH_OK;
        }
        if (errno == ENOENT || errno == ENOTDIR) {
            return MB_PATH_NOTFOUND;
        }
    }

    pe = mb_path_confine(p, root_real, path, &real);
    if (pe != MB_PATH_OK) {
        return pe;
    }
    rootfd = open_how(AT_FDCWD, root_real, O_PATH | O_DIRECTORY | O_CLOEXEC,
                      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (rootfd < 0) {
        return open_failed(errno, os_error);
    }
    rel = real + ((rlen == 1 && root_real[0] == '/') ? 0 : rlen);
    while (*rel == '/') {
        rel++;
    }
    fd = open_how(rootfd, *rel ? rel : ".", OPEN_FLAGS,
                  RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
                  | RESOLVE_NO_MAGICLINKS);
    err = errno;
    close(rootfd);
    if (fd < 0) {
        return open_failed(err, os_error);
    }
    wrap_fd(p, fd, flags, file);
    *resolved = real;
    return MB_PATH_OK;
}
