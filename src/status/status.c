/*
 * status.c -- the broadcast-status handler: what the watch log says, as a
 * self-contained HTML page for operators or as JSON (?format=json).
 *
 * Read-only.  Everything comes from the database of the request's server
 * through the statements that BroadcastWatchLog prepares (see
 * src/watch/watchlog.c), except the live streams, read from the mb_stream table
 * of the broadcast API with a plain SELECT: a database without that table
 * shows no live streams instead of failing (a prepared statement on a
 * missing table would make mod_dbd refuse every connection).
 */
#include "watch/watch.h"
#include "mb_chart.h"
#include "mb_html.h"
#include "mb_json.h"
#include "mb_sqltime.h"
#include "mb_status_params.h"
#include "mb_time.h"

#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

#define MINUTE_US APR_INT64_C(60000000)

/* The broadcast API's table of streams (conf/schema/<engine>/streams.sql:
 * mb_stream, start_us in microseconds since 1970). */
#define SQL_LIVE_STREAMS                                                  \
    "SELECT id, name, owner, start_us FROM mb_stream WHERE is_live = 1 "  \
    "ORDER BY start_us DESC, id LIMIT 100"

typedef struct {
    const char *id, *name, *owner;
    apr_time_t started;         /* 0: unknown */
    apr_int64_t viewers, requests;
} live_row;

typedef struct {
    const char *path;
    apr_int64_t requests, viewers, bytes;
} top_row;

typedef struct {
    apr_int64_t id, time_us, bytes;
    int auth, status;
    const char *method, *path, *stream, *user, *ip, *range, *ua;
} log_row;

typedef struct {
    request_rec *r;
    ap_dbd_t *dbd;
    mb_status_params sp;
    apr_time_t now;
    apr_array_header_t *live;   /* live_row                          */
    const char *live_error;     /* why there are no live streams     */
    apr_int64_t requests, viewers, bytes;   /* over the period       */
    apr_array_header_t *top;    /* top_row                           */
    apr_int64_t *chart;         /* sp.chart minutes                  */
    apr_int64_t chart_first;    /* minute number of chart[0]         */
    apr_array_header_t *log;    /* log_row                           */
    int has_more;               /* an older page exists              */
} status_data;

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

/* The arguments of a statement: `lead` numbers, then the three filters
 * (each twice), then `trail` numbers. */
static const char **filter_args(status_data *d, int lead_n,
                                const char *lead, int trail_n,
                                const char *t1, const char *t2)
{
    const char **a = apr_palloc(d->r->pool, sizeof(*a) * 9);
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
    if (trail_n) {
        a[i++] = t1;
        a[i++] = t2;
    }
    return a;
}

#define ROWS(d, res, row)                                                 \
    apr_dbd_get_row((d)->dbd->driver, (d)->r->pool, (res), &(row), -1) == 0
#define COL(d, row, i) apr_dbd_get_entry((d)->dbd->driver, (row), (i))
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

