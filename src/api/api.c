/*
 * api.c -- the broadcast-api handler: start, stop and refresh live
 * streams, read one, list the live ones.  JSON answers built with mb_json;
 * streams in mod_dbd; S3 credentials from STS (src/core/sts.c).
 *
 *   POST <loc>/start    type=hls (default), name=...   -> stream + endpoint
 *   POST <loc>/stop     id=...                         -> stream
 *   POST <loc>/refresh  id=...                         -> stream + endpoint
 *   GET  <loc>/<id>                                    -> stream
 *   GET  <loc>/         limit=20, before=<id>          -> live streams
 *
 * Errors are {"error": {"code", "message"}}; a message never holds a
 * secret, nor STS's own message (logged instead: it may name accounts).
 */
#include "api/api.h"
#include "guard/guard.h"
#include "live/live.h"
#include "mb_json.h"
#include "mb_s3.h"
#include "mb_time.h"
#include "mb_uuid.h"
#include "mb_validate.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>

APLOG_USE_MODULE(broadcast);

typedef enum {
    EP_NONE = 0,
    EP_START,
    EP_STOP,
    EP_REFRESH,
    EP_LIST,
    EP_DETAIL
} endpoint_e;

/* ---- responses ------------------------------------------------------- */

static int send_json(request_rec *r, int status, const mb_json *body)
{
    apr_size_t len = 0;
    const char *text = mb_json_dump(r->pool, body, &len);

    if (text == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    r->status = status;
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, (apr_off_t)len + 1);
    ap_rwrite(text, (int)len, r);
    ap_rputc('\n', r);
    return OK;
}

static int api_error(request_rec *r, int status, const char *code,
                     const char *message)
{
    mb_json *body = mb_json_object(r->pool);
    mb_json *error = mb_json_set_object(body, "error");

    mb_json_set_str(error, "code", code);
    mb_json_set_str(error, "message", message);
    return send_json(r, status, body);
}

/* The error answer for a status from a helper (mb_stream_*, params). */
static int status_error(request_rec *r, int status)
{
    switch (status) {
    case HTTP_NOT_FOUND:
        return api_error(r, status, "not_found", "no such stream");
    case HTTP_SERVICE_UNAVAILABLE:
        return api_error(r, status, "database_unavailable",
                         "the stream database is unavailable");
    case HTTP_BAD_REQUEST:
        return api_error(r, status, "bad_parameter",
                         "a parameter is malformed");
    default:
        return api_error(r, HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                         "internal error (see the server's log)");
    }
}

/* {"id", "name", "start_date"[, "stop_date"]} set into j */
static void stream_json(request_rec *r, mb_json *j, const mb_stream *s,
                        int with_stop)
{
    mb_json_set_str(j, "id", s->id);
    mb_json_set_str(j, "name", s->name);
    mb_json_set_str(j, "start_date", mb_time_pformat(r->pool, s->start));
    if (with_stop) {
        mb_json_set_str(j, "stop_date",
                        s->stop ? mb_time_pformat(r->pool, s->stop) : NULL);
    }
}

/* {"stream": {...}} */
static mb_json *stream_body(request_rec *r, const mb_stream *s, int with_stop)
{
    mb_json *body = mb_json_object(r->pool);

    stream_json(r, mb_json_set_object(body, "stream"), s, with_stop);
    return body;
}

/* ---- STS ------------------------------------------------------------- */

