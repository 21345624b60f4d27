/*
 * token.c -- viewer tokens of requests: the check of the token in a
 * request's path (once per request) and the making of new ones, with the
 * keys of BroadcastViewerSecret.  The token's text is never logged:
 * only its id.
 */
#include "viewer/viewer.h"
#include "db/viewer_links.h"
#include "mb_viewer_token.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

#define NOTE_CHECKED "mb-viewer-checked"

/* A valid token: MB_VIEWER_VALID unless its link is revoked, alone or
 * with all the links of the stream issued up to some time. */
static mb_viewer_e not_revoked(request_rec *r, const char *id,
                               const mb_viewer_token *t)
{
    const char *token_id = mb_viewer_token_id_hex(r->pool, t);
    mb_viewer_revocation rev;

    if (mb_viewer_revocation_of(r, id, token_id, &rev) != OK) {
        return MB_VIEWER_UNAVAILABLE;   /* logged by the db layer */
    }
    if (rev.revoked || t->issued <= rev.all_before) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(3306) "viewer link %s to stream %s refused: "
                      "revoked%s", token_id, id,
                      rev.revoked ? "" : " (all the links issued before)");
        return MB_VIEWER_REFUSED;
    }
    apr_table_setn(r->notes, MB_NOTE_TOKEN_ID, token_id);
    return MB_VIEWER_VALID;
}

mb_viewer_e mb_viewer_check(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = mb_dir_conf_of(r);
    const char *done = apr_table_get(r->notes, NOTE_CHECKED);
    apr_int64_t now = apr_time_sec(apr_time_now());
    const char *tok;
    apr_size_t len;
    mb_viewer_token t;
    mb_viewer_e v;

    if (done != NULL) {
        return (mb_viewer_e)(done[0] - '0');
    }
    if (!mb_viewer_path_token(r->uri, &tok, &len)) {
        v = MB_VIEWER_NONE;
    }
    else if (conf->viewer.keys[0] == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3300) "a viewer link to stream %s refused: "
                      "no BroadcastViewerSecret here", id);
        v = MB_VIEWER_REFUSED;
    }
    else if (mb_viewer_verified(tok, len, id, now, &t)) {
        v = not_revoked(r, id, &t);     /* verified before by this process */
    }
    else if (mb_viewer_token_verify(tok, len, id, conf->viewer.keys, 2, now,
                                    &t)) {
        mb_viewer_verified_put(tok, len, id, &t);
        v = not_revoked(r, id, &t);
    }
    else {
        /* expired, tampered, another stream's: one answer, one message */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(3301) "a viewer link to stream %s refused: "
                      "the token is not valid for it (expired, altered or "
                      "another stream's)", id);
        v = MB_VIEWER_REFUSED;
    }
    apr_table_setn(r->notes, NOTE_CHECKED,
                   apr_itoa(r->pool, (int)v));    /* one digit */
    return v;
}

const char *mb_viewer_mint(request_rec *r, const mb_viewer_conf *c,
                           const char *id, apr_int64_t expires,
                           const char **token_id)
{
    mb_viewer_token t;
    const char *tok;
    apr_status_t rv;

    if (c->keys[0] == NULL) {
        return NULL;
    }
    t.expires = expires;
    t.issued = apr_time_now();
    if ((rv = apr_generate_random_bytes(t.id, sizeof(t.id))) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(3302) "no random bytes for a viewer token");
        return NULL;
    }
    if ((tok = mb_viewer_token_make(r->pool, c->keys[0], id, &t)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3303) "cannot sign a viewer token (OpenSSL)");
        return NULL;
    }
    *token_id = mb_viewer_token_id_hex(r->pool, &t);
    return tok;
}
