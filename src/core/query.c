/*
 * query.c -- application/x-www-form-urlencoded parameter lookup.
 */
#include "mb_query.h"

#include <apr_escape.h>
#include <apr_strings.h>
#include <string.h>

/* Decode [s, s+len) into a new pool string ('+' a space, %XX an octet);
 * NULL on a bad escape or a %00.  The value is copied first: with a
 * length, apr_unescape_url reads an escape past it and goes on. */
static const char *form_decode(apr_pool_t *p, const char *s, size_t len)
{
    return apr_punescape_url(p, apr_pstrmemdup(p, s, len), NULL, NULL, 1);
}

mb_query_e mb_query_get(apr_pool_t *p, const char *args, const char *name,
                        const char **value)
{
    size_t nlen = strlen(name);
    const char *s = args;

    while (s && *s) {
        const char *end = strchr(s, '&');
        const char *eq;
        size_t plen = end ? (size_t)(end - s) : strlen(s);

        eq = memchr(s, '=', plen);
        if ((eq ? (size_t)(eq - s) : plen) == nlen
            && memcmp(s, name, nlen) == 0) {
            const char *v = eq ? eq + 1 : s + plen;
            *value = form_decode(p, v, (size_t)(s + plen - v));
            return *value ? MB_QUERY_OK : MB_QUERY_BAD;
        }
        s = end ? end + 1 : NULL;
    }
    return MB_QUERY_ABSENT;
}