/* Fill the STS request from the configuration; NULL or why not. */
static const char *sts_conf(request_rec *r, const mb_api_conf *c,
                            mb_sts_conf *sc)
{
    int timeout = mb_api_sts_timeout(c);
    const char *why;

    if (c->storage != MB_STORAGE_S3) {
        return "BroadcastStorage S3 is not set";
    }
    if (c->bucket == NULL) {
        return "BroadcastS3Bucket is not set";
    }
    if (c->access_key == NULL) {
        return "BroadcastAWSCredentials is not set";
    }
    memset(sc, 0, sizeof(*sc));
    sc->region = mb_api_region(c);
    sc->endpoint = c->sts_endpoint
                       ? c->sts_endpoint
                       : apr_pstrcat(r->pool, "https://sts.", sc->region,
                                     ".amazonaws.com/", NULL);
    sc->action = mb_api_action(c);
    if (sc->action == MB_STS_ASSUME_ROLE && c->role_arn == NULL) {
        return "BroadcastSTSRoleArn is not set (needed by AssumeRole)";
    }
    sc->role_arn = c->role_arn;
    sc->access_key = c->access_key;
    sc->secret_key = c->secret_key;
    sc->lifetime = mb_api_lifetime(c);
    if ((why = mb_sts_lifetime_check(r->pool, sc->action, sc->lifetime))) {
        return apr_pstrcat(r->pool, "BroadcastCredentialLifetime ", why, NULL);
    }
    sc->timeout_ms = timeout * 1000L;
    sc->connect_timeout_ms = (timeout < 5 ? timeout : 5) * 1000L;
    sc->keepalive = mb_api_sts_keepalive(c);
    return NULL;
}

/* Temporary credentials for the stream's prefix.  OK with *creds, or the
 * error answer already sent (returns its handler status). */
static int provision(request_rec *r, const mb_api_conf *c,
                     const mb_sts_conf *sc, const mb_stream *s,
                     mb_sts_creds *creds, int *failed)
{
    const char *policy = mb_s3_policy(r->pool, c->bucket, s->s3_path);
    const char *session =
        mb_sts_session_name(r->pool, sc->action, r->user, s->id);
    mb_sts_result res;
    apr_time_t t0 = apr_time_now();

    *failed = 1;
    if (policy == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0302) "cannot build the session policy");
        return status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
    mb_sts_call(r->pool, mb_api_curl_share(), sc, session, policy, creds, &res);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  MBLOGNO(0405) "STS %s for stream %s: status %d, HTTP %ld, "
                                "%s connection, %" APR_TIME_T_FMT " us",
                  mb_sts_action_name(sc->action), s->id, (int)res.status,
                  res.http_status, res.new_connections ? "new" : "reused",
                  apr_time_now() - t0);
    switch (res.status) {
    case MB_STS_OK:
        *failed = 0;
        return OK;
    case MB_STS_REFUSED:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0406) "STS %s at %s refused (HTTP %ld): %s: %s",
                      mb_sts_action_name(sc->action), sc->endpoint,
                      res.http_status, res.code,
                      res.message ? res.message : "(no message)");
        return api_error(r, HTTP_BAD_GATEWAY, "sts_refused",
                         apr_psprintf(r->pool,
                                      "the credential service "
                                      "refused %s: %s",
                                      mb_sts_action_name(sc->action),
                                      res.code));
    case MB_STS_TIMEOUT:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0407) "STS at %s timed out: %s", sc->endpoint,
                      res.message);
        return api_error(r, HTTP_GATEWAY_TIME_OUT, "sts_timeout",
                         "the credential service did not answer in time");
    case MB_STS_UNREACHABLE:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0408) "STS at %s unreachable: %s", sc->endpoint,
                      res.message);
        return api_error(r, HTTP_BAD_GATEWAY, "sts_unreachable",
                         "the credential service cannot be reached");
    case MB_STS_BAD_ANSWER:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0409) "STS at %s gave a bad answer (HTTP %ld):"
                                    " %s",
                      sc->endpoint, res.http_status, res.message);
        return api_error(r, HTTP_BAD_GATEWAY, "sts_bad_answer",
                         "the credential service gave an unusable answer");
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0410) "STS request failed: %s", res.message);
        return status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
}

