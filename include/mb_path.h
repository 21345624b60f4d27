/*
 * mb_path.h -- confinement of client-named files to a root directory.
 * httpd-independent (APR and libc only).
 */
#ifndef MB_PATH_H
#define MB_PATH_H

#include <apr_pools.h>

typedef enum {
    MB_PATH_OK = 0,
    MB_PATH_BAD,        /* malformed name: 400                         */
    MB_PATH_OUTSIDE,    /* resolves outside the root (symlink): 403    */
    MB_PATH_NOTFOUND    /* does not exist, or cannot be resolved: 404  */
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

/* Canonical form of `path` (realpath(3)) in pool memory, or NULL. */
const char *mb_path_realpath(apr_pool_t *p, const char *path);

#endif /* MB_PATH_H */
