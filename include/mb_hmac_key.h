/*
 * mb_hmac_key.h -- a secret made ready for HMAC-SHA256: OpenSSL's EVP_MAC
 * context keyed with it once (at startup) and copied for each message,
 * so that a check costs one short HMAC, not a lookup of the algorithm and
 * a key setup.  Shared by the signed links of video on demand
 * (include/mb_signed_link.h) and the viewer tokens of live streams
 * (include/mb_viewer_token.h).  httpd-independent (APR, OpenSSL).
 */
#ifndef MB_HMAC_KEY_H
#define MB_HMAC_KEY_H

#include <apr_pools.h>

#define MB_HMAC_LEN 32          /* bytes of an HMAC-SHA256 */

/* Freed with its pool.  Read-only once made: threads share it. */
typedef struct mb_hmac_key mb_hmac_key;

/* The key of `secret` (NUL-terminated, not empty), or NULL when it is
 * empty or OpenSSL fails. */
const mb_hmac_key *mb_hmac_key_make(apr_pool_t *p, const char *secret);

/* mac (MB_HMAC_LEN bytes) = HMAC-SHA256(key, domain NUL name NUL body):
 * the framing of both link formats (domain: the format's name and
 * version; name: name_len bytes, the signed path or stream id; body:
 * body_len bytes, the token's fields).  1, or 0 when key is NULL or
 * OpenSSL fails. */
int mb_hmac_key_sign(const mb_hmac_key *key, const char *domain,
                     const char *name, apr_size_t name_len,
                     const unsigned char *body, apr_size_t body_len,
                     unsigned char *mac);

#endif /* MB_HMAC_KEY_H */
