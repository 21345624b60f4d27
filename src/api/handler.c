/*
 * api/handler.c -- the broadcast-api handler: routing a request to its
 * endpoint (after the CSRF/CORS guard, the method and the authenticated
 * user), and the JSON answers every endpoint makes.  The endpoints are in
 * src/api/start.c (start) and src/api/streams.c (stop, refresh, detail,
 * list); S3 credentials from STS in src/api/credentials.c.
 *
 *   POST <loc>/start    type=hls (default), name=...   -> stream + endpoint
 *   POST <loc>/stop     id=...                         -> stream
 *   POST <loc>/refresh  id=...                         -> stream + endpoint
 *   GET  <loc>/<id>                                    -> stream
 *   GET  <loc>/         limit=20, before=<id>,
 *                       state=live (default)|stopped|all -> streams
 *   POST <loc>/<id>/viewer-link  lifetime=, label=     -> a viewer link
 *   POST <loc>/<id>/viewer-link/revoke  token_id=      -> link revoked
 *   POST <loc>/<id>/visibility  visibility=public|private -> stream
 *
 * Each stream comes with its "playback" URLs (where broadcast-live serves
 * it: playlist, player page, recording once stopped).
 *
 * Errors are {"error": {"code", "message"}}; a message never holds a
 * secret, nor STS's own message (logged instead: it may name accounts).
 */
#include "api/api_int.h"
#include "guard/guard.h"
#include "live/live.h"
#include "mb_time.h"
#include "mb_uuid.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>

APLOG_USE_MODULE(broadcast);

/* ---- responses ------------------------------------------------------- */

int mb_api_send_json(request_rec *r, int status, const mb_json *body)
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

int mb_api_error(request_rec *r, int status, const char *code,
                 const char *message)
{
    mb_json *body = mb_json_object(r->pool);
    mb_json *error = mb_json_set_object(body, "error");

    mb_json_set_str(error, "code", code);
    mb_json_set_str(error, "message", message);
    return mb_api_send_json(r, status, body);
}

/* The error answer for a status from a helper (mb_stream_*, params). */
int mb_api_status_error(request_rec *r, int status)
{
    switch (status) {
    case HTTP_NOT_FOUND:
        return mb_api_error(r, status, "not_found", "no such stream");
    case HTTP_SERVICE_UNAVAILABLE:
        return mb_api_error(r, status, "database_unavailable",
                            "the stream database is unavailable");
    case HTTP_BAD_REQUEST:
        return mb_api_error(r, status, "bad_parameter",
                            "a parameter is malformed");
    default:
        return mb_api_error(r, HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                            "internal error (see the server's log)");
    }
}

/* {"id", "name", "start_date"[, "stop_date"]} set into j */
void mb_api_stream_json(request_rec *r, mb_json *j, const mb_stream *s,
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

/* {"playlist_url", "player_url", "recording_url"} set into j: where
 * broadcast-live serves the stream (BroadcastLiveURL), for either storage;
 * recording_url null while the stream is live. */
void mb_api_playback_json(request_rec *r, mb_json *j, const mb_stream *s)
{
    const char *url = mb_live_stream_url(r, s->id);

    mb_json_set_str(j, "playlist_url",
                    apr_pstrcat(r->pool, url, "index.m3u8", NULL));
    mb_json_set_str(j, "player_url", url);
    mb_json_set_str(j, "recording_url",
                    s->live ? NULL
                            : apr_pstrcat(r->pool, url, "vod.m3u8", NULL));
}

/* {"stream": {...}, "playback": {...}} */
mb_json *mb_api_stream_body(request_rec *r, const mb_stream *s, int with_stop)
{
    mb_json *body = mb_json_object(r->pool);

    mb_api_stream_json(r, mb_json_set_object(body, "stream"), s, with_stop);
    mb_api_playback_json(r, mb_json_set_object(body, "playback"), s);
    return body;
}

int mb_api_misconfigured(request_rec *r, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  MBLOGNO(0303) "broadcast-api at %s: %s", r->uri, why);
    return mb_api_error(r, HTTP_INTERNAL_SERVER_ERROR, "misconfigured",
                        "the API is not configured (see the server's log)");
}

