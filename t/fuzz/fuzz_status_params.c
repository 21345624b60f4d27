/*
 * libFuzzer target: the query string of the status page
 * (mb_status_params_parse, src/core/status_params.c): what is accepted lies in
 * the documented bounds, and the page's own links (mb_status_params_query)
 * parse back to the same filters.
 */
#include "fuzz.h"
#include "mb_status_params.h"

static int same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && !strcmp(a, b));
}

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    const char *args = apr_pstrmemdup(p, (const char *)data, len);
    mb_status_params sp, back;
    const char *q;

    mb_status_params_init(&sp);
    if (mb_status_params_parse(p, args, &sp) != NULL) {
        return 0;
    }
    check(sp.page >= 1 && sp.page <= 100000);
    check(sp.per_page >= 1 && sp.per_page <= 500);
    check(sp.period >= 1 && sp.period <= 527040);
    check(sp.chart >= 5 && sp.chart <= 1440);
    check(sp.live >= 1 && sp.live <= 1440);
    check(!sp.path || strlen(sp.path) <= MB_STATUS_MAX_PATH);
    check(!sp.user || strlen(sp.user) <= MB_STATUS_MAX_USER);
    check(!sp.stream || strlen(sp.stream) <= MB_STATUS_MAX_STREAM);

    q = mb_status_params_query(p, &sp);
    check(q != NULL && (q[0] == '\0' || q[0] == '?'));
    mb_status_params_init(&back);
    check(mb_status_params_parse(p, q[0] ? q + 1 : NULL, &back) == NULL);
    check(same(sp.path, back.path) && same(sp.user, back.user) &&
          same(sp.stream, back.stream));
    check(sp.json == back.json && sp.page == back.page &&
          sp.per_page == back.per_page && sp.period == back.period &&
          sp.chart == back.chart && sp.live == back.live);
    return 0;
}
