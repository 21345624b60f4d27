/*
 * sqltime.c -- durations for people (see include/mb_sqltime.h).
 */
#include "mb_sqltime.h"

#include <apr_strings.h>
#include <string.h>

const char *mb_duration_format(apr_pool_t *p, apr_interval_time_t d)
{
    apr_int64_t s = d > 0 ? (apr_int64_t)apr_time_sec(d) : 0;

    if (s < 60) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT "s", s);
    }
    if (s < 3600) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT "m %02" APR_INT64_T_FMT
                            "s", s / 60, s % 60);
    }
    if (s < 86400) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT "h %02" APR_INT64_T_FMT
                            "m", s / 3600, (s / 60) % 60);
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT "d %02" APR_INT64_T_FMT "h",
                        s / 86400, (s / 3600) % 24);
}