/* {"stream": {...}, "endpoint": {"S3": {...}}} */
static int send_endpoint(request_rec *r, const mb_api_conf *c,
                         const mb_sts_conf *sc, const mb_stream *s,
                         const mb_sts_creds *creds)
{
    apr_int64_t lifetime = sc->lifetime;
    mb_json *body, *s3;

    /* aws_expiration is the lifetime in seconds; STS may grant less than
     * was asked (role chaining): then what it granted. */
    if (creds->expiration) {
        apr_time_t left = apr_time_sec(creds->expiration - apr_time_now());
        if (left < lifetime) {
            lifetime = left > 0 ? left : 0;
        }
    }
    body = stream_body(r, s, 0);
    s3 = mb_json_set_object(mb_json_set_object(body, "endpoint"), "S3");
    mb_json_set_str(s3, "aws_access_key_id", creds->access_key_id);
    mb_json_set_str(s3, "aws_secret_access_key", creds->secret_access_key);
    mb_json_set_str(s3, "aws_session_token", creds->session_token);
    mb_json_set_int(s3, "aws_expiration", lifetime);
    mb_json_set_str(s3, "s3_bucket_name", c->bucket);
    mb_json_set_str(s3, "s3_bucket_path", s->s3_path);
    mb_json_set_str(s3, "s3_bucket_region", sc->region);
    return send_json(r, HTTP_OK, body);
}

/* ---- the endpoints --------------------------------------------------- */

static int misconfigured(request_rec *r, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  MBLOGNO(0303) "broadcast-api at %s: %s", r->uri, why);
    return api_error(r, HTTP_INTERNAL_SERVER_ERROR, "misconfigured",
                     "the API is not configured (see the server's log)");
}

static int bad_param(request_rec *r, const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0304) "bad parameter: %s", message);
    return api_error(r, HTTP_BAD_REQUEST, "bad_parameter", message);
}

/* ---- BroadcastStorage local (src/live/live.c does the work) ---------------- */

static int lifetime_of(const mb_api_conf *c)
{
    return mb_api_lifetime(c);
}

/* {"stream": {...}, "endpoint": {"HTTP": {...}}} */
static int send_local_endpoint(request_rec *r, const mb_stream *s,
                               const mb_json *endpoint)
{
    mb_json *body = stream_body(r, s, 0);

    mb_json_set(mb_json_set_object(body, "endpoint"), "HTTP", endpoint);
    return send_json(r, HTTP_OK, body);
}

static int start_local(request_rec *r, const mb_api_conf *c, mb_stream *s)
{
    mb_json *endpoint = NULL;
    ap_dbd_t *dbd;
    int rv;

    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    s->start = apr_time_now();
    rv = mb_live_start(r, dbd, s->id, s->owner, s->name, s->start,
                       lifetime_of(c), &endpoint);
    if (rv != OK) {
        return rv == HTTP_INTERNAL_SERVER_ERROR
                   ? misconfigured(r, "local storage is not usable")
                   : status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0306) "stream %s started by %s (local storage)",
                  s->id, r->user);
    return send_local_endpoint(r, s, endpoint);
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
        return status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if ((rv = mb_stream_count_live(r, dbd, r->user, &n)) != OK) {
        return status_error(r, rv);
    }
    if (n < max) {
        *failed = 0;
        return OK;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1001) "%s has %d live streams (at most %d): start "
                                "refused",
                  r->user, n, max);
    return api_error(r, HTTP_TOO_MANY_REQUESTS, "too_many_streams",
                     apr_psprintf(r->pool,
                                  "at most %d live streams per user: stop "
                                  "one first",
                                  max));
}

