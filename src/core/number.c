/*
 * number.c -- the one parser of decimal integers (see include/mb_number.h),
 * apr_strtoi64 underneath.
 */
#include "mb_number.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <errno.h>

const char *mb_digits_parse(const char *s, apr_int64_t *out)
{
    char *end;
    apr_int64_t v;

    /* apr_strtoi64 itself would skip spaces and take a sign */
    if (s == NULL || !apr_isdigit(*s)) {
        return NULL;
    }
    v = apr_strtoi64(s, &end, 10); /* sets errno: 0, or ERANGE */
    if (errno == ERANGE) {
        return NULL;
    }
    *out = v;
    return end;
}

int mb_int_parse(const char *s, apr_int64_t lo, apr_int64_t hi,
                 apr_int64_t *out)
{
    apr_int64_t v;
    const char *end = mb_digits_parse(s, &v);

    if (end == NULL || *end != '\0' || v < lo || v > hi) {
        return -1;
    }
    *out = v;
    return 0;
}
