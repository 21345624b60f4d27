/*
 * status/queries.c -- the status page's SQL: its reads of the watch log
 * (prepared for every server that uses BroadcastWatchLog), run for one
 * request into the page's data (src/status/data.h).  The live streams come
 * from the stream table's owner, src/db/streams.c.
 *
 * Read-only.  Times are microseconds since 1970 (UTC) in a 64-bit integer,
 * so that minutes and periods are integer arithmetic in SQLite and
 * PostgreSQL alike.
 */
#include "status/status.h"
#include "status/data.h"
#include "db/streams.h"

#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

#define MB_SQL_WATCH_TOTALS   "mb_watch_totals"
#define MB_SQL_WATCH_TOP      "mb_watch_top"
#define MB_SQL_WATCH_CHART    "mb_watch_chart"
#define MB_SQL_WATCH_RECENT   "mb_watch_recent"
#define MB_SQL_WATCH_VIEWERS  "mb_watch_viewers"

#define VIEWER "COALESCE('u:' || user_name, 'a:' || client_ip)"
#define FILTERS                                                           \
    "(%s IS NULL OR path = %s) AND (%s IS NULL OR user_name = %s) "      \
    "AND (%s IS NULL OR stream_id = %s) "                                \
    "AND (%s IS NULL OR token_id = %s)"

