/*
 * query.c -- application/x-www-form-urlencoded parameter lookup.
 */
#include "mb_query.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode [s, s+len) into a new pool string; NULL on a bad escape or NUL. */
static const char *form_decode(apr_pool_t *p, const char *s, size_t len)
{
    char *out = apr_palloc(p, len + 1), *o = out;
    size_t i;

    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        }
        else if (c == '%') {
            int hi, lo;
            if (i + 2 >= len) {
                return NULL;
            }
            hi = hexval(s[i + 1]);
            lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0) {
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            if (c == '\0') {
                return NULL;
            }
            i += 2;
        }
        *o++ = c;
    }
    *o = '\0';
    return out;
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
