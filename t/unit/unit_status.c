/* Unit tests of the status page's parameters and times
 * (src/core/status_params.c, src/core/sqltime.c). */
#include "mb_sqltime.h"
#include "mb_status_params.h"
#include "tap.h"

#include <apr_strings.h>

#include <string.h>

static void bad(apr_pool_t *p, const char *args, const char *which)
{
    mb_status_params sp;
    const char *err = mb_status_params_parse(p, args, &sp);
    ok(err != NULL && strstr(err, which) != NULL,
       "'%s' refused naming %s (got '%s')", args, which, err ? err : "OK");
}

static void dur(apr_pool_t *p, long long sec, const char *want)
{
    const char *got = mb_duration_format(p, apr_time_from_sec(sec));
    ok(strcmp(got, want) == 0, "duration %lld -> %s (got %s)", sec, want, got);
}

int main(void)
{
    apr_pool_t *p;
    mb_status_params sp;
    const char *err;
    char longv[5000];

    apr_initialize();
    apr_pool_create(&p, NULL);

    err = mb_status_params_parse(p, NULL, &sp);
    ok(err == NULL && !sp.json && sp.page == 1 && sp.per_page == 50
       && sp.period == 1440 && sp.chart == 60 && sp.live == 5 && !sp.path
       && !sp.user && !sp.stream && !sp.token_id, "defaults");
    ok(strcmp(mb_status_params_query(p, &sp), "") == 0, "defaults: no query");

    err = mb_status_params_parse(p, "format=json&path=movies%2Fa.mp4&user=alice"
                                 "&stream=6f1c-2a_b.c&page=3&per_page=20"
                                 "&period=60&chart=30&live=2&other=x", &sp);
    ok(err == NULL && sp.json && !strcmp(sp.path, "movies/a.mp4")
       && !strcmp(sp.user, "alice") && !strcmp(sp.stream, "6f1c-2a_b.c")
       && sp.page == 3 && sp.per_page == 20 && sp.period == 60
       && sp.chart == 30 && sp.live == 2, "all parameters read");
    ok(!strcmp(mb_status_params_query(p, &sp),
               "?format=json&path=movies%2Fa.mp4&user=alice&stream=6f1c-2a_b.c"
               "&period=60&chart=30&live=2&per_page=20&page=3"),
       "query reproduces them (got %s)", mb_status_params_query(p, &sp));

    err = mb_status_params_parse(p, "format=html&path=&user=&page=", &sp);
    ok(err == NULL && !sp.json && !sp.path && !sp.user && sp.page == 1,
       "empty values mean no filter / default");
    err = mb_status_params_parse(p, "path=a%20b%26c%3Cd", &sp);
    ok(err == NULL && !strcmp(sp.path, "a b&c<d")
       && !strcmp(mb_status_params_query(p, &sp), "?path=a%20b%26c%3Cd"),
       "special characters round-trip");
    err = mb_status_params_parse(p, "page=100000&per_page=500&period=527040"
                                 "&chart=1440&live=1440", &sp);
    ok(err == NULL && sp.page == 100000 && sp.per_page == 500, "upper bounds");
    err = mb_status_params_parse(p, "per_page=1&chart=5&live=1&period=1", &sp);
    ok(err == NULL && sp.per_page == 1 && sp.chart == 5, "lower bounds");

    bad(p, "format=xml", "format");
    bad(p, "format=%zz", "format");
    bad(p, "page=0", "page");
    bad(p, "page=-1", "page");
    bad(p, "page=1e3", "page");
    bad(p, "page=100001", "page");
    bad(p, "page=99999999999999999999", "page");
    bad(p, "page=+5", "page");
    bad(p, "page=%201", "page");
    bad(p, "page=0000000005", "page"); /* more than 9 digits, as before */
    err = mb_status_params_parse(p, "page=000000005", &sp);
    ok(err == NULL && sp.page == 5, "9 digits with leading zeros: 5");
    bad(p, "per_page=501", "per_page");
    bad(p, "per_page=0", "per_page");
    bad(p, "period=527041", "period");
    bad(p, "chart=4", "chart");
    bad(p, "chart=1441", "chart");
    bad(p, "live=0", "live");
    bad(p, "path=a%00b", "path");
    bad(p, "path=a%0Ab", "path");
    bad(p, "path=%", "path");
    bad(p, "user=x%7Fy", "user");
    bad(p, "stream=a%20b", "stream");
    bad(p, "stream=a'b", "stream");
    bad(p, "stream=%3Cscript%3E", "stream");
    memset(longv, 'a', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    bad(p, apr_pstrcat(p, "path=", longv, NULL), "path");
    bad(p, apr_pstrcat(p, "user=", longv + 4700, NULL), "user");
    bad(p, apr_pstrcat(p, "stream=", longv + 4900, NULL), "stream");
    err = mb_status_params_parse(p, apr_pstrcat(p, "path=", longv + 904, NULL),
                                 &sp);
    ok(err == NULL && strlen(sp.path) == 4095, "a 4095-byte path is fine");

    /* a viewer link's token id: 32 lowercase hex digits */
    err = mb_status_params_parse(p, "token_id=0123456789abcdef0123456789abcdef"
                                 "&user=bob", &sp);
    ok(err == NULL && sp.token_id
       && !strcmp(sp.token_id, "0123456789abcdef0123456789abcdef"),
       "token_id read");
    ok(!strcmp(mb_status_params_query(p, &sp),
               "?user=bob&token_id=0123456789abcdef0123456789abcdef"),
       "query reproduces token_id (got %s)", mb_status_params_query(p, &sp));
    err = mb_status_params_parse(p, "token_id=", &sp);
    ok(err == NULL && !sp.token_id, "token_id empty: no filter");
    bad(p, "token_id=0123456789abcdef0123456789abcde", "token_id");
    bad(p, "token_id=0123456789abcdef0123456789abcdef0", "token_id");
    bad(p, "token_id=0123456789ABCDEF0123456789ABCDEF", "token_id");
    bad(p, "token_id=0123456789abcdef0123456789abcdeg", "token_id");
    bad(p, "token_id=%", "token_id");


    dur(p, -5, "0s");
    dur(p, 0, "0s");
    dur(p, 45, "45s");
    dur(p, 185, "3m 05s");
    dur(p, 7620, "2h 07m");
    dur(p, 273600, "3d 04h");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
