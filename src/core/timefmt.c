/*
 * timefmt.c -- the API's date format and STS's ISO 8601 expirations.
 */
#include "mb_time.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

void mb_time_format(apr_time_t t, char *out)
{
    apr_time_exp_t x;

    apr_time_exp_gmt(&x, t);
    apr_snprintf(out, MB_DATE_LEN + 1, "%04d-%02d-%02d %02d:%02d:%02d",
                 x.tm_year + 1900, x.tm_mon + 1, x.tm_mday, x.tm_hour, x.tm_min,
                 x.tm_sec);
}

const char *mb_time_pformat(apr_pool_t *p, apr_time_t t)
{
    char *out = apr_palloc(p, MB_DATE_LEN + 1);

    mb_time_format(t, out);
    return out;
}

/* n digits at *s into *v; advances *s. */
static int digits(const char **s, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!apr_isdigit((*s)[i])) {
            return -1;
        }
        *v = *v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    return 0;
}

int mb_time_parse_iso8601(const char *s, apr_time_t *t)
{
    apr_time_exp_t x;
    int y, mo, d, h, mi, sec;

    if (s == NULL) {
        return -1;
    }
    memset(&x, 0, sizeof(x));
    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
        digits(&s, 2, &d) || *s++ != 'T' || digits(&s, 2, &h) || *s++ != ':' ||
        digits(&s, 2, &mi) || *s++ != ':' || digits(&s, 2, &sec)) {
        return -1;
    }
    if (*s == '.') {
        s++;
        if (!apr_isdigit(*s)) {
            return -1;
        }
        while (apr_isdigit(*s)) {
            s++;
        }
    }
    if (strcmp(s, "Z") != 0 && strcmp(s, "+00:00") != 0) {
        return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
        return -1;
    }
    x.tm_year = y - 1900;
    x.tm_mon = mo - 1;
    x.tm_mday = d;
    x.tm_hour = h;
    x.tm_min = mi;
    x.tm_sec = sec;
    return apr_time_exp_gmt_get(t, &x) == APR_SUCCESS ? 0 : -1;
}
