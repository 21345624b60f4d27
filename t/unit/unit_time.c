/* Unit tests of the date formats (src/core/timefmt.c). */
#include "mb_time.h"
#include "tap.h"

#include <apr_general.h>
#include <string.h>

static void fmt(apr_time_t t, const char *want)
{
    char d[MB_DATE_LEN + 1];
    mb_time_format(t, d);
    ok(!strcmp(d, want), "%" APR_TIME_T_FMT " -> '%s' (got '%s')", t, want, d);
}

static void iso(const char *s, int want_rc, apr_time_t want)
{
    apr_time_t t = 0;
    int rc = mb_time_parse_iso8601(s, &t);
    ok(rc == want_rc && (rc != 0 || t == want), "parse '%s' -> %d %" APR_TIME_T_FMT
       " (got %d %" APR_TIME_T_FMT ")", s ? s : "(null)", want_rc, want, rc, t);
}

int main(void)
{
    apr_initialize();
    fmt(0, "1970-01-01 00:00:00");
    fmt(apr_time_from_sec(1700000000), "2023-11-14 22:13:20");
    fmt(apr_time_from_sec(1700000000) + 999999, "2023-11-14 22:13:20");
    fmt(apr_time_from_sec(951782400), "2000-02-29 00:00:00");
    fmt(apr_time_from_sec(4102444799LL), "2099-12-31 23:59:59");
    {
        apr_pool_t *p;
        apr_pool_create(&p, NULL);
        ok(!strcmp(mb_time_pformat(p, apr_time_from_sec(1700000000)),
                   "2023-11-14 22:13:20"),
           "pool form: the same format");
        apr_pool_destroy(p);
    }

    iso("2023-11-14T22:13:20Z", 0, apr_time_from_sec(1700000000));
    iso("2023-11-14T22:13:20.966362713Z", 0, apr_time_from_sec(1700000000));
    iso("2023-11-14T22:13:20+00:00", 0, apr_time_from_sec(1700000000));
    iso("2023-11-14 22:13:20Z", -1, 0);
    iso("2023-11-14T22:13:20", -1, 0);
    iso("2023-11-14T22:13:20+02:00", -1, 0);
    iso("2023-13-14T22:13:20Z", -1, 0);
    iso("2023-11-14T24:13:20Z", -1, 0);
    iso("2023-11-14T22:13:20.Z", -1, 0);
    iso("", -1, 0);
    iso(NULL, -1, 0);
    apr_terminate();
    return done_testing();
}