static int do_start(request_rec *r, const mb_api_conf *c)
{
    const char *type, *name, *why, *tmpl;
    mb_sts_conf sc;
    mb_sts_creds creds;
    mb_stream s;
    ap_dbd_t *dbd;
    char *id = apr_palloc(r->pool, MB_UUID_LEN + 1);
    int rv, failed;

    if (mb_api_param(r, "type", &type) != OK) {
        return bad_param(r, "'type' is malformed");
    }
    if ((why = mb_stream_type_check(type))) {
        return bad_param(r, why);
    }
    if (mb_api_param(r, "name", &name) != OK) {
        return bad_param(r, "'name' is malformed");
    }
    if (name && (why = mb_stream_name_check(name))) {
        return bad_param(r, why);
    }
    if (c->storage != MB_STORAGE_LOCAL && (why = sts_conf(r, c, &sc))) {
        return misconfigured(r, why);
    }
    rv = live_limit(r, c, &failed);
    if (failed) {
        return rv;
    }
    if (mb_uuid4(id) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0305) "the CSPRNG failed (RAND_bytes)");
        return status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
    memset(&s, 0, sizeof(s));
    s.id = id;
    s.owner = r->user;
    s.name = name ? name : "";
    s.type = "hls";
    s.live = 1;
    if (c->storage == MB_STORAGE_LOCAL) {
        s.s3_path = "";
        return start_local(r, c, &s);
    }
    tmpl = mb_api_path_tmpl(c);
    s.s3_path = mb_s3_path_expand(r->pool, tmpl, r->user, id);
    if (s.s3_path == NULL) {
        return bad_param(r, "the user name makes the storage prefix too "
                            "long");
    }
    /* A connection first: no credentials are handed out for a stream that
     * cannot be recorded.  Then STS, then the row: a failed provisioning
     * leaves no stream behind. */
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    rv = provision(r, c, &sc, &s, &creds, &failed);
    if (failed) {
        return rv;
    }
    s.start = apr_time_now();
    if ((rv = mb_stream_insert(r, dbd, &s)) != OK) {
        return status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0311) "stream %s started by %s", s.id, r->user);
    return send_endpoint(r, c, &sc, &s, &creds);
}

/* The stream named by `id`, checked: exists, owner (unless
 * BroadcastOwnerOnly Off).  OK with *out, or the answer already sent. */
static int owned_stream(request_rec *r, const mb_api_conf *c, const char *id,
                        ap_dbd_t **dbd, mb_stream **out, int *failed)
{
    int rv;

    *failed = 1;
    if ((*dbd = mb_dbd_acquire(r)) == NULL) {
        return status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if ((rv = mb_stream_get(r, *dbd, id, out)) != OK) {
        return status_error(r, rv);
    }
    if (mb_api_owner_only(c) && strcmp((*out)->owner, r->user) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0307) "%s is not the owner of stream %s", r->user,
                      id);
        return api_error(r, HTTP_FORBIDDEN, "forbidden",
                         "only the stream's owner may do this");
    }
    *failed = 0;
    return OK;
}

/* The id parameter: NULL when missing or malformed, the 400 answer then
 * already sent. */
static const char *id_param(request_rec *r)
{
    const char *id = NULL;

    if (mb_api_param(r, "id", &id) != OK) {
        bad_param(r, "'id' is malformed");
        return NULL;
    }
    if (id == NULL) {
        bad_param(r, "'id' is missing");
        return NULL;
    }
    if (!mb_uuid_valid(id)) {
        bad_param(r, "'id' is not a stream id");
        return NULL;
    }
    return id;
}

static int stopped(request_rec *r, const char *id)
{
    return api_error(
        r, HTTP_CONFLICT, "stream_stopped",
        apr_pstrcat(r->pool, "stream ", id, " is already stopped", NULL));
}

