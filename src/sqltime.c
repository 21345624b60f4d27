/*
 * sqltime.c -- parsing and showing times (see include/mb_sqltime.h).
 */
#include "mb_sqltime.h"

#include <apr_strings.h>
#include <string.h>

/* `n` digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int mb_sqltime_parse(const char *s, apr_time_t *t)
{
    apr_time_exp_t tm = { 0 };
    int y, mo, d, h, mi, sec, off = 0;
    apr_time_t r;

    if (s == NULL || strlen(s) < 19 || s[4] != '-' || s[7] != '-'
        || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') {
        return -1;
    }
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    h = digits(s + 11, 2);
    mi = digits(s + 14, 2);
    sec = digits(s + 17, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23
        || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
        return -1;
    }
    s += 19;
    if (*s == '.') {                      /* fractional seconds: ignored */
        s++;
        if (*s < '0' || *s > '9') {
            return -1;
        }
        while (*s >= '0' && *s <= '9') {
            s++;
        }
    }
    if (*s == 'Z' && s[1] == '\0') {
        s++;
    }
    else if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1, oh, om = 0;

        oh = digits(s + 1, 2);
        if (oh < 0 || oh > 23) {
            return -1;
        }
        s += 3;
        if (*s == ':') {
            s++;
        }
        if (*s) {
            om = digits(s, 2);
            if (om < 0 || om > 59 || s[2] != '\0') {
                return -1;
            }
            s += 2;
        }
        off = sign * (oh * 3600 + om * 60);
    }
    if (*s != '\0') {
        return -1;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    if (apr_time_exp_gmt_get(&r, &tm) != APR_SUCCESS) {
        return -1;
    }
    *t = r - apr_time_from_sec(off);
    return 0;
}

const char *mb_sqltime_format(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%04d-%02d-%02d %02d:%02d:%02d",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

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
