/*
 * api/visibility.c -- POST <loc>/<id>/visibility (visibility=public or
 * private): the owner makes a stream private (only its owner and viewer
 * links may watch it under `Require broadcast-viewer`) or public again.
 * The answer is the stream's detail, as GET <loc>/<id> gives it.  Every
 * node reads the visibility from the database at each request: the change
 * holds at once everywhere.
 */
#include "api/api_int.h"

#include <apr_strings.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

int mb_api_visibility(request_rec *r, const mb_api_conf *c, const char *id)
{
    const char *vis = NULL;
    mb_stream *s;
    ap_dbd_t *dbd;
    int rv, failed, is_private;

    if (mb_api_param(r, "visibility", &vis) != OK || vis == NULL ||
        (strcmp(vis, "public") && strcmp(vis, "private"))) {
        return mb_api_bad_param(r, "'visibility' is public or private");
    }
    is_private = !strcmp(vis, "private");
    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if ((rv = mb_stream_set_visibility(r, dbd, id, is_private)) != OK) {
        return mb_api_status_error(r, rv);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3650) "stream %s made %s by %s", id, vis, r->user);
    s->is_private = is_private;
    return mb_api_send_detail(r, s);
}
