/*
 * status/html.c -- the status page as a self-contained HTML page for
 * operators, from the data that src/status/queries.c read
 * (src/status/data.h): filters, live streams, the most watched files, the
 * chart of requests per minute, the recent log with its pages.
 */
#include "status/data.h"
#include "mb_chart.h"
#include "mb_html.h"
#include "mb_sqltime.h"

#include <http_core.h>
#include <http_protocol.h>
#include <apr_strings.h>


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

/* The token id of a row, as a link to the rows of that viewer link. */
static const char *link_filter(request_rec *r, const status_data *d,
                               const char *token_id)
{
    mb_status_params sp = d->sp;

    sp.page = 1;
    sp.json = 0;
    sp.token_id = token_id;
    return apr_pstrcat(r->pool, "<a href=\"", link_to(r, &sp), "\">",
                       E(token_id), "</a>", NULL);
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
    ap_rprintf(r, "<label>Link<input name=\"token_id\" size=\"32\" "
               "value=\"%s\"></label>", E(d->sp.token_id));
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
    if (d->sp.path || d->sp.user || d->sp.stream || d->sp.token_id) {
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
        if (d->sp.token_id) {
            ap_rprintf(r, " viewer link <b>%s</b>", E(d->sp.token_id));
        }
        ap_rputs(".</p>", r);
    }
    ap_rputs("<table id=\"log-table\"><thead><tr><th>Time (UTC)</th>"
             "<th>Method</th><th>Path</th><th>Stream</th><th>User</th>"
             "<th>Client</th><th>Range</th><th>Status</th><th>Bytes</th>"
             "<th>User agent</th><th>Link</th></tr></thead><tbody>", r);
    for (i = 0; i < d->log->nelts; i++) {
        const log_row *l = &((const log_row *)d->log->elts)[i];

        ap_rprintf(r, "<tr class=\"log-row\"><td>%s</td><td>%s</td>"
                   "<td class=\"path\">%s</td><td>%s</td><td>%s</td>"
                   "<td>%s</td><td>%s</td><td class=\"n\">%d</td>"
                   "<td class=\"n\">%" APR_INT64_T_FMT "</td>"
                   "<td class=\"ua\">%s</td><td class=\"link\">%s</td></tr>",
                   mb_time_pformat(r->pool, l->time_us), E(l->method),
                   filter_link(r, d, l->path ? l->path : "", NULL, NULL,
                               l->path ? l->path : ""),
                   l->stream ? filter_link(r, d, NULL, NULL, l->stream,
                                           l->stream)
                             : "<span class=\"muted\">-</span>",
                   l->user ? filter_link(r, d, NULL, l->user, NULL, l->user)
                           : "<span class=\"muted\">anonymous</span>",
                   E(l->ip), E(l->range), l->status, l->bytes, E(l->ua),
                   l->token_id ? link_filter(r, d, l->token_id)
                               : "<span class=\"muted\">-</span>");
    }
    if (d->log->nelts == 0) {
        ap_rputs("<tr><td colspan=\"11\" class=\"muted\">No request."
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

void mb_status_send_html(status_data *d)
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
