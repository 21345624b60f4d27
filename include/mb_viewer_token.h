/*
 * mb_viewer_token.h -- viewer tokens: who may watch one live stream until
 * when.  A token is the base64url text (no padding, safe in a URL path
 * segment) of
 *
 *     expiry (8 bytes, seconds since the epoch, big-endian)
 *     issued (8 bytes, microseconds since the epoch, big-endian)
 *     token id (16 random bytes, named in the API and the logs)
 *     HMAC-SHA256(secret, "mb-viewer-2" NUL stream id NUL expiry issued
 *                 token id)
 *
 * The issue time tells a link minted before "revoke all the links of the
 * stream" from one minted after (src/db/viewer_links.c).
 *
 * Verification accepts any of the configured secrets (rotation), compares
 * in constant time and gives one refusal for every kind of bad token
 * (malformed, tampered, another stream's, expired): no oracle.
 * httpd-independent (APR and OpenSSL only).
 */
#ifndef MB_VIEWER_TOKEN_H
#define MB_VIEWER_TOKEN_H

#include <apr_pools.h>
#include <apr_time.h>

#include "mb_hmac_key.h"

#define MB_VIEWER_ID_LEN 16   /* bytes of a token id (32 hex digits)  */
#define MB_VIEWER_TOKEN_LEN 86 /* characters of a token's text        */
#define MB_VIEWER_MAX_SECRETS 2

typedef struct {
    apr_int64_t expires;                  /* seconds since the epoch */
    apr_int64_t issued;                   /* microseconds since it    */
    unsigned char id[MB_VIEWER_ID_LEN];
} mb_viewer_token;

/* The text of the token for `stream_id` with t's expiry, issue time and
 * id, signed with `key` (the secret keyed by mb_hmac_key_make).  NULL for
 * a NULL key, a stream id over 64 bytes, or when OpenSSL fails. */
const char *mb_viewer_token_make(apr_pool_t *p, const mb_hmac_key *key,
                                 const char *stream_id,
                                 const mb_viewer_token *t);

/* Is `text` (len bytes, not NUL-terminated) a valid token of `stream_id`
 * at `now` (seconds) under one of the nkeys `keys` (NULL entries are
 * skipped)?  1 and *out filled, or 0 for every refusal alike. */
int mb_viewer_token_verify(const char *text, apr_size_t len,
                           const char *stream_id,
                           const mb_hmac_key *const *keys, int nkeys,
                           apr_int64_t now, mb_viewer_token *out);

/* Parse only (no signature check): 1 and *out filled when `text` has a
 * token's form, else 0. */
int mb_viewer_token_parse(const char *text, apr_size_t len,
                          mb_viewer_token *out);

/* Where a viewer token travels: a URL path ".../t/<token>/<id>/<name>"
 * (the stream's files, so that every relative URI of its playlists keeps
 * the token).  1 with *token, *len pointing into `path` when the two
 * segments before the last two are "t" and a non-empty segment; else 0
 * (no token in the path). */
int mb_viewer_path_token(const char *path, const char **token,
                         apr_size_t *len);

/* The token id as 32 lowercase hex digits. */
const char *mb_viewer_token_id_hex(apr_pool_t *p, const mb_viewer_token *t);

#endif /* MB_VIEWER_TOKEN_H */
