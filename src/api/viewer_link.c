/*
 * api/viewer_link.c -- POST <loc>/<id>/viewer-link (lifetime=<seconds>,
 * optional label=...): the owner hands out a link that lets its holder
 * watch the stream until it expires, also when the stream is private:
 *
 *   {"url": "<live>/t/<token>/<id>/", "playlist_url": ".../index.m3u8",
 *    "expires": "YYYY-MM-DD HH:MM:SS", "token_id": "<32 hex>", "label"}
 *
 * The token (src/viewer/token.c) sits in the path before the stream's
 * files, so every relative URI in its playlists carries it.
 *
 * POST <loc>/<id>/viewer-link/revoke (token_id=<32 hex>): the link is
 * refused on every server of the database (within
 * BroadcastViewerRevocationCache).  With all=1 instead: every link of the
 * stream issued up to now.
 */
#include "api/api_int.h"
#include "viewer/viewer.h"
#include "db/viewer_links.h"
#include "mb_time.h"
#include "mb_validate.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);

#define DEFAULT_LIFETIME 3600
#define MAX_LIFETIME (366 * 86400)
#define MAX_LABEL 255

int mb_api_viewer_link(request_rec *r, const mb_api_conf *c, const char *id)
{
    const mb_dir_conf *dc = mb_dir_conf_of(r);
    const char *lt = NULL, *label = NULL, *token, *token_id, *base, *url;
    int lifetime = DEFAULT_LIFETIME, rv, failed;
    apr_int64_t expires;
    mb_stream *s;
    ap_dbd_t *dbd;
    mb_json *body;

    /* either storage: broadcast-live checks the link before it serves the
     * files from here or from the bucket (src/live/handler.c) */
    if (dc->viewer.keys[0] == NULL) {
        return mb_api_misconfigured(r, "viewer links need "
                                       "BroadcastViewerSecret");
    }
    if (mb_api_param(r, "lifetime", &lt) != OK ||
        (lt && mb_seconds_parse(lt, MAX_LIFETIME, &lifetime) != 0)) {
        return mb_api_bad_param(r, "'lifetime' is not a number of seconds "
                                   "from 1 to 31622400");
    }
    if (mb_api_param(r, "label", &label) != OK ||
        (label && (strlen(label) > MAX_LABEL ||
                   !mb_utf8_valid(label, strlen(label))))) {
        return mb_api_bad_param(r, "'label' is not UTF-8 text of at most "
                                   "255 bytes");
    }
    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    expires = apr_time_sec(apr_time_now()) + lifetime;
    token = mb_viewer_mint(r, &dc->viewer, id, expires, &token_id);
    if (token == NULL) {
        return mb_api_status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
    base = mb_live_url(&dc->live);
    url = apr_pstrcat(r->pool, base, "/t/", token, "/", id, "/", NULL);
    if (base[0] == '/') {
        url = ap_construct_url(r->pool, url, r);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3304) "viewer link %s to stream %s for %d s made "
                  "by %s", token_id, id, lifetime, r->user);
    body = mb_json_object(r->pool);
    mb_json_set_str(body, "url", url);
    mb_json_set_str(body, "playlist_url",
                    apr_pstrcat(r->pool, url, "index.m3u8", NULL));
    mb_json_set_str(body, "expires",
                    mb_time_pformat(r->pool, apr_time_from_sec(expires)));
    mb_json_set_str(body, "token_id", token_id);
    if (label) {
        mb_json_set_str(body, "label", label);
    }
    return mb_api_send_json(r, HTTP_OK, body);
}

/* all=1: every link of the stream issued up to now is refused (the token
 * carries its issue time), links issued later work. */
static int revoke_all(request_rec *r, const mb_api_conf *c, const char *id)
{
    apr_time_t now = apr_time_now();
    mb_stream *s;
    ap_dbd_t *dbd;
    mb_json *body;
    int rv, failed;

    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if ((rv = mb_viewer_links_revoke_all(r, dbd, id, now)) != OK) {
        return mb_api_status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3652) "all viewer links to stream %s revoked by %s",
                  id, r->user);
    body = mb_json_object(r->pool);
    mb_json_set_bool(body, "all", 1);
    mb_json_set_bool(body, "revoked", 1);
    mb_json_set_str(body, "revoked_at", mb_time_pformat(r->pool, now));
    return mb_api_send_json(r, HTTP_OK, body);
}

int mb_api_viewer_revoke(request_rec *r, const mb_api_conf *c, const char *id)
{
    const char *tid = NULL, *all = NULL;
    mb_stream *s;
    ap_dbd_t *dbd;
    mb_json *body;
    int rv, failed;

    if (mb_api_param(r, "all", &all) != OK ||
        (all && strcmp(all, "1") && strcmp(all, "0"))) {
        return mb_api_bad_param(r, "'all' is 1 (every link of the stream) "
                                   "or 0");
    }
    if (mb_api_param(r, "token_id", &tid) != OK) {
        tid = "";
    }
    if (all && !strcmp(all, "1")) {
        if (tid != NULL) {
            return mb_api_bad_param(r, "give either 'all=1' or 'token_id'");
        }
        return revoke_all(r, c, id);
    }
    if (tid == NULL || strlen(tid) != 32 ||
        strspn(tid, "0123456789abcdef") != 32) {
        return mb_api_bad_param(r, "'token_id' is not a link's token id "
                                   "(32 hex digits)");
    }
    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if ((rv = mb_viewer_link_revoke(r, dbd, id, tid)) != OK) {
        return mb_api_status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3307) "viewer link %s to stream %s revoked by %s",
                  tid, id, r->user);
    body = mb_json_object(r->pool);
    mb_json_set_str(body, "token_id", tid);
    mb_json_set_bool(body, "revoked", 1);
    return mb_api_send_json(r, HTTP_OK, body);
}
