/*
 * mb_origin.h -- is a request cross-origin?  The decision behind the
 * module's refusal of cross-site state-changing requests (CSRF) and its
 * CORS answers, from the request's Origin and Sec-Fetch-Site headers.
 * httpd-independent (APR, APR-util): the handlers and the unit tests call
 * it directly.
 */
#ifndef MB_ORIGIN_H
#define MB_ORIGIN_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef enum {
    MB_ORIGIN_NO_BROWSER = 0, /* neither header: curl, ffmpeg, an app     */
    MB_ORIGIN_SAME,           /* the request's own origin                 */
    MB_ORIGIN_TRUSTED,        /* an origin listed by BroadcastTrustedOrigin */
    MB_ORIGIN_CROSS           /* any other origin, "null", a malformed one,
                                 or a fetch the browser marks cross-site or
                                 same-site */
} mb_origin_e;

/*
 * The canonical form "scheme://host:port" (lower case, the port always
 * written) of an origin as RFC 6454 serializes it, "scheme://host[:port]"
 * with scheme http or https; NULL when `origin` is not one (NULL, "null",
 * a path, user info, a query, several origins, another scheme).
 */
const char *mb_origin_canon(apr_pool_t *p, const char *origin);

/*
 * Classify a request.  `origin` and `fetch_site` are its Origin and
 * Sec-Fetch-Site headers (NULL when absent); `self` is its own origin
 * ("scheme://host[:port]", as the server builds it); `trusted` holds
 * canonical origins (mb_origin_canon), may be NULL.
 *
 *  - an Origin that is listed: MB_ORIGIN_TRUSTED, whatever Sec-Fetch-Site;
 *  - an Origin equal to `self`: MB_ORIGIN_SAME unless Sec-Fetch-Site says
 *    anything but same-origin or none (then MB_ORIGIN_CROSS);
 *  - any other Origin: MB_ORIGIN_CROSS;
 *  - no Origin: by Sec-Fetch-Site alone (same-origin, none: MB_ORIGIN_SAME;
 *    absent: MB_ORIGIN_NO_BROWSER; anything else: MB_ORIGIN_CROSS).
 */
mb_origin_e mb_origin_classify(apr_pool_t *p, const char *origin,
                               const char *fetch_site, const char *self,
                               const apr_array_header_t *trusted);

#endif /* MB_ORIGIN_H */