static int do_stop(request_rec *r, const mb_api_conf *c)
{
    const char *id = id_param(r);
    mb_stream *s;
    ap_dbd_t *dbd;
    apr_time_t now;
    int rv, failed, nrows;

    if (id == NULL) {
        return OK; /* 400 sent */
    }
    rv = owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if (!s->live) {
        return stopped(r, id);
    }
    if (c->storage == MB_STORAGE_LOCAL && !mb_live_dir_here(r, id)) {
        /* stopping here would leave the recording unwritten */
        return api_error(r, HTTP_INTERNAL_SERVER_ERROR, "misconfigured",
                         MB_LIVE_NOT_HERE);
    }
    now = apr_time_now();
    if ((rv = mb_stream_stop(r, dbd, id, now, &nrows)) != OK) {
        return status_error(r, rv);
    }
    if (nrows != 1) {
        return stopped(r, id); /* stopped meanwhile */
    }
    s->live = 0;
    s->stop = now;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0308) "stream %s stopped by %s", id, r->user);
    if (c->storage == MB_STORAGE_LOCAL) {
        mb_live_finish(r, id); /* the recording playlist, vod.m3u8 */
    }
    return send_json(r, HTTP_OK, stream_body(r, s, 1));
}

static int do_refresh(request_rec *r, const mb_api_conf *c)
{
    const char *id = id_param(r), *why;
    mb_sts_conf sc;
    mb_sts_creds creds;
    mb_stream *s;
    ap_dbd_t *dbd;
    int rv, failed;

    if (id == NULL) {
        return OK; /* 400 sent */
    }
    if (c->storage != MB_STORAGE_LOCAL && (why = sts_conf(r, c, &sc))) {
        return misconfigured(r, why);
    }
    rv = owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if (!s->live) {
        return stopped(r, id);
    }
    if (c->storage == MB_STORAGE_LOCAL) {
        mb_json *endpoint = NULL;

        rv = mb_live_refresh(r, dbd, id, lifetime_of(c), &endpoint);
        if (rv == HTTP_CONFLICT) {
            return stopped(r, id); /* stopped meanwhile */
        }
        if (rv != OK) {
            return status_error(r, rv);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0309) "upload token of stream %s refreshed "
                                    "by %s",
                      id, r->user);
        return send_local_endpoint(r, s, endpoint);
    }
    rv = provision(r, c, &sc, s, &creds, &failed);
    if (failed) {
        return rv;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0312) "credentials of stream %s refreshed by %s", id,
                  r->user);
    return send_endpoint(r, c, &sc, s, &creds);
}

static int do_detail(request_rec *r, const mb_api_conf *c, const char *id)
{
    mb_stream *s;
    ap_dbd_t *dbd;
    int rv, failed;

    rv = owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    return send_json(r, HTTP_OK, stream_body(r, s, 1));
}

/* GET <loc>/: the caller's own live streams, everyone's where the owner
 * check is left to Require (BroadcastOwnerOnly Off). */
