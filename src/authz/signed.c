/*
 * authz/signed.c -- the authorization provider `Require broadcast-signed`:
 * granted for a request that came through a valid signed link for its
 * path (<location>/s/<token>/<file>, src/video/signed.c; the token format
 * in include/mb_signed_link.h).  It composes with every other Require
 * (<RequireAny> with a valid-user, an ip ...).
 */
#include "authz/authz.h"
#include "video/video.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

static authz_status signed_check(request_rec *r, const char *require_line,
                                 const void *parsed)
{
    (void)require_line;
    (void)parsed;
    switch (mb_video_signed_check(r)) {
    case MB_SIGNED_VALID:
        return AUTHZ_GRANTED;
    case MB_SIGNED_REFUSED:
        return AUTHZ_DENIED;        /* logged once */
    default:
        break;
    }
    if (r->user == NULL && ap_auth_type(r)) {
        return AUTHZ_DENIED_NO_USER;    /* a user may sign in here */
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  MBLOGNO(3602) "Require " MB_AUTHZ_SIGNED ": %s came "
                  "through no signed link", mb_log_excerpt(r->pool, r->uri));
    return AUTHZ_DENIED;
}

static const char *signed_parse(cmd_parms *cmd, const char *require_line,
                                const void **parsed)
{
    (void)parsed;
    if (require_line && *require_line) {
        return apr_pstrcat(cmd->pool, "Require " MB_AUTHZ_SIGNED
                           " takes no argument", NULL);
    }
    return NULL;
}

const authz_provider mb_authz_signed_provider = {
    &signed_check,
    &signed_parse,
};
