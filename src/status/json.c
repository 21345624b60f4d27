/*
 * status/json.c -- the status page as JSON (?format=json), from the data
 * that src/status/queries.c read (src/status/data.h).
 */
#include "status/data.h"
#include "mb_json.h"

#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);


int mb_status_send_json(status_data *d)
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
    mb_json_set_str(o, "token_id", d->sp.token_id);

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
        mb_json_set_str(w, "token_id", l->token_id);
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
