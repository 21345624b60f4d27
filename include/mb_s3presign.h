/*
 * mb_s3presign.h -- pre-signed S3 URLs: SigV4 authentication in the query
 * string (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders=host, X-Amz-Signature), so that a client without
 * credentials may GET one object for a short time
 * (BroadcastS3Playback redirect).  libcurl signs only the requests it
 * sends itself; this is the signing of a URL handed to someone else.
 * httpd-independent (APR, OpenSSL).
 */
#ifndef MB_S3PRESIGN_H
#define MB_S3PRESIGN_H

#include <apr_pools.h>
#include <apr_time.h>

/* The longest lifetime SigV4 allows a pre-signed URL: 7 days. */
#define MB_S3_PRESIGN_MAX 604800

/* s escaped as SigV4 wants: the unreserved bytes A-Z a-z 0-9 - _ . ~
 * kept, '/' kept when keep_slash, every other byte %XX (upper case). */
const char *mb_s3_uri_escape(apr_pool_t *p, const char *s, int keep_slash);

/* `url` (an absolute http or https URL without a query, its path escaped
 * as mb_s3_uri_escape with '/' kept does, e.g. mb_s3_object_url's)
 * pre-signed for `method` with the keys (access_key, secret_key) for
 * service s3 in `region`, signed at `now` and valid `expires` seconds
 * (1..MB_S3_PRESIGN_MAX).  The host signed is the URL's, with its port
 * unless it is the scheme's default (what clients send as Host).  The
 * access key id is in the URL, as SigV4 wants; the secret key is not.
 * NULL when the URL or `expires` is not usable. */
const char *mb_s3_presign(apr_pool_t *p, const char *method, const char *url,
                          const char *region, const char *access_key,
                          const char *secret_key, apr_time_t now,
                          int expires);

#endif /* MB_S3PRESIGN_H */