int mb_api_bad_param(request_rec *r, const char *message)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0304) "bad parameter: %s", message);
    return mb_api_error(r, HTTP_BAD_REQUEST, "bad_parameter", message);
}

/* {"stream": {...}, "endpoint": {"HTTP": {...}}} */
int mb_api_send_local_endpoint(request_rec *r, const mb_stream *s,
                               const mb_json *endpoint)
{
    mb_json *body = mb_api_stream_body(r, s, 0);

    mb_json_set(mb_json_set_object(body, "endpoint"), "HTTP", endpoint);
    return mb_api_send_json(r, HTTP_OK, body);
}

/* ---- routing --------------------------------------------------------- */

typedef enum {
    EP_NONE = 0,
    EP_START,
    EP_STOP,
    EP_REFRESH,
    EP_LIST,
    EP_DETAIL,
    EP_VIEWER_LINK,
    EP_VIEWER_REVOKE,
    EP_VISIBILITY
} endpoint_e;

/* The stream id of "<loc>/<id>/<rest>" where the URI ends in "/<rest>":
 * NULL when the segment before it is not one. */
static const char *id_before(request_rec *r, const char *rest)
{
    apr_size_t n = strlen(r->uri), k = strlen(rest);
    const char *end = r->uri + n - k;   /* at rest */
    char *sid;

    if (n < k + MB_UUID_LEN + 2 || strcmp(end, rest) != 0 || end[-1] != '/'
        || end[-MB_UUID_LEN - 2] != '/') {
        return NULL;
    }
    sid = apr_pstrmemdup(r->pool, end - MB_UUID_LEN - 1, MB_UUID_LEN);
    return mb_uuid_valid(sid) ? sid : NULL;
}

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
    if ((*id = id_before(r, "viewer-link")) != NULL) {
        return EP_VIEWER_LINK;
    }
    if ((*id = id_before(r, "viewer-link/revoke")) != NULL) {
        return EP_VIEWER_REVOKE;
    }
    if ((*id = id_before(r, "visibility")) != NULL) {
        return EP_VISIBILITY;
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
        return mb_api_error(r, HTTP_NOT_FOUND, "not_found", "no such endpoint");
    }
    post = ep == EP_START || ep == EP_STOP || ep == EP_REFRESH
           || ep == EP_VIEWER_LINK || ep == EP_VIEWER_REVOKE
           || ep == EP_VISIBILITY;
    /* cross-site forgeries refused, CORS for BroadcastTrustedOrigin */
    if ((rv = mb_cors_guard(r, post ? &cors_post : &cors_get)) != DECLINED) {
        return rv;
    }
    r->allowed = post ? (AP_METHOD_BIT << M_POST) : (AP_METHOD_BIT << M_GET);
    if ((post && r->method_number != M_POST) ||
        (!post && r->method_number != M_GET)) {
        apr_table_setn(r->err_headers_out, "Allow",
                       post ? "POST" : "GET, HEAD");
        return mb_api_error(
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
        return mb_api_error(r, HTTP_UNAUTHORIZED, "unauthenticated",
                            "an authenticated user is required");
    }
    if (post && (rv = mb_api_read_body(r, &why)) != OK) {
        return mb_api_error(r, rv,
                            rv == HTTP_REQUEST_ENTITY_TOO_LARGE
                                ? "body_too_large"
                                : "bad_request",
                            why ? why : "the body cannot be read");
    }
    switch (ep) {
    case EP_START:
        return mb_api_start(r, c);
    case EP_STOP:
        return mb_api_stop(r, c);
    case EP_REFRESH:
        return mb_api_refresh(r, c);
    case EP_DETAIL:
        return mb_api_detail(r, c, id);
    case EP_VIEWER_LINK:
        return mb_api_viewer_link(r, c, id);
    case EP_VIEWER_REVOKE:
        return mb_api_viewer_revoke(r, c, id);
    case EP_VISIBILITY:
        return mb_api_visibility(r, c, id);
    default:
        return mb_api_list(r, c);
    }
}
