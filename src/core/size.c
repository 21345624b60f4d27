/*
 * size.c -- sizes written with an optional K, M or G suffix.
 */
#include "mb_size.h"

#include <stddef.h>

int mb_size_parse(const char *s, int64_t *out)
{
    uint64_t v = 0, mult = 1;

    if (s == NULL || *s < '0' || *s > '9') {
        return -1;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > (uint64_t)INT64_MAX) {
            return -1;
        }
    }
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
