/*
 * validate.c -- checks of the API's parameters.
 */
#include "mb_validate.h"
#include "mb_number.h"

#include <string.h>

int mb_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        unsigned long cp;
        size_t n, k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        }
        else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        }
        else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        }
        else {
            return 0; /* continuation byte, C0, C1, F5+ */
        }
        if (i + n >= len) { /* truncated sequence */
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

const char *mb_stream_name_check(const char *name)
{
    size_t n = strlen(name), i;

    if (n > MB_NAME_MAX) {
        return "'name' is longer than 255 bytes";
    }
    if (!mb_utf8_valid(name, n)) {
        return "'name' is not valid UTF-8";
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f) {
            return "'name' contains a control character";
        }
    }
    return NULL;
}

const char *mb_stream_type_check(const char *type)
{
    if (type == NULL || strcmp(type, "hls") == 0) {
        return NULL;
    }
    return "'type' must be 'hls'";
}

int mb_limit_parse(const char *s, int *out)
{
    apr_int64_t v;

    if (mb_int_parse(s, 1, MB_LIST_MAX, &v)) {
        return -1;
    }
    *out = (int)v;
    return 0;
}

int mb_seconds_parse(const char *s, int max, int *out)
{
    apr_int64_t v;

    if (mb_int_parse(s, 1, max, &v)) {
        return -1;
    }
    *out = (int)v;
    return 0;
}
