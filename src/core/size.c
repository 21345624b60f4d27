/*
 * size.c -- sizes written with an optional K, M or G suffix.
 */
#include "mb_size.h"
#include "mb_number.h"

#include <stddef.h>

int mb_size_parse(const char *s, int64_t *out)
{
    apr_int64_t n;
    uint64_t v, mult = 1;

    if ((s = mb_digits_parse(s, &n)) == NULL) {
        return -1;
    }
    v = (uint64_t)n;
    switch (*s) {
    case '\0':           break;
    case 'k': case 'K':  mult = 1024; s++; break;
    case 'm': case 'M':  mult = 1024 * 1024; s++; break;
    case 'g': case 'G':  mult = 1024 * 1024 * 1024; s++; break;
    default:             return -1;
    }
    if (*s != '\0' || (v != 0 && (uint64_t)INT64_MAX / v < mult)) {
        return -1;
    }
    *out = (int64_t)(v * mult);
    return 0;
}
