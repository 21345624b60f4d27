/*
 * handler.c -- the broadcast-live handler: HLS ingest with HTTP PUT/DELETE
 * (Authorization: Bearer <upload token>), and playback of the stream's
 * playlists and segments through the video handler's Range machinery.
 *
 *   PUT    <loc>/<id>/<file>   upload (written to a temporary name, renamed
 *                              into place only when complete)
 *   DELETE <loc>/<id>/<file>   remove an old segment
 *   GET    <loc>/<id>/<file>   playback (206, 416, HEAD, conditionals)
 *   GET    <loc>/<id>/         the player page
 *   GET    <loc>/t/<token>/<id>/...   the same through a viewer link: a
 *                              token that is not valid for <id> is 403
 */
#include "live/live_int.h"
#include "guard/guard.h"
#include "viewer/viewer.h"
#include "mb_hls.h"
#include "mb_uuid.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

/* ---- the answers (src/live/live_int.h) ---------------------------------- */

int mb_live_error(request_rec *r, int status, const char *code,
                  const char *message)
{
    char *body = apr_psprintf(r->pool,
                              "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n",
                              code, message);   /* fixed ASCII texts only */
    r->status = status;
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, (apr_off_t)strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

/* The answer to an upload refused before its body was read: the rest of
 * the body is not read (httpd's ap_discard_request_body() and a kept-alive
 * connection would wait for every byte of it); the connection is closed
 * after the answer, httpd's lingering close dropping what still arrives. */
int mb_live_refuse_unread(request_rec *r, int status)
{
    if (ap_request_has_body(r)) {
        r->connection->keepalive = AP_CONN_CLOSE;
    }
    return status;
}

/* ---- the handler ---------------------------------------------------------- */

int mb_live_handler(request_rec *r)
{
    const mb_dir_conf *conf;
    const char *slash, *name, *id, *dir;
    char *idbuf;
    size_t idlen;
    mb_hls_name_e nk;
    int status;

    if (strcmp(r->handler, MB_HANDLER_LIVE)) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    if (conf->live.root == NULL && conf->api.storage != MB_STORAGE_S3) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0717) "broadcast-live without BroadcastLiveRoot");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_allow_standard_methods(r, MERGE_ALLOW, M_GET, M_PUT, M_DELETE,
                              M_OPTIONS, -1);
    if ((status = mb_cors_guard(r, &mb_cors_ingest)) != DECLINED) {
        return status;  /* a cross-site PUT/DELETE, or a CORS preflight */
    }
    if (r->method_number == M_OPTIONS) {
        return DECLINED;
    }

    /* .../<id>/<name> : the last two segments of the URL path */
    slash = strrchr(r->uri, '/');
    if (slash == NULL || slash == r->uri) {
        return HTTP_NOT_FOUND;
    }
    name = slash + 1;
    idlen = 0;
    for (id = slash; id > r->uri && id[-1] != '/'; id--) {
        idlen++;
    }
    idbuf = apr_pstrmemdup(r->pool, id, idlen);
    if (!mb_uuid_valid(idbuf)) {
        if (r->method_number == M_PUT || r->method_number == M_DELETE) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1214) "%s refused: \"%s\" is not a stream "
                          "id", r->method, mb_log_excerpt(r->pool, idbuf));
            return mb_live_refuse_unread(
                r, mb_live_error(r, HTTP_NOT_FOUND, "not_found",
                                 "no such stream"));
        }
        return HTTP_NOT_FOUND;
    }
    id = idbuf;
    apr_table_setn(r->notes, "mb-stream-id", id);
    switch (mb_viewer_check(r, id)) {
    case MB_VIEWER_REFUSED:
        /* logged; the same answer for every kind of bad link */
        return mb_live_refuse_unread(r, mb_live_error(
            r, HTTP_FORBIDDEN, "forbidden", "this link is not valid"));
    case MB_VIEWER_UNAVAILABLE:
        return mb_live_refuse_unread(r, mb_live_error(
            r, HTTP_SERVICE_UNAVAILABLE, "database_unavailable",
            "the stream database is unavailable"));
    default:
        break;
    }
    if (conf->api.storage == MB_STORAGE_S3) {
        /* the files are in the bucket: uploads go there, not here */
        if (r->method_number != M_GET) {
            return HTTP_METHOD_NOT_ALLOWED;
        }
        return *name == '\0' ? mb_live_s3_player(r, conf, id)
                              : mb_live_s3_get(r, conf, id, name);
    }
    dir = mb_live_dir(r->pool, conf->live.root, id);

    switch (r->method_number) {
    case M_GET:
        if (*name == '\0') {
            return mb_live_player(r, conf, dir, id);
        }
        return mb_live_get(r, conf, dir, name);
    case M_PUT:
    case M_DELETE:
        status = mb_live_authorize_upload(r, id);
        if (status != DECLINED) {
            return mb_live_refuse_unread(r, status);
        }
        nk = mb_hls_check_name(name);
        if (nk != MB_HLS_NAME_OK) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1204) "%s to %s refused: the name \"%s\" "
                          "is not allowed", r->method, id,
                          mb_log_excerpt(r->pool, name));
        }
        if (nk == MB_HLS_NAME_BAD) {
            return mb_live_refuse_unread(r, mb_live_error(
                r, HTTP_BAD_REQUEST, "bad_name",
                "file names are [A-Za-z0-9._-], no leading dot"));
        }
        if (nk == MB_HLS_NAME_BAD_EXT) {
            return mb_live_refuse_unread(r, mb_live_error(
                r, HTTP_UNSUPPORTED_MEDIA_TYPE, "bad_extension",
                "allowed: .m3u8 .ts .m4s .mp4 .aac .vtt .jpg"));
        }
        if (!mb_live_dir_here(r, id)) {
            return mb_live_refuse_unread(
                r, mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                 "misconfigured", MB_LIVE_NOT_HERE));
        }
        if (r->method_number == M_DELETE) {
            return mb_live_refuse_unread(r, mb_live_delete(r, dir, name));
        }
        if (apr_table_get(r->headers_in, "Content-Range") != NULL) {
            /* a part of a file stored as the whole of it (RFC 9110 14.5) */
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1205) "PUT of %s/%s with Content-Range "
                          "refused", id, name);
            return mb_live_refuse_unread(r, mb_live_error(
                r, HTTP_BAD_REQUEST, "partial_put",
                "PUT with Content-Range is not supported: upload the "
                "whole file"));
        }
        return mb_live_put(r, conf, dir, name);
    default:
        return HTTP_METHOD_NOT_ALLOWED;
    }
}
