/*
 * video/signed.c -- signed links for video on demand (the token format is
 * the core's, include/mb_signed_link.h): BroadcastVideoSecret, the
 * mapping of <location>/s/<token>/<file> back to <location>/<file>, and
 * the check `Require broadcast-signed` asks for (src/authz/signed.c).
 *
 * The token is taken out of the path in translate_name, before any
 * module maps the URL: from then on the request is the one for the file
 * itself (Alias, <Directory>, the handler's confinement, ranges, 304,
 * HEAD, the watch log's path), and only the Require provider looks at the
 * token kept in r->notes.  Only where BroadcastVideoSecret is set (the
 * <Location> sections are walked once before translate_name).
 */
#include "video/video.h"
#include "viewer/viewer.h"
#include "mb_secret.h"
#include "mb_signed_link.h"

#include <apr_strings.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

#define NOTE_TOKEN "mb-signed-token"
#define NOTE_CHECKED "mb-signed-checked"

const char *mb_cmd_video_secret(cmd_parms *cmd, void *dcfg,
                                const char *current, const char *previous)
{
    mb_video_conf *conf = &((mb_dir_conf *)dcfg)->video;
    const char *specs[2] = {current, previous}, *secret = NULL, *why;
    int i;

    conf->keys[0] = conf->keys[1] = NULL;
    for (i = 0; i < 2 && specs[i] != NULL; i++) {
        if ((why = mb_secret_load_key(cmd->pool, specs[i], &secret))) {
            conf->keys[0] = NULL;
            return apr_pstrcat(cmd->pool, cmd->cmd->name, i ? " (previous)"
                               : "", ": ", why, NULL);
        }
        /* keyed once here: a request copies the ready HMAC context */
        if ((conf->keys[i] = mb_hmac_key_make(cmd->pool, secret)) == NULL) {
            conf->keys[0] = NULL;
            return apr_pstrcat(cmd->pool, cmd->cmd->name,
                               ": OpenSSL cannot make an HMAC-SHA256 key",
                               NULL);
        }
    }
    return NULL;
}

int mb_video_signed_translate(request_rec *r)
{
    const mb_dir_conf *conf = mb_dir_conf_of(r);
    const char *token, *rest;

    if (conf == NULL || conf->video.keys[0] == NULL || r->uri == NULL
        || r->uri[0] != '/'
        || !mb_signed_path_split(r->pool, r->uri, &token, &rest)) {
        return DECLINED;
    }
    apr_table_setn(r->notes, NOTE_TOKEN, token);
    r->uri = apr_pstrdup(r->pool, rest);
    r->parsed_uri.path = r->uri;
    return DECLINED;        /* the file's path is mapped as usual */
}

/* The token of r's link: its own, or its main request's (a sub-request
 * of DirectoryIndex and the like is made from the path without it). */
static const char *token_of(request_rec *r)
{
    const char *t;

    for (; r != NULL; r = r->main) {
        if ((t = apr_table_get(r->notes, NOTE_TOKEN)) != NULL) {
            return t;
        }
    }
    return NULL;
}

mb_signed_e mb_video_signed_check(request_rec *r)
{
    const mb_dir_conf *conf = mb_dir_conf_of(r);
    const char *done = apr_table_get(r->notes, NOTE_CHECKED);
    const char *token = token_of(r);
    mb_signed_link l;
    mb_signed_e v;

    if (done != NULL) {
        return (mb_signed_e)(done[0] - '0');
    }
    if (token == NULL) {
        v = MB_SIGNED_NONE;
    }
    else if (conf->video.keys[0] == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3600) "a signed link to %s refused: no "
                      "BroadcastVideoSecret here",
                      mb_log_excerpt(r->pool, r->uri));
        v = MB_SIGNED_REFUSED;
    }
    else if (mb_signed_link_verify(token, strlen(token), r->uri,
                                   conf->video.keys, 2,
                                   apr_time_sec(apr_time_now()), &l)) {
        /* the watch log names the link, as for viewer links */
        apr_table_setn(r->notes, MB_NOTE_TOKEN_ID,
                       mb_signed_link_id_hex(r->pool, &l));
        v = MB_SIGNED_VALID;
    }
    else {
        /* expired, altered, another path's: one answer, one message, with
         * the id the token claims (never the token) */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(3601) "signed link %s refused for %s: not "
                      "valid for it (expired, altered or another path's)",
                      mb_signed_link_parse(token, strlen(token), &l)
                          ? mb_signed_link_id_hex(r->pool, &l) : "(malformed)",
                      mb_log_excerpt(r->pool, r->uri));
        v = MB_SIGNED_REFUSED;
    }
    apr_table_setn(r->notes, NOTE_CHECKED, apr_itoa(r->pool, (int)v));
    return v;
}
