/*
 * authz_owner.c -- the authorization provider `Require broadcast-owner`:
 * granted when the authenticated user owns the stream the request names
 * (a stream id as the last path segment, else the `id` parameter of the
 * query string or of a form body).  Shaped like mod_authz_dbd's.
 */
#include "mb_api.h"

#include <apr_strings.h>
#include <http_request.h>

APLOG_USE_MODULE(broadcast);

static authz_status owner_check(request_rec *r, const char *require_line,
                                const void *parsed)
{
    const char *id;
    mb_stream *s = NULL;
    ap_dbd_t *dbd;
    int rv;

    (void)require_line;
    (void)parsed;
    if (r->user == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    id = mb_api_request_id(r);
    if (id == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      MBLOGNO(0310) "Require " MB_AUTHZ_OWNER
                                    ": the request names no stream");
        return AUTHZ_DENIED;
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return AUTHZ_GENERAL_ERROR;
    }
    rv = mb_stream_get(r, dbd, id, &s);
    if (rv == HTTP_NOT_FOUND) {
        return AUTHZ_DENIED;
    }
    if (rv != OK) {
        return AUTHZ_GENERAL_ERROR;
    }
    return strcmp(s->owner, r->user) == 0 ? AUTHZ_GRANTED : AUTHZ_DENIED;
}

static const char *owner_parse(cmd_parms *cmd, const char *require_line,
                               const void **parsed)
{
    (void)parsed;
    if (require_line && *require_line) {
        return "Require " MB_AUTHZ_OWNER " takes no argument";
    }
    /* the provider reads the stream table of this server */
    return mb_streams_require(cmd);
}

const authz_provider mb_authz_owner_provider = {
    &owner_check,
    &owner_parse,
};
