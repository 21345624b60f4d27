/*
 * status_params.c -- query parameters of the status page (see
 * include/mb_status_params.h).
 */
#include "mb_status_params.h"
#include "mb_html.h"
#include "mb_query.h"
#include "mb_number.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <stddef.h>
#include <string.h>

#define DEF_PER_PAGE 50
#define DEF_PERIOD   1440
#define DEF_CHART    60
#define DEF_LIVE     5

void mb_status_params_init(mb_status_params *sp)
{
    memset(sp, 0, sizeof(*sp));
    sp->page = 1;
    sp->per_page = DEF_PER_PAGE;
    sp->period = DEF_PERIOD;
    sp->chart = DEF_CHART;
    sp->live = DEF_LIVE;
}

/* A decimal number in [lo, hi]: digits only, no sign, at most 9 of them
 * (leading zeros count). */
static int parse_int(const char *v, int lo, int hi, int *out)
{
    apr_int64_t n;

    if (strlen(v) > 9 || mb_int_parse(v, lo, hi, &n)) {
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* A filter value: at most `max` bytes, no control characters; with
 * `ident`, only letters, digits, '-', '_' and '.'.  "" means no filter. */
static int parse_filter(const char *v, size_t max, int ident,
                        const char **out)
{
    const unsigned char *c;

    if (strlen(v) > max) {
        return -1;
    }
    for (c = (const unsigned char *)v; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return -1;
        }
        if (ident && !((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
                       || (*c >= '0' && *c <= '9') || *c == '-'
                       || *c == '_' || *c == '.')) {
            return -1;
        }
    }
    *out = *v ? v : NULL;
    return 0;
}

const char *mb_status_params_parse(apr_pool_t *p, const char *args,
                                   mb_status_params *sp)
{
    static const struct {
        const char *name;
        int lo, hi;
        size_t off;
    } ints[] = {
        { "page", 1, 100000, offsetof(mb_status_params, page) },
        { "per_page", 1, 500, offsetof(mb_status_params, per_page) },
        { "period", 1, 527040, offsetof(mb_status_params, period) },
        { "chart", 5, 1440, offsetof(mb_status_params, chart) },
        { "live", 1, 1440, offsetof(mb_status_params, live) },
    };
    static const struct {
        const char *name;
        size_t max;
        int ident;
        size_t off;
    } filters[] = {
        { "path", MB_STATUS_MAX_PATH, 0,
          offsetof(mb_status_params, path) },
        { "user", MB_STATUS_MAX_USER, 0,
          offsetof(mb_status_params, user) },
        { "stream", MB_STATUS_MAX_STREAM, 1,
          offsetof(mb_status_params, stream) },
    };
    const char *v;
    size_t i;
    mb_query_e k;

    mb_status_params_init(sp);
    switch (mb_query_get(p, args, "format", &v)) {
    case MB_QUERY_BAD:
        return "malformed 'format'";
    case MB_QUERY_OK:
        if (!strcmp(v, "json")) {
            sp->json = 1;
        }
        else if (strcmp(v, "html") && *v) {
            return "'format' must be html or json";
        }
        break;
    case MB_QUERY_ABSENT:
        break;
    }
    for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        mb_query_e k = mb_query_get(p, args, ints[i].name, &v);

        if (k == MB_QUERY_ABSENT || (k == MB_QUERY_OK && *v == '\0')) {
            continue;
        }
        if (k == MB_QUERY_BAD
            || parse_int(v, ints[i].lo, ints[i].hi,
                         (int *)((char *)sp + ints[i].off)) != 0) {
            return apr_psprintf(p, "'%s' must be a number from %d to %d",
                                ints[i].name, ints[i].lo, ints[i].hi);
        }
    }
    for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
        mb_query_e k = mb_query_get(p, args, filters[i].name, &v);

        if (k == MB_QUERY_ABSENT) {
            continue;
        }
        if (k == MB_QUERY_BAD
            || parse_filter(v, filters[i].max, filters[i].ident,
                            (const char **)((char *)sp + filters[i].off))
                   != 0) {
            return apr_psprintf(p, "malformed '%s' filter", filters[i].name);
        }
    }
    /* a viewer link's token id: 32 lowercase hex digits, or empty */
    k = mb_query_get(p, args, "token_id", &v);
    if (k == MB_QUERY_BAD
        || (k == MB_QUERY_OK && *v
            && (strlen(v) != MB_STATUS_TOKEN_ID
                || strspn(v, "0123456789abcdef") != MB_STATUS_TOKEN_ID))) {
        return "malformed 'token_id' filter (32 hex digits)";
    }
    if (k == MB_QUERY_OK && *v) {
        sp->token_id = v;
    }
    return NULL;
}

const char *mb_status_params_query(apr_pool_t *p, const mb_status_params *sp)
{
    apr_array_header_t *a = apr_array_make(p, 8, sizeof(const char *));

#define ADD(s) (*(const char **)apr_array_push(a) = (s))
    if (sp->json) {
        ADD("format=json");
    }
    if (sp->path) {
        ADD(apr_pstrcat(p, "path=", mb_url_escape(p, sp->path), NULL));
    }
    if (sp->user) {
        ADD(apr_pstrcat(p, "user=", mb_url_escape(p, sp->user), NULL));
    }
    if (sp->stream) {
        ADD(apr_pstrcat(p, "stream=", mb_url_escape(p, sp->stream), NULL));
    }
    if (sp->token_id) {
        ADD(apr_pstrcat(p, "token_id=", sp->token_id, NULL));   /* hex */
    }
    if (sp->period != DEF_PERIOD) {
        ADD(apr_psprintf(p, "period=%d", sp->period));
    }
    if (sp->chart != DEF_CHART) {
        ADD(apr_psprintf(p, "chart=%d", sp->chart));
    }
    if (sp->live != DEF_LIVE) {
        ADD(apr_psprintf(p, "live=%d", sp->live));
    }
    if (sp->per_page != DEF_PER_PAGE) {
        ADD(apr_psprintf(p, "per_page=%d", sp->per_page));
    }
    if (sp->page != 1) {
        ADD(apr_psprintf(p, "page=%d", sp->page));
    }
#undef ADD
    if (a->nelts == 0) {
        return "";
    }
    return apr_pstrcat(p, "?", apr_array_pstrcat(p, a, '&'), NULL);
}
