/*
 * path.c -- confinement of client-named files to a root directory.
 */
#include "mb_path.h"

#include <apr_strings.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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