static const mb_dbd_stmt status_stmts[] = {
    { MB_SQL_WATCH_TOTALS,
      "SELECT COUNT(*), COUNT(DISTINCT " VIEWER "), "
      "COALESCE(SUM(bytes_sent), 0) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS },
    { MB_SQL_WATCH_TOP,
      "SELECT path, COUNT(*), COUNT(DISTINCT " VIEWER "), "
      "COALESCE(SUM(bytes_sent), 0) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS " "
      "GROUP BY path ORDER BY COUNT(*) DESC, path LIMIT 20" },
    { MB_SQL_WATCH_CHART,
      "SELECT time_us / 60000000, COUNT(*) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS " GROUP BY time_us / 60000000" },
    { MB_SQL_WATCH_RECENT,
      "SELECT id, time_us, method, path, stream_id, user_name, "
      "authenticated, client_ip, range_header, status, bytes_sent, "
      "user_agent, token_id FROM watch_log WHERE " FILTERS " "
      "ORDER BY time_us DESC, id DESC LIMIT %d OFFSET %d" },
    { MB_SQL_WATCH_VIEWERS,
      "SELECT stream_id, COUNT(DISTINCT " VIEWER "), COUNT(*) "
      "FROM watch_log WHERE stream_id IS NOT NULL AND time_us >= %lld "
      "GROUP BY stream_id" },
    { NULL, NULL }
};

const char *mb_status_queries_require(cmd_parms *cmd)
{
    return mb_dbd_require(cmd, status_stmts);
}

static apr_int64_t num(const char *s)
{
    return s ? apr_atoi64(s) : 0;
}

static const char *str(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

/* Run the prepared select `label` with `n` arguments, each row to `fn`
 * (the db layer tells a failure from no rows, and recovers from a dropped
 * connection or a lost statement).  OK, or 503 (logged). */
static int select_rows(status_data *d, const char *label, int n,
                       const char **args, mb_dbd_row_fn *fn)
{
    request_rec *r = d->r;
    const char *why;

    if (mb_dbd_run(r->pool, r->server, d->dbd, label, n, args, fn, d, NULL,
                   &why) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0601) "status: %s failed: %s", label, why);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return OK;
}

/* The arguments of a statement: `lead` numbers, then the four filters
 * (each twice), then `trail` numbers. */
static const char **filter_args(status_data *d, int lead_n,
                                const char *lead, int trail_n,
                                const char *t1, const char *t2)
{
    const char **a = apr_palloc(d->r->pool, sizeof(*a) * 11);
    int i = 0;

    if (lead_n) {
        a[i++] = lead;
    }
    a[i++] = d->sp.path;
    a[i++] = d->sp.path;
    a[i++] = d->sp.user;
    a[i++] = d->sp.user;
    a[i++] = d->sp.stream;
    a[i++] = d->sp.stream;
    a[i++] = d->sp.token_id;
    a[i++] = d->sp.token_id;
    if (trail_n) {
        a[i++] = t1;
        a[i++] = t2;
    }
    return a;
}

#define ENTRY(i) apr_dbd_get_entry(drv, row, (i))

/* The rows of each statement (entries copied: one lives only until the
 * next row is read). */
static int totals_row(void *baton, const apr_dbd_driver_t *drv,
                      apr_dbd_row_t *row)
{
    status_data *d = baton;

    d->requests = num(ENTRY(0));
    d->viewers = num(ENTRY(1));
    d->bytes = num(ENTRY(2));
    return 0;
}

static int top_row_of(void *baton, const apr_dbd_driver_t *drv,
                      apr_dbd_row_t *row)
{
    status_data *d = baton;
    top_row *t = apr_array_push(d->top);

    t->path = str(d->r->pool, ENTRY(0));
    t->requests = num(ENTRY(1));
    t->viewers = num(ENTRY(2));
    t->bytes = num(ENTRY(3));
    return 0;
}

static int chart_row(void *baton, const apr_dbd_driver_t *drv,
                     apr_dbd_row_t *row)
{
    status_data *d = baton;
    apr_int64_t m = num(ENTRY(0)) - d->chart_first;

    if (m >= 0 && m < d->sp.chart) {
        d->chart[m] = num(ENTRY(1));
    }
    return 0;
}

static int log_row_of(void *baton, const apr_dbd_driver_t *drv,
                      apr_dbd_row_t *row)
{
    status_data *d = baton;
    apr_pool_t *p = d->r->pool;
    log_row *l;

    if (d->log->nelts == d->sp.per_page) {
        d->has_more = 1;
        return 0;
    }
    l = apr_array_push(d->log);
    l->id = num(ENTRY(0));
    l->time_us = num(ENTRY(1));
    l->method = str(p, ENTRY(2));
    l->path = str(p, ENTRY(3));
    l->stream = str(p, ENTRY(4));
    l->user = str(p, ENTRY(5));
    l->auth = num(ENTRY(6)) != 0;
    l->ip = str(p, ENTRY(7));
    l->range = str(p, ENTRY(8));
    l->status = (int)num(ENTRY(9));
    l->bytes = num(ENTRY(10));
    l->ua = str(p, ENTRY(11));
    /* no link: NULL (which the pgsql driver may hand over as "") */
    l->token_id = ENTRY(12) && *ENTRY(12) ? str(p, ENTRY(12)) : NULL;
    return 0;
}

static int viewers_row(void *baton, const apr_dbd_driver_t *drv,
                       apr_dbd_row_t *row)
{
    status_data *d = baton;
    live_row *lr = (live_row *)d->live->elts;
    const char *id = ENTRY(0);
    int i;

    for (i = 0; id && i < d->live->nelts; i++) {
        if (lr[i].id && !strcmp(lr[i].id, id)) {
            lr[i].viewers = num(ENTRY(1));
            lr[i].requests = num(ENTRY(2));
        }
    }
    return 0;
}

/* The live streams, and their viewers over the last sp.live minutes. */
static int load_live(status_data *d)
{
    apr_pool_t *p = d->r->pool;
    apr_array_header_t *streams = NULL;
    const char *why = NULL;

    /* the API's table, if this database has it */
    d->live = apr_array_make(p, 4, sizeof(live_row));
    if (mb_stream_list_live_unprepared(p, d->dbd, &streams, &why) != 0) {
        d->live_error = "the streams table (mb_stream) cannot be read";
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, d->r,
                      MBLOGNO(0602) "status: no live streams to show: %s",
                      why);
    }
    else {
        int i;

        for (i = 0; i < streams->nelts; i++) {
            const mb_stream *s = &APR_ARRAY_IDX(streams, i, mb_stream);
            live_row *l = apr_array_push(d->live);

            l->id = s->id;
            l->name = s->name;
            l->owner = s->owner;
            l->started = s->start;
            l->viewers = l->requests = 0;
        }
    }
    if (d->live->nelts) {
        const char *a[1];

        a[0] = apr_psprintf(p, "%" APR_INT64_T_FMT,
                            d->now - d->sp.live * MINUTE_US);
        if (select_rows(d, MB_SQL_WATCH_VIEWERS, 1, a, viewers_row) != OK) {
            return HTTP_SERVICE_UNAVAILABLE;
        }
    }
    return OK;
}

int mb_status_load(status_data *d)
{
    apr_pool_t *p = d->r->pool;
    apr_int64_t now_min;
    const char *since;

    d->now = apr_time_now();
    now_min = d->now / MINUTE_US;

    /* totals and the most watched files over the period */
    since =
        apr_psprintf(p, "%" APR_INT64_T_FMT, d->now - d->sp.period * MINUTE_US);
    d->top = apr_array_make(p, 20, sizeof(top_row));
    if (select_rows(d, MB_SQL_WATCH_TOTALS, 9,
                    filter_args(d, 1, since, 0, NULL, NULL),
                    totals_row) != OK ||
        select_rows(d, MB_SQL_WATCH_TOP, 9,
                    filter_args(d, 1, since, 0, NULL, NULL),
                    top_row_of) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    /* requests per minute */
    d->chart_first = now_min - d->sp.chart + 1;
    d->chart = apr_pcalloc(p, sizeof(*d->chart) * d->sp.chart);
    since = apr_psprintf(p, "%" APR_INT64_T_FMT, d->chart_first * MINUTE_US);
    if (select_rows(d, MB_SQL_WATCH_CHART, 9,
                    filter_args(d, 1, since, 0, NULL, NULL), chart_row) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    /* the recent log, one row more than a page to know if there is more */
    d->log = apr_array_make(p, d->sp.per_page, sizeof(log_row));
    if (select_rows(d, MB_SQL_WATCH_RECENT, 10,
                    filter_args(d, 0, NULL, 1, apr_itoa(p, d->sp.per_page + 1),
                                apr_itoa(p, (d->sp.page - 1) * d->sp.per_page)),
                    log_row_of) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return load_live(d);
}