static int do_list(request_rec *r, const mb_api_conf *c)
{
    const char *limit_s, *before;
    int limit = MB_LIST_DEFAULT, rv, i;
    mb_stream *after = NULL;
    apr_array_header_t *rows;
    ap_dbd_t *dbd;
    mb_json *list, *body;

    if (mb_api_param(r, "limit", &limit_s) != OK ||
        (limit_s && mb_limit_parse(limit_s, &limit) != 0)) {
        return bad_param(r, "'limit' must be a number from 1 to 100");
    }
    if (mb_api_param(r, "before", &before) != OK ||
        (before && !mb_uuid_valid(before))) {
        return bad_param(r, "'before' is not a stream id");
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if (before) {
        rv = mb_stream_get(r, dbd, before, &after);
        /* another user's stream is no cursor of one's own list */
        if (rv == HTTP_NOT_FOUND ||
            (rv == OK && c->owner_only != 0 &&
             strcmp(after->owner, r->user) != 0)) {
            return bad_param(r, "'before' names no stream");
        }
        if (rv != OK) {
            return status_error(r, rv);
        }
    }
    if ((rv = mb_stream_list(r, dbd, c->owner_only != 0 ? r->user : NULL,
                             after, limit, &rows)) != OK) {
        return status_error(r, rv);
    }
    body = mb_json_object(r->pool);
    list = mb_json_set_array(body, "streams");
    for (i = 0; i < rows->nelts; i++) {
        stream_json(r, mb_json_push_object(list),
                    &APR_ARRAY_IDX(rows, i, mb_stream), 0);
    }
    mb_json_set_str(body, "next",
                    rows->nelts == limit
                        ? APR_ARRAY_IDX(rows, rows->nelts - 1, mb_stream).id
                        : NULL);
    return send_json(r, HTTP_OK, body);
}

/* ---- routing --------------------------------------------------------- */

/* The endpoint is the last path segment: <loc>/start, <loc>/<id>, and
 * <loc>/ (empty) for the list.  (The location itself is not known here:
 * a handler's <Location> may hold none of the module's directives.) */
static endpoint_e route(request_rec *r, const char **id)
{
    const char *tail = strrchr(r->uri, '/');

    if (tail == NULL) {
        return EP_NONE;
    }
    tail++;
    if (*tail == '\0') {
        return EP_LIST;
    }
    if (!strcmp(tail, "start")) {
        return EP_START;
    }
    if (!strcmp(tail, "stop")) {
        return EP_STOP;
    }
    if (!strcmp(tail, "refresh")) {
        return EP_REFRESH;
    }
    if (mb_uuid_valid(tail)) {
        *id = tail;
        return EP_DETAIL;
    }
    return EP_NONE;
}

/* A trusted page calls the API with the browser's own credentials. */
static const mb_cors_profile cors_post = {"POST", 1};
static const mb_cors_profile cors_get = {"GET, HEAD", 1};

int mb_api_handler(request_rec *r)
{
    mb_dir_conf *dc;
    const mb_api_conf *c;
    const char *id = NULL, *why;
    endpoint_e ep;
    int post, rv;

    if (r->handler == NULL || strcmp(r->handler, MB_HANDLER_API) != 0) {
        return DECLINED;
    }
    dc = ap_get_module_config(r->per_dir_config, &broadcast_module);
    c = &dc->api;
    ep = route(r, &id);
    if (ep == EP_NONE) {
        return api_error(r, HTTP_NOT_FOUND, "not_found", "no such endpoint");
    }
    post = ep == EP_START || ep == EP_STOP || ep == EP_REFRESH;
    /* cross-site forgeries refused, CORS for BroadcastTrustedOrigin */
    if ((rv = mb_cors_guard(r, post ? &cors_post : &cors_get)) != DECLINED) {
        return rv;
    }
    r->allowed = post ? (AP_METHOD_BIT << M_POST) : (AP_METHOD_BIT << M_GET);
    if ((post && r->method_number != M_POST) ||
        (!post && r->method_number != M_GET)) {
        apr_table_setn(r->err_headers_out, "Allow",
                       post ? "POST" : "GET, HEAD");
        return api_error(
            r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
            apr_pstrcat(r->pool, "use ", post ? "POST" : "GET", NULL));
    }
    if (r->user == NULL) {
        /* RFC 9110: a 401 carries a challenge; the location's own when it
         * has one (AuthType, AuthName), else Basic */
        if (ap_auth_type(r) && ap_auth_name(r)) {
            ap_note_auth_failure(r);
        }
        else {
            apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                           "Basic realm=\"broadcast-api\"");
        }
        return api_error(r, HTTP_UNAUTHORIZED, "unauthenticated",
                         "an authenticated user is required");
    }
    if (post && (rv = mb_api_read_body(r, &why)) != OK) {
        return api_error(r, rv,
                         rv == HTTP_REQUEST_ENTITY_TOO_LARGE ? "body_too_large"
                                                             : "bad_request",
                         why ? why : "the body cannot be read");
    }
    switch (ep) {
    case EP_START:
        return do_start(r, c);
    case EP_STOP:
        return do_stop(r, c);
    case EP_REFRESH:
        return do_refresh(r, c);
    case EP_DETAIL:
        return do_detail(r, c, id);
    default:
        return do_list(r, c);
    }
}
