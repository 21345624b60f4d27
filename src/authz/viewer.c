/*
 * authz/viewer.c -- the authorization provider `Require broadcast-viewer`
 * for the files of a self-hosted live stream (<loc>/<id>/<file>, or
 * <loc>/t/<token>/<id>/<file> through a viewer link): granted for a
 * request carrying a valid viewer token of the stream, for anyone on a
 * public stream, and for the stream's owner.  It composes with every other
 * Require (<RequireAny>, LDAP, ...); ingest (PUT, DELETE) has its own
 * bearer token and is let through with `Require method PUT DELETE OPTIONS`
 * beside it (docs/viewers.md).
 */
#include "authz/authz.h"
#include "db/streams.h"
#include "viewer/viewer.h"
#include "mb_uuid.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_request.h>

APLOG_USE_MODULE(broadcast);

/* The stream id of .../<id>/<file>: the segment before the last. */
static const char *stream_id_of(request_rec *r)
{
    const char *slash = strrchr(r->uri, '/'), *id;
    apr_size_t n = 0;
    char *s;

    if (slash == NULL || slash == r->uri) {
        return NULL;
    }
    for (id = slash; id > r->uri && id[-1] != '/'; id--) {
        n++;
    }
    s = apr_pstrmemdup(r->pool, id, n);
    return mb_uuid_valid(s) ? s : NULL;
}

static authz_status viewer_check(request_rec *r, const char *require_line,
                                 const void *parsed)
{
    const char *id = stream_id_of(r);
    mb_stream *s = NULL;
    ap_dbd_t *dbd;
    int rv;

    (void)require_line;
    (void)parsed;
    if (id == NULL) {
        return AUTHZ_DENIED;        /* names no stream */
    }
    switch (mb_viewer_check(r, id)) {
    case MB_VIEWER_VALID:
        return AUTHZ_GRANTED;       /* a valid link, not revoked */
    case MB_VIEWER_REFUSED:
        return AUTHZ_DENIED;        /* logged once */
    case MB_VIEWER_UNAVAILABLE:
        return mb_authz_db_unavailable(r);
    default:
        break;
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_authz_db_unavailable(r);
    }
    rv = mb_stream_get(r, dbd, id, &s);
    if (rv == HTTP_NOT_FOUND) {
        return AUTHZ_DENIED;
    }
    if (rv != OK) {
        return mb_authz_db_unavailable(r);
    }
    if (!s->is_private) {
        return AUTHZ_GRANTED;
    }
    if (r->user != NULL) {
        return strcmp(s->owner, r->user) == 0 ? AUTHZ_GRANTED : AUTHZ_DENIED;
    }
    if (ap_auth_type(r)) {
        return AUTHZ_DENIED_NO_USER;    /* the owner may sign in here */
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3305) "private stream %s refused: no viewer link",
                  id);
    return AUTHZ_DENIED;
}

static const char *viewer_parse(cmd_parms *cmd, const char *require_line,
                                const void **parsed)
{
    (void)parsed;
    return mb_authz_parse_noarg(cmd, require_line, MB_AUTHZ_VIEWER);
}

const authz_provider mb_authz_viewer_provider = {
    &viewer_check,
    &viewer_parse,
};