static int load(status_data *d)
{
    apr_pool_t *p = d->r->pool;
    const apr_dbd_driver_t *drv = d->dbd->driver;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_int64_t now_min;
    const char *since;
    int rc;

    d->now = apr_time_now();
    now_min = d->now / MINUTE_US;

    /* totals and the most watched files over the period */
    since =
        apr_psprintf(p, "%" APR_INT64_T_FMT, d->now - d->sp.period * MINUTE_US);
    d->top = apr_array_make(p, 20, sizeof(top_row));
    if (select_rows(d, MB_SQL_WATCH_TOTALS, 7,
                    filter_args(d, 1, since, 0, NULL, NULL),
                    totals_row) != OK ||
        select_rows(d, MB_SQL_WATCH_TOP, 7,
                    filter_args(d, 1, since, 0, NULL, NULL),
                    top_row_of) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    /* requests per minute */
    d->chart_first = now_min - d->sp.chart + 1;
    d->chart = apr_pcalloc(p, sizeof(*d->chart) * d->sp.chart);
    since = apr_psprintf(p, "%" APR_INT64_T_FMT, d->chart_first * MINUTE_US);
    if (select_rows(d, MB_SQL_WATCH_CHART, 7,
                    filter_args(d, 1, since, 0, NULL, NULL), chart_row) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    /* the recent log, one row more than a page to know if there is more */
    d->log = apr_array_make(p, d->sp.per_page, sizeof(log_row));
    if (select_rows(d, MB_SQL_WATCH_RECENT, 8,
                    filter_args(d, 0, NULL, 1, apr_itoa(p, d->sp.per_page + 1),
                                apr_itoa(p, (d->sp.page - 1) * d->sp.per_page)),
                    log_row_of) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    /* live streams: the API's table, if this database has it (a plain
     * random-access select: a failure is reported here, not as no rows) */
    d->live = apr_array_make(p, 4, sizeof(live_row));
    res = NULL;
    rc = apr_dbd_select(drv, p, d->dbd->handle, &res, SQL_LIVE_STREAMS, 1);
    if (rc != 0) {
        d->live_error = "the streams table (mb_stream) cannot be read";
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, d->r,
                      MBLOGNO(0602) "status: no live streams to show: %s",
                      apr_dbd_error(drv, d->dbd->handle, rc));
    }
    else {
        while (ROWS(d, res, row)) {
            live_row *l = apr_array_push(d->live);
            l->id = str(p, COL(d, row, 0));
            l->name = str(p, COL(d, row, 1));
            l->owner = str(p, COL(d, row, 2));
            l->started = (apr_time_t)num(COL(d, row, 3));
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

/* Release the connection of the request. */
static apr_status_t close_dbd(void *data)
{
    status_data *d = data;

    mb_dbd_close(d->r->server, d->dbd);
    return APR_SUCCESS;
}

/* The request's connection (one pooled before a restart of the database
 * is reconnected by the db layer at its first failed statement). */
static int open_dbd(status_data *d)
{
    request_rec *r = d->r;

    d->dbd = mb_dbd_open(r->pool, r->server);
    if (d->dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0604) "status: database unavailable (mod_dbd "
                                    "gave no connection)");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    apr_pool_cleanup_register(r->pool, d, close_dbd, apr_pool_cleanup_null);
    return OK;
}

/* ---- JSON --------------------------------------------------------------- */

static int send_json(status_data *d)
{
    request_rec *r = d->r;
    apr_pool_t *p = r->pool;
    mb_json *root = mb_json_object(p), *a, *o;
    const char *text;
    apr_size_t len;
    int i;

    mb_json_set_str(root, "generated", mb_time_pformat(p, d->now));
    o = mb_json_set_object(root, "filters");
    mb_json_set_str(o, "path", d->sp.path);
    mb_json_set_str(o, "user", d->sp.user);
    mb_json_set_str(o, "stream", d->sp.stream);

    o = mb_json_set_object(root, "live");
    mb_json_set_int(o, "minutes", d->sp.live);
    a = mb_json_set_array(o, "streams");
    mb_json_set_str(o, "error", d->live_error);
    for (i = 0; i < d->live->nelts; i++) {
        live_row *l = &((live_row *)d->live->elts)[i];
        mb_json *s = mb_json_push_object(a);
        mb_json_set_str(s, "id", l->id);
        mb_json_set_str(s, "name", l->name);
        mb_json_set_str(s, "owner", l->owner);
        mb_json_set_str(s, "start_date",
                        l->started ? mb_time_pformat(p, l->started) : NULL);
        if (l->started) {
            mb_json_set_int(s, "duration_seconds",
                            apr_time_sec(d->now - l->started));
        }
        else {
            mb_json_set_null(s, "duration_seconds");
        }
        mb_json_set_int(s, "viewers", l->viewers);
        mb_json_set_int(s, "requests", l->requests);
    }

    o = mb_json_set_object(root, "period");
    mb_json_set_int(o, "minutes", d->sp.period);
    mb_json_set_int(o, "requests", d->requests);
    mb_json_set_int(o, "viewers", d->viewers);
    mb_json_set_int(o, "bytes", d->bytes);
    a = mb_json_set_array(o, "most_watched");
    for (i = 0; i < d->top->nelts; i++) {
        top_row *t = &((top_row *)d->top->elts)[i];
        mb_json *m = mb_json_push_object(a);
        mb_json_set_str(m, "path", t->path);
        mb_json_set_int(m, "requests", t->requests);
        mb_json_set_int(m, "viewers", t->viewers);
        mb_json_set_int(m, "bytes", t->bytes);
    }

    o = mb_json_set_object(root, "chart");
    mb_json_set_str(o, "first_minute",
                    mb_time_pformat(p, d->chart_first * MINUTE_US));
    a = mb_json_set_array(o, "per_minute");
    for (i = 0; i < d->sp.chart; i++) {
        mb_json_push_int(a, d->chart[i]);
    }

    o = mb_json_set_object(root, "log");
    mb_json_set_int(o, "page", d->sp.page);
    mb_json_set_int(o, "per_page", d->sp.per_page);
    mb_json_set_bool(o, "has_more", d->has_more);
    a = mb_json_set_array(o, "rows");
    for (i = 0; i < d->log->nelts; i++) {
        log_row *l = &((log_row *)d->log->elts)[i];
        mb_json *w = mb_json_push_object(a);
        mb_json_set_int(w, "id", l->id);
        mb_json_set_str(w, "time", mb_time_pformat(p, l->time_us));
        mb_json_set_int(w, "time_us", l->time_us);
        mb_json_set_str(w, "method", l->method);
        mb_json_set_str(w, "path", l->path);
        mb_json_set_str(w, "stream_id", l->stream);
        mb_json_set_str(w, "user", l->user);
        mb_json_set_bool(w, "authenticated", l->auth);
        mb_json_set_str(w, "client_ip", l->ip);
        mb_json_set_str(w, "range", l->range);
        mb_json_set_int(w, "status", l->status);
        mb_json_set_int(w, "bytes", l->bytes);
        mb_json_set_str(w, "user_agent", l->ua);
    }

    if ((text = mb_json_dump_flags(p, root, MB_JSON_ASCII, &len)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1500) "status: cannot build the JSON answer");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_set_content_type(r, "application/json");
    ap_rwrite(text, (int)len, r);
    ap_rputs("\n", r);
    return OK;
}

/* ---- HTML --------------------------------------------------------------- */

#define E(s) mb_html_escape(r->pool, (s))

static const char page_css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em;margin:0}h2{font-size:1.1em;margin:1.4em 0 .4em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;"
    "vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}"
    ".muted{color:#777}.gen{color:#777;margin:.2em 0 1em}"
    "form.filters{display:flex;gap:.6em;flex-wrap:wrap;align-items:end;"
    "background:#f7f7f7;padding:.6em;border:1px solid #e3e3e3}"
    "form.filters label{display:flex;flex-direction:column;font-size:.85em}"
    "nav.pages{margin:.6em 0;display:flex;gap:1em}"
    "td.ua{max-width:22em;overflow-wrap:anywhere;font-size:.85em}"
    "td.path{overflow-wrap:anywhere}";

/* A link to this page with `sp`. */
static const char *link_to(request_rec *r, const mb_status_params *sp)
{
    return E(apr_pstrcat(r->pool, ap_escape_uri(r->pool, r->uri),
                         mb_status_params_query(r->pool, sp), NULL));
}

static const char *filter_link(request_rec *r, const status_data *d,
                               const char *path, const char *user,
                               const char *stream, const char *text)
{
    mb_status_params sp = d->sp;

    sp.page = 1;
    sp.json = 0;
    if (path) {
        sp.path = path;
    }
    if (user) {
        sp.user = user;
    }
    if (stream) {
        sp.stream = stream;
    }
    return apr_pstrcat(r->pool, "<a href=\"", link_to(r, &sp), "\">",
                       E(text), "</a>", NULL);
}

static const char *period_text(apr_pool_t *p, int minutes)
{
    if (minutes % 1440 == 0) {
        return apr_psprintf(p, "%d day%s", minutes / 1440,
                            minutes == 1440 ? "" : "s");
    }
    if (minutes % 60 == 0) {
        return apr_psprintf(p, "%d hour%s", minutes / 60,
                            minutes == 60 ? "" : "s");
    }
    return apr_psprintf(p, "%d minute%s", minutes, minutes == 1 ? "" : "s");
}

static void send_filters(request_rec *r, const status_data *d)
{
    static const int periods[] = { 60, 360, 1440, 10080, 43200 };
    size_t i;
    int found = 0;

    ap_rprintf(r, "<form class=\"filters\" method=\"get\" action=\"%s\">",
               E(ap_escape_uri(r->pool, r->uri)));
    ap_rprintf(r, "<label>Path<input name=\"path\" size=\"28\" "
               "value=\"%s\"></label>", E(d->sp.path));
    ap_rprintf(r, "<label>User<input name=\"user\" size=\"12\" "
               "value=\"%s\"></label>", E(d->sp.user));
    ap_rprintf(r, "<label>Stream<input name=\"stream\" size=\"36\" "
               "value=\"%s\"></label>", E(d->sp.stream));
    ap_rputs("<label>Period<select name=\"period\">", r);
    for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
        found |= periods[i] == d->sp.period;
        ap_rprintf(r, "<option value=\"%d\"%s>last %s</option>", periods[i],
                   periods[i] == d->sp.period ? " selected" : "",
                   period_text(r->pool, periods[i]));
    }
    if (!found) {
        ap_rprintf(r, "<option value=\"%d\" selected>last %s</option>",
                   d->sp.period, period_text(r->pool, d->sp.period));
    }
    ap_rputs("</select></label>", r);
    if (d->sp.per_page != 50) {
        ap_rprintf(r, "<input type=\"hidden\" name=\"per_page\" "
                   "value=\"%d\">", d->sp.per_page);
    }
    ap_rprintf(r, "<button type=\"submit\">Filter</button>"
               "<a href=\"%s\">clear</a></form>",
               E(ap_escape_uri(r->pool, r->uri)));
}

static void send_live(request_rec *r, const status_data *d)
{
    int i;

    ap_rprintf(r, "<section id=\"live\"><h2>Live now</h2>");
    if (d->live_error) {
        ap_rprintf(r, "<p class=\"muted\">No live streams to show (%s).</p>"
                   "</section>", E(d->live_error));
        return;
    }
    if (d->live->nelts == 0) {
        ap_rputs("<p class=\"muted\">No stream is live.</p></section>", r);
        return;
    }
    ap_rprintf(r, "<table id=\"live-table\"><thead><tr><th>Stream</th>"
               "<th>Owner</th><th>Started (UTC)</th><th>Duration</th>"
               "<th>Viewers (last %s)</th><th>Requests</th></tr></thead>"
               "<tbody>", period_text(r->pool, d->sp.live));
    for (i = 0; i < d->live->nelts; i++) {
        const live_row *l = &((const live_row *)d->live->elts)[i];
        const char *name = l->name && *l->name ? l->name : "(unnamed)";

        ap_rprintf(r, "<tr><td class=\"stream-name\" title=\"%s\">%s</td>"
                   "<td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%"
                   APR_INT64_T_FMT "</td><td class=\"n\">%" APR_INT64_T_FMT
                   "</td></tr>", E(l->id),
                   l->id ? filter_link(r, d, NULL, NULL, l->id, name)
                         : E(name),
                   E(l->owner),
                   l->started ? mb_time_pformat(r->pool, l->started)
                              : "",
                   l->started ? mb_duration_format(r->pool,
                                                   d->now - l->started)
                              : "",
                   l->viewers, l->requests);
    }
    ap_rputs("</tbody></table></section>", r);
}

static void send_top(request_rec *r, const status_data *d)
{
    int i;

    ap_rprintf(r, "<section id=\"top\"><h2>Most watched, last %s</h2>"
               "<p id=\"totals\">%" APR_INT64_T_FMT " requests, %"
               APR_INT64_T_FMT " distinct viewers, %s sent.</p>",
               period_text(r->pool, d->sp.period), d->requests, d->viewers,
               mb_bytes_format(r->pool, d->bytes));
    if (d->top->nelts == 0) {
        ap_rputs("<p class=\"muted\">Nothing watched.</p></section>", r);
        return;
    }
    ap_rputs("<table id=\"top-table\"><thead><tr><th>File</th>"
             "<th>Requests</th><th>Viewers</th><th>Bytes</th></tr></thead>"
             "<tbody>", r);
    for (i = 0; i < d->top->nelts; i++) {
        const top_row *t = &((const top_row *)d->top->elts)[i];
        ap_rprintf(r, "<tr><td class=\"path\">%s</td><td class=\"n\">%"
                   APR_INT64_T_FMT "</td><td class=\"n\">%" APR_INT64_T_FMT
                   "</td><td class=\"n\" title=\"%" APR_INT64_T_FMT
                   " bytes\">%s</td></tr>",
                   filter_link(r, d, t->path ? t->path : "", NULL, NULL,
                               t->path ? t->path : ""),
                   t->requests, t->viewers, t->bytes,
                   mb_bytes_format(r->pool, t->bytes));
    }
    ap_rputs("</tbody></table></section>", r);
}

static void send_log(request_rec *r, const status_data *d)
{
    mb_status_params sp = d->sp;
    int i;

    sp.json = 0;
    ap_rprintf(r, "<section id=\"log\"><h2>Recent requests</h2>");
    if (d->sp.path || d->sp.user || d->sp.stream) {
        ap_rputs("<p id=\"active-filters\">Showing only", r);
        if (d->sp.path) {
            ap_rprintf(r, " path <b>%s</b>", E(d->sp.path));
        }
        if (d->sp.user) {
            ap_rprintf(r, " user <b>%s</b>", E(d->sp.user));
        }
        if (d->sp.stream) {
            ap_rprintf(r, " stream <b>%s</b>", E(d->sp.stream));
        }
        ap_rputs(".</p>", r);
    }
    ap_rputs("<table id=\"log-table\"><thead><tr><th>Time (UTC)</th>"
             "<th>Method</th><th>Path</th><th>Stream</th><th>User</th>"
             "<th>Client</th><th>Range</th><th>Status</th><th>Bytes</th>"
             "<th>User agent</th></tr></thead><tbody>", r);
    for (i = 0; i < d->log->nelts; i++) {
        const log_row *l = &((const log_row *)d->log->elts)[i];

        ap_rprintf(r, "<tr class=\"log-row\"><td>%s</td><td>%s</td>"
                   "<td class=\"path\">%s</td><td>%s</td><td>%s</td>"
                   "<td>%s</td><td>%s</td><td class=\"n\">%d</td>"
                   "<td class=\"n\">%" APR_INT64_T_FMT "</td>"
                   "<td class=\"ua\">%s</td></tr>",
                   mb_time_pformat(r->pool, l->time_us), E(l->method),
                   filter_link(r, d, l->path ? l->path : "", NULL, NULL,
                               l->path ? l->path : ""),
                   l->stream ? filter_link(r, d, NULL, NULL, l->stream,
                                           l->stream)
                             : "<span class=\"muted\">-</span>",
                   l->user ? filter_link(r, d, NULL, l->user, NULL, l->user)
                           : "<span class=\"muted\">anonymous</span>",
                   E(l->ip), E(l->range), l->status, l->bytes, E(l->ua));
    }
    if (d->log->nelts == 0) {
        ap_rputs("<tr><td colspan=\"10\" class=\"muted\">No request."
                 "</td></tr>", r);
    }
    ap_rputs("</tbody></table><nav class=\"pages\">", r);
    if (d->sp.page > 1) {
        sp.page = d->sp.page - 1;
        ap_rprintf(r, "<a rel=\"prev\" href=\"%s\">&larr; newer</a>",
                   link_to(r, &sp));
    }
    ap_rprintf(r, "<span>page %d</span>", d->sp.page);
    if (d->has_more) {
        sp.page = d->sp.page + 1;
        ap_rprintf(r, "<a rel=\"next\" href=\"%s\">older &rarr;</a>",
                   link_to(r, &sp));
    }
    ap_rputs("</nav></section>", r);
}

static void send_html(status_data *d)
{
    request_rec *r = d->r;

    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_rprintf(r, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
               "<meta charset=\"utf-8\"><meta name=\"viewport\" "
               "content=\"width=device-width, initial-scale=1\">"
               "<title>Broadcast status</title><style>%s</style></head>"
               "<body><header><h1>Broadcast status</h1><p class=\"gen\">"
               "%s UTC, %s</p></header>", page_css,
               mb_time_pformat(r->pool, d->now),
               E(ap_get_server_name(r)));
    send_filters(r, d);
    send_live(r, d);
    send_top(r, d);
    ap_rprintf(r, "<section id=\"chart\"><h2>Watch requests per minute, "
               "last %s</h2>%s</section>", period_text(r->pool, d->sp.chart),
               mb_chart_svg(r->pool, d->chart, d->sp.chart, d->chart_first));
    send_log(r, d);
    ap_rputs("</body></html>\n", r);
}

int mb_status_handler(request_rec *r)
{
    status_data *d;
    const char *err;
    int status;

    if (strcmp(r->handler, MB_HANDLER_STATUS)) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    /* in the request pool: the connection's cleanup refers to it */
    d = apr_pcalloc(r->pool, sizeof(*d));
    d->r = r;
    err = mb_status_params_parse(r->pool, r->args, &d->sp);
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0603) "status: bad request: %s", err);
        ap_set_content_type(r, "text/plain; charset=utf-8");
        r->status = HTTP_BAD_REQUEST;
        ap_rprintf(r, "Bad request: %s\n", err);
        return OK;
    }
    status = open_dbd(d);
    if (status == OK) {
        status = load(d);
        /* everything is read (copied into the request pool): the
         * connection goes back to mod_dbd before a byte is sent, so a
         * client that reads slowly holds none */
        apr_pool_cleanup_run(r->pool, d, close_dbd);
    }
    if (status == HTTP_SERVICE_UNAVAILABLE && d->sp.json) {
        /* (logged where it failed) */
        apr_table_setn(r->headers_out, "Cache-Control", "no-store");
        ap_set_content_type(r, "application/json");
        r->status = status;
        ap_rputs("{\"error\": {\"code\": \"database_unavailable\", "
                 "\"message\": \"the watch log database is unavailable\"}}\n",
                 r);
        return OK;
    }
    if (status != OK) {
        return status;
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src data:; form-action 'self'; base-uri 'none'; "
                   "frame-ancestors 'none'");
    if (r->header_only) {
        ap_set_content_type(r, d->sp.json ? "application/json"
                                         : "text/html; charset=utf-8");
        return OK;
    }
    if (d->sp.json) {
        return send_json(d);
    }
    send_html(d);
    return OK;
}
