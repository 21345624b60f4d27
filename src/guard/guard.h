/*
 * guard/guard.h -- what the module adds to every request of its handlers:
 * the refusal of cross-site state-changing requests (CSRF), CORS for the
 * origins BroadcastTrustedOrigin lists, and X-Content-Type-Options.  The
 * decision itself is pure (include/mb_origin.h); this is its httpd side.
 */
#ifndef MB_GUARD_H
#define MB_GUARD_H

#include "config/dirconf.h"

/* What a handler offers a trusted origin. */
typedef struct {
    const char *methods; /* Access-Control-Allow-Methods of a preflight  */
    int credentials;     /* Access-Control-Allow-Credentials: true (the
                            browser's own credentials, Basic or cookies,
                            are what the endpoint authenticates with)    */
} mb_cors_profile;

/*
 * Call once, first thing, from a handler that has taken the request.
 * DECLINED: go on (for a trusted origin the CORS headers are set);
 * anything else is the handler's status, the answer already made: a 403
 * cross_origin JSON error for a request with an unsafe method (neither
 * GET, HEAD nor OPTIONS) that a browser marks cross-site, or the 204
 * answer (or 403) to a CORS preflight.
 */
int mb_cors_guard(request_rec *r, const mb_cors_profile *profile);

/* broadcast-live: ingest authenticates with the upload token, which a
 * page sets itself (Authorization: Bearer), never the browser's own
 * credentials. */
extern const mb_cors_profile mb_cors_ingest;

/* BroadcastTrustedOrigin origin... */
const char *mb_cmd_trusted_origin(cmd_parms *cmd, void *dcfg, const char *arg);

/* fixups: X-Content-Type-Options: nosniff on whatever the module's
 * handlers answer, errors included. */
int mb_security_headers(request_rec *r);

#endif /* MB_GUARD_H */
