/*
 * watch/record.c -- recording the watch log (BroadcastWatchLog): the hooks
 * that mark a playback request and make its row.
 *
 * The path of a row, from the request to the database:
 *
 *   handler hook (first)  a request for a playback handler, in a location
 *                         with the log on, is marked: the Range it asked
 *                         for is kept (the video handler may remove the
 *                         header) and a counting output filter is added.
 *   output filter         counts the body bytes of a 2xx response that
 *                         the network layer accepted (after the headers,
 *                         so HEAD and error pages count 0).
 *   log_transaction       the response is gone: the row is copied into
 *                         the queue of this child process, or dropped and
 *                         counted when the queue is full.  Never waits for
 *                         the database.
 *   writer thread         writes the queued rows (src/watch/queue.c, with
 *                         the SQL of src/watch/sql.c).
 */
#include "viewer/viewer.h"
#include "watch/watch.h"
#include "watch/queue.h"
#include "live/live.h"
#include "mb_query.h"
#include "mb_text.h"

#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

/* Handlers whose requests are logged. */
static const char *const logged_handlers[] = {
    MB_HANDLER_VIDEO,
    MB_HANDLER_LIVE,            /* live playback (GET/HEAD only)      */
    NULL
};

#define CTX_KEY "mb_watch_ctx"

typedef struct {
    const char *range;          /* the Range header as asked */
    apr_off_t bytes;            /* body bytes accepted by the network */
} watch_ctx;

static ap_filter_rec_t *count_filter_handle;

static apr_status_t count_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    watch_ctx *ctx = f->ctx;
    request_rec *r = f->r;
    apr_off_t n = 0;
    apr_status_t rv;

    /* The headers pass before sent_bodyct is set; error pages and the
     * bodies of HEAD, 304 and friends are not video. */
    if (r->sent_bodyct && !r->header_only && r->status >= 200
        && r->status < 300) {
        apr_bucket *b;

        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            if (b->length == (apr_size_t)-1) {
                const char *data;
                apr_size_t len;

                rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
                if (rv != APR_SUCCESS) {
                    break;
                }
            }
            n += (apr_off_t)b->length;
        }
    }
    rv = ap_pass_brigade(f->next, bb);
    if (rv == APR_SUCCESS) {
        ctx->bytes += n;
    }
    return rv;
}

void mb_watch_register_filter(void)
{
    /* After the protocol filters (the headers, the byte ranges), before
     * the transfer coding. */
    count_filter_handle = ap_register_output_filter(
        "BROADCAST_WATCH_COUNT", count_filter, NULL, AP_FTYPE_PROTOCOL + 5);
}

int mb_watch_mark(request_rec *r)
{
    const mb_dir_conf *conf;
    const char *const *h;
    watch_ctx *ctx;

    if (!mb_watch_queue_ready() || r->handler == NULL || r->main != NULL
        || r->method_number != M_GET) {     /* GET and HEAD */
        return DECLINED;
    }
    for (h = logged_handlers; *h && strcmp(*h, r->handler); h++) {
    }
    if (*h == NULL) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    if (!mb_watch_log_on(&conf->watch)) {
        return DECLINED;
    }
    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->range = apr_table_get(r->headers_in, "Range");
    apr_pool_userdata_setn(ctx, CTX_KEY, NULL, r->pool);
    ap_add_output_filter_handle(count_filter_handle, ctx, r, r->connection);
    return DECLINED;
}

/* The file below `root` ("dir/file"), or NULL. */
static const char *below(const char *file, const char *root)
{
    size_t n = root ? strlen(root) : 0;

    if (file && n && !strncmp(file, root, n) && file[n] == '/') {
        return file + n + 1;
    }
    return NULL;
}

/* The asked file relative to its root: the query parameter in query mode
 * (whatever it held, even when refused), the note mb-asked-path (S3
 * playback: "<stream id>/<file>"), the file below the live root
 * ("<stream id>/<file>"), the mapped file below its <Directory>, or the
 * URL when it is none of these. */
static const char *asked_path(request_rec *r, const mb_dir_conf *conf)
{
    const char *name = NULL;

    if (conf->video.root && !strcmp(r->handler, MB_HANDLER_VIDEO)) {
        const char *param = mb_video_path_param(&conf->video);
        return mb_query_get(r->pool, r->args, param, &name) == MB_QUERY_OK
                   ? name : "";
    }
    if ((name = apr_table_get(r->notes, "mb-asked-path")) != NULL) {
        return name;    /* set by a handler whose file is not local (S3) */
    }
    if ((name = below(r->filename, conf->live.root)) != NULL
        || (name = below(r->filename, conf->dir_path)) != NULL) {
        return name;
    }
    return r->uri ? r->uri : "";
}

int mb_watch_log_transaction(request_rec *r)
{
    watch_ctx *ctx = NULL;
    request_rec *last = r;
    const mb_dir_conf *conf;
    watch_row *row;
    apr_pool_t *p;
    const char *user, *stream;

    if (!mb_watch_queue_ready() || r->main != NULL) {
        return DECLINED;
    }
    apr_pool_userdata_get((void **)&ctx, CTX_KEY, r->pool);
    if (ctx == NULL) {
        return DECLINED;
    }
    while (last->next) {                /* internal redirects */
        last = last->next;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    user = last->user ? last->user : r->user;
    stream = apr_table_get(last->notes, MB_NOTE_STREAM_ID);
    if (stream == NULL) {
        stream = apr_table_get(r->notes, MB_NOTE_STREAM_ID);
    }
    if (stream == NULL) {       /* set by the configuration (SetEnv) */
        stream = apr_table_get(last->subprocess_env, MB_ENV_STREAM_ID);
    }

    /* the row and its strings in the queue's batch pool (its lock held) */
    if ((p = mb_watch_queue_open()) == NULL) {
        return OK;                      /* dropped, counted */
    }
    row = apr_palloc(p, sizeof(*row));
    row->next = NULL;
    row->s = r->server;
    row->time_us = (apr_int64_t)r->request_time;
    row->bytes = ctx->bytes;
    row->status = last->status;
    row->auth = user != NULL;
    row->method = r->header_only ? "HEAD" : "GET";
    row->path = mb_text_clean(p, asked_path(r, conf), MB_WATCH_MAX_PATH);
    row->stream = mb_text_clean(p, stream, 64);
    row->token_id = mb_text_clean(p, apr_table_get(last->notes,
                                                   MB_NOTE_TOKEN_ID), 32);
    row->user = mb_text_clean(p, user, 255);
    row->ip = apr_pstrdup(p, r->useragent_ip);
    row->range = mb_text_clean(p, ctx->range, 255);
    row->ua = mb_text_clean(p, apr_table_get(r->headers_in, "User-Agent"),
                            MB_WATCH_MAX_UA);
    mb_watch_queue_append(row);
    return OK;
}
