/*
 * metrics/handler.c -- counting the requests of mod_broadcast's handlers
 * (log_transaction: handler, status class, body bytes; a live stream's
 * playback and viewers, its uploads for the live streams gauge) and answering the scrape: SetHandler
 * broadcast-metrics, the Prometheus text format 0.0.4 (docs/metrics.md).
 * A scrape reads the shared counters only: no database query.
 */
#include "metrics/metrics.h"

#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <string.h>

APLOG_USE_MODULE(broadcast);

/* set by the live handler on a request of a stream (live/handler.c) */
#define NOTE_STREAM_ID "mb-stream-id"

static int handler_index(const char *h)
{
    int i;

    for (i = 0; h != NULL && i < MB_MH_COUNT; i++) {
        if (strcmp(h, mb_metrics_handler_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

int mb_metrics_log_transaction(request_rec *r)
{
    request_rec *last = r;
    const char *stream;
    int h;

    while (last->next) {                /* internal redirects */
        last = last->next;
    }
    if (r->main != NULL || (h = handler_index(r->handler)) < 0) {
        return DECLINED;
    }
    mb_metrics_count(mb_metrics_request_index(h, last->status), 1);
    mb_metrics_count(MB_M_BYTES + h, last->bytes_sent);
    stream = apr_table_get(r->notes, NOTE_STREAM_ID);
    if (h == MB_MH_LIVE && stream != NULL
        && (r->method_number == M_GET) && last->status < 400) {
        const char *user = last->user ? last->user : r->user;

        mb_metrics_playback(
            mb_metrics_shared(), stream,
            user ? apr_pstrcat(r->pool, "u:", user, NULL)
                 : apr_pstrcat(r->pool, "a:", r->useragent_ip, NULL),
            (apr_uint64_t)last->bytes_sent,
            (apr_uint32_t)apr_time_sec(apr_time_now()));
    }
    else if (h == MB_MH_LIVE && stream != NULL && r->method_number == M_PUT
             && (last->status == HTTP_CREATED
                 || last->status == HTTP_NO_CONTENT)) {
        /* a file of the stream stored: it is live (broadcast_live_streams) */
        mb_metrics_stream_active(mb_metrics_shared(), stream,
                                 (apr_uint32_t)apr_time_sec(apr_time_now()));
    }
    return OK;
}

int mb_metrics_handler(request_rec *r)
{
    const char *text;

    if (r->handler == NULL || strcmp(r->handler, MB_HANDLER_METRICS) != 0) {
        return DECLINED;
    }
    ap_allow_methods(r, 1, "GET", "HEAD", NULL);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    text = mb_metrics_text(r->pool, mb_metrics_shared(),
                           (apr_uint32_t)apr_time_sec(apr_time_now()));
    ap_set_content_type(r, MB_PROM_CONTENT_TYPE);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, (apr_off_t)strlen(text));
    if (!r->header_only) {
        ap_rputs(text, r);
    }
    return OK;
}
