/*
 * api/start.c -- POST <loc>/start: a new live stream for the authenticated
 * user, within BroadcastMaxLiveStreams; with S3 credentials from STS
 * (BroadcastStorage S3), or an upload token for broadcast-live
 * (BroadcastStorage local, src/live/live.c does the work).
 */
#include "api/api_int.h"
#include "live/live.h"
#include "metrics/metrics.h"
#include "mb_s3.h"
#include "mb_uuid.h"
#include "mb_validate.h"

#include <apr_strings.h>
#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);

/* ---- BroadcastStorage local (src/live/live.c does the work) ---------- */

static int start_local(request_rec *r, const mb_api_conf *c, mb_stream *s)
{
    mb_json *endpoint = NULL;
    ap_dbd_t *dbd;
    int rv;

    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_api_status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    s->start = apr_time_now();
    rv = mb_live_start(r, dbd, s->id, s->owner, s->name, s->start,
                       s->is_private, mb_api_lifetime(c), &endpoint);
    if (rv != OK) {
        return rv == HTTP_INTERNAL_SERVER_ERROR
                   ? mb_api_misconfigured(r, "local storage is not usable")
                   : mb_api_status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0306) "stream %s started by %s (local storage)",
                  s->id, r->user);
    mb_metrics_count(MB_M_LIVE_STARTED, 1);
    return mb_api_send_local_endpoint(r, s, endpoint);
}

/* BroadcastMaxLiveStreams: OK, or (*failed) the 429 or 503 answer sent.
 * Checked before STS is asked: no credentials for a refused stream. */
static int live_limit(request_rec *r, const mb_api_conf *c, int *failed)
{
    int max = mb_api_max_live(c);
    int n = 0, rv;
    ap_dbd_t *dbd;

    *failed = 0;
    if (max == 0) {
        return OK;
    }
    *failed = 1;
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_api_status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if ((rv = mb_stream_count_live(r, dbd, r->user, &n)) != OK) {
        return mb_api_status_error(r, rv);
    }
    if (n < max) {
        *failed = 0;
        return OK;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1001) "%s has %d live streams (at most %d): start "
                                "refused",
                  r->user, n, max);
    return mb_api_error(r, HTTP_TOO_MANY_REQUESTS, "too_many_streams",
                        apr_psprintf(r->pool,
                                     "at most %d live streams per user: stop "
                                     "one first",
                                     max));
}

int mb_api_start(request_rec *r, const mb_api_conf *c)
{
    const char *type, *name, *why, *tmpl, *vis;
    mb_sts_conf sc;
    mb_sts_creds creds;
    mb_stream s;
    ap_dbd_t *dbd;
    char *id = apr_palloc(r->pool, MB_UUID_LEN + 1);
    int rv, failed;

    if (mb_api_param(r, "type", &type) != OK) {
        return mb_api_bad_param(r, "'type' is malformed");
    }
    if ((why = mb_stream_type_check(type))) {
        return mb_api_bad_param(r, why);
    }
    if (mb_api_param(r, "name", &name) != OK) {
        return mb_api_bad_param(r, "'name' is malformed");
    }
    if (name && (why = mb_stream_name_check(name))) {
        return mb_api_bad_param(r, why);
    }
    if (mb_api_param(r, "visibility", &vis) != OK ||
        (vis && strcmp(vis, "public") && strcmp(vis, "private"))) {
        return mb_api_bad_param(r, "'visibility' is public or private");
    }
    if (c->storage != MB_STORAGE_LOCAL && (why = mb_api_sts_conf(r, c, &sc))) {
        return mb_api_misconfigured(r, why);
    }
    rv = live_limit(r, c, &failed);
    if (failed) {
        return rv;
    }
    if (mb_uuid4(id) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0305) "the CSPRNG failed (RAND_bytes)");
        return mb_api_status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
    memset(&s, 0, sizeof(s));
    s.id = id;
    s.owner = r->user;
    s.name = name ? name : "";
    s.type = "hls";
    s.live = 1;
    s.is_private = vis ? !strcmp(vis, "private")
                       : mb_viewer_default_visibility(&mb_dir_conf_of(r)->viewer)
                             == MB_VIEWER_PRIVATE;
    if (c->storage == MB_STORAGE_LOCAL) {
        s.s3_path = "";
        return start_local(r, c, &s);
    }
    tmpl = mb_api_path_tmpl(c);
    s.s3_path = mb_s3_path_expand(r->pool, tmpl, r->user, id);
    if (s.s3_path == NULL) {
        return mb_api_bad_param(r, "the user name makes the storage prefix too "
                                   "long");
    }
    /* A connection first: no credentials are handed out for a stream that
     * cannot be recorded.  Then STS, then the row: a failed provisioning
     * leaves no stream behind. */
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_api_status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    rv = mb_api_provision(r, c, &sc, &s, &creds, &failed);
    if (failed) {
        return rv;
    }
    s.start = apr_time_now();
    if ((rv = mb_stream_insert(r, dbd, &s)) != OK) {
        return mb_api_status_error(r, rv);
    }
    mb_metrics_count(MB_M_LIVE_STARTED, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0311) "stream %s started by %s", s.id, r->user);
    return mb_api_send_endpoint(r, c, &sc, &s, &creds);
}
