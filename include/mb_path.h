/*
 * mb_path.h -- confinement of client-named files to a root directory.
 * httpd-independent (APR and libc only).
 */
#ifndef MB_PATH_H
#define MB_PATH_H

#include <apr_pools.h>
#include <apr_file_io.h>

typedef enum {
    MB_PATH_OK = 0,
    MB_PATH_BAD,        /* malformed name: 400                         */
    MB_PATH_OUTSIDE,    /* resolves outside the root (symlink): 403    */
    MB_PATH_NOTFOUND,   /* does not exist, or cannot be resolved: 404  */
    MB_PATH_ERROR       /* exists, but the system refused to open it   */
} mb_path_e;

/*
 * Check a client-supplied relative name before it touches the file
 * system: non-empty, not absolute, no "." or ".." or empty segment, no
 * backslash, no control character, no '%' left after decoding (a doubly
 * encoded name), at most 4096 bytes.
 */
mb_path_e mb_path_check_relative(const char *name);

/*
 * Resolve `path` (symlinks followed) and accept it only if the result is
 * `root_real` itself or lies below it.  `root_real` must already be a
 * canonical path (see mb_path_realpath).  On MB_PATH_OK, *resolved is the
 * canonical path, allocated from p.
 */
mb_path_e mb_path_confine(apr_pool_t *p, const char *root_real,
                          const char *path, const char **resolved);

/*
 * Open `path` for reading, confined to `root_real` (canonical), and hand
 * back the descriptor of exactly the file that was checked.  The path is
 * resolved (symlinks followed) and checked as by mb_path_confine; then the
 * canonical result is opened from a descriptor of the root with openat2(2)
 * and RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS (the
 * root itself with RESOLVE_NO_SYMLINKS).  A canonical path has no symlink
 * in it, so if anything on the way was swapped for a symlink (or a
 * directory moved) between the check and the open, the open fails instead
 * of following it: what is opened lies below the root, at the path that
 * was checked.  Symlinks that stay inside the root keep working (their
 * target is what is checked and opened).
 *
 * A path that lies lexically below the root (no ".", ".." or empty
 * segment) is first opened as it is, in one openat2(2) with
 * RESOLVE_NO_SYMLINKS: when that succeeds there is no symlink anywhere on
 * it, so it is canonical and confined, and *resolved is `path` itself
 * (no realpath walk, no root descriptor).  ENOENT or ENOTDIR there is
 * MB_PATH_NOTFOUND; any other failure (ELOOP: a symlink) takes the
 * resolving way above.
 *
 * The descriptor is opened without blocking (a fifo does not hang the
 * caller), then set blocking; it is wrapped with apr_os_file_put (`flags`:
 * APR_FOPEN_READ and the like, e.g. APR_FOPEN_SENDFILE_ENABLED) and closed
 * by a cleanup of `p`.  On MB_PATH_OK, *resolved is the canonical path and
 * *file the open file (any type: the caller checks it with
 * apr_file_info_get).  MB_PATH_ERROR: errno-style reason in *os_error
 * (EACCES, EMFILE, ENOSYS on a kernel before 5.6...).
 */
mb_path_e mb_path_open(apr_pool_t *p, const char *root_real,
                       const char *path, apr_int32_t flags,
                       const char **resolved, apr_file_t **file,
                       apr_status_t *os_error);

/* Canonical form of `path` (realpath(3)) in pool memory, or NULL. */
const char *mb_path_realpath(apr_pool_t *p, const char *path);

#endif /* MB_PATH_H */
