/*
 * viewer.h -- who may watch a live stream: viewer links (a signed token in
 * the path, /live/t/<token>/<id>/<file>), their secrets, and the default
 * visibility of new streams.  The token format is the core's
 * (include/mb_viewer_token.h); the Require provider is in
 * src/authz/viewer.c, the link endpoint in src/api/viewer_link.c.
 */
#ifndef MB_VIEWER_H
#define MB_VIEWER_H

#include "config/dirconf.h"
#include "db/viewer_links.h"
#include "mb_viewer_token.h"

/* ---- the directives (src/viewer/directives.c) -------------------------- */

const char *mb_cmd_viewer_secret(cmd_parms *cmd, void *dcfg,
                                 const char *current, const char *previous);
const char *mb_cmd_default_visibility(cmd_parms *cmd, void *dcfg,
                                      const char *arg);
const char *mb_cmd_revocation_cache(cmd_parms *cmd, void *dcfg,
                                    const char *arg);

/* (Each directive's name and handler share a line, and its flags the line
 * of its data pointer, as t/docs/directives.t reads them.) */
#define MB_VIEWER_DIRECTIVES                                                 \
    AP_INIT_TAKE12("BroadcastViewerSecret", mb_cmd_viewer_secret,            \
                   NULL, RSRC_CONF | ACCESS_CONF,                            \
                   "env:NAME or file:PATH of the secret that signs viewer "  \
                   "links, and optionally the previous one (still "          \
                   "accepted while links signed with it run out)"),          \
    AP_INIT_TAKE1("BroadcastDefaultVisibility", mb_cmd_default_visibility,   \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "public (default) or private: the visibility of a stream " \
                  "started without a visibility parameter"),           \
    AP_INIT_TAKE1("BroadcastViewerRevocationCache", mb_cmd_revocation_cache, \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "seconds (default 5, 0 = none) a process reuses what it "  \
                  "read of a viewer link's revocation")

/* ---- tokens of requests (src/viewer/token.c) --------------------------- */

/* The id of the viewer link a request was served through (r->notes); the
 * watch log records it, never the token. */
#define MB_NOTE_TOKEN_ID "mb-viewer-token-id"

typedef enum {
    MB_VIEWER_NONE = 0,   /* the path carries no token                    */
    MB_VIEWER_VALID,      /* a valid token of the stream                  */
    MB_VIEWER_REFUSED,    /* a token that is not (expired, tampered,
                             revoked, ...) */
    MB_VIEWER_UNAVAILABLE /* valid, but its revocation cannot be read     */
} mb_viewer_e;

/* The token in r's path, checked against stream `id` with the secrets of
 * r's location, then against the revoked links in the database (read on
 * every request through a link, or within BroadcastViewerRevocationCache
 * from this process's cache).  Computed once per request (the Require provider and the
 * handler both ask); a refusal is logged once, at info, without the token.
 * A valid token's id is in r->notes MB_NOTE_TOKEN_ID (the watch log
 * records it). */
mb_viewer_e mb_viewer_check(request_rec *r, const char *id);

/* A new viewer token for stream `id`, valid until `expires` (seconds since
 * the epoch), signed with the first secret of c: the token's text, and its
 * id in *token_id (32 hex digits).  NULL when no secret is configured or
 * the CSPRNG or OpenSSL fail (logged). */
const char *mb_viewer_mint(request_rec *r, const mb_viewer_conf *c,
                           const char *id, apr_int64_t expires,
                           const char **token_id);

/* ---- the revocations a process read (src/viewer/revocations.c) --------- */

/* The child's cache (hook child_init). */
void mb_viewer_child_init(apr_pool_t *pchild, server_rec *s);

/* The revocation of link `token_id` of stream `id`, from this process's
 * cache when it read it less than BroadcastViewerRevocationCache seconds
 * ago, else from the database: OK with *out, or HTTP_SERVICE_UNAVAILABLE
 * (logged). */
int mb_viewer_revocation_of(request_rec *r, const char *id,
                            const char *token_id, mb_viewer_revocation *out);

/* The tokens this process has verified (same file): 1 with *out when the
 * token text tok[0..len) was verified for stream `id` before and has not
 * expired at `now` (seconds), else 0 (verify it: the HMAC).  A token's
 * validity depends only on the keys, fixed for the life of a process, and
 * on its expiry, checked at every hit. */
int mb_viewer_verified(const char *tok, apr_size_t len, const char *id,
                       apr_int64_t now, mb_viewer_token *out);

/* Remember that tok[0..len) is a valid token of `id` (contents *t). */
void mb_viewer_verified_put(const char *tok, apr_size_t len, const char *id,
                            const mb_viewer_token *t);

#endif /* MB_VIEWER_H */
