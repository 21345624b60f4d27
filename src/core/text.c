/*
 * text.c -- UTF-8 clean-up of logged values (see include/mb_text.h).
 */
#include "mb_text.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static apr_size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];

    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    }
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80
            || (c == 0xe0 && s[1] < 0xa0)       /* overlong  */
            || (c == 0xed && s[1] > 0x9f)) {    /* surrogate */
            return 0;
        }
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80
            || (s[3] & 0xc0) != 0x80
            || (c == 0xf0 && s[1] < 0x90)       /* overlong      */
            || (c == 0xf4 && s[1] > 0x8f)) {    /* above 10FFFF  */
            return 0;
        }
        return 4;
    }
    return 0;
}

const char *mb_text_clean(apr_pool_t *p, const char *s, apr_size_t max)
{
    const unsigned char *c;
    char *out, *o;
    apr_size_t n, used = 0;

    if (s == NULL) {
        return NULL;
    }
    n = strlen(s);
    o = out = apr_palloc(p, (n < max ? n : max) + 1);
    for (c = (const unsigned char *)s; *c; c += n) {
        n = utf8_len(c);
        if (n == 0 || (n == 1 && (*c < 0x20 || *c == 0x7f))) {
            n = 1;
            if (used + 1 > max) {
                break;
            }
            *o++ = '?';
            used++;
            continue;
        }
        if (used + n > max) {
            break;
        }
        memcpy(o, c, n);
        o += n;
        used += n;
    }
    *o = '\0';
    return out;
}
