/*
 * mb_signed_link.h -- signed links for video on demand: who may fetch one
 * file, or every file below one folder, until when.  The link carries the
 * token in its path, before the file's own path:
 *
 *     <location>/s/<token>/<rest of the file's path>
 *
 * and the signed path is the request's path with "/s/<token>" taken out
 * (so a folder link's relative URIs, the segments of an HLS playlist, keep
 * the token).  A token is the base64url text (no padding) of 50 bytes
 *
 *     expiry      8 bytes, seconds since the epoch, big-endian
 *     prefix_len  2 bytes, big-endian: the signed prefix is the first
 *                 prefix_len bytes of the path
 *     id          8 random bytes, named in the logs (never the token)
 *     mac         HMAC-SHA256(secret, "mb-signed-1" NUL prefix NUL
 *                             expiry prefix_len id)
 *
 * A prefix ending in '/' is a folder: every path that starts with it; any
 * other prefix is one file: that path only ("/a/b" does not cover "/a/bc"
 * nor "/a/b/c").  Verification accepts any of the configured secrets
 * (rotation), compares in constant time and gives one refusal for every
 * kind of bad token or path: no oracle.  httpd-independent (APR, OpenSSL).
 */
#ifndef MB_SIGNED_LINK_H
#define MB_SIGNED_LINK_H

#include <apr_pools.h>

#include "mb_hmac_key.h"

#define MB_SIGNED_ID_LEN 8         /* bytes of a link's id (16 hex digits) */
#define MB_SIGNED_TOKEN_LEN 67     /* characters of a token's text         */
#define MB_SIGNED_MAX_PATH 4096    /* longest path or prefix               */
#define MB_SIGNED_MAX_SECRETS 2

typedef struct {
    apr_int64_t expires;                 /* seconds since the epoch */
    apr_size_t prefix_len;               /* 1..MB_SIGNED_MAX_PATH   */
    unsigned char id[MB_SIGNED_ID_LEN];
} mb_signed_link;

/* Is `path` a normalized absolute URL path: starts with '/', no empty,
 * "." or ".." segment, no '%' (a doubly encoded name), backslash or
 * control character, at most MB_SIGNED_MAX_PATH bytes?  1 or 0. */
int mb_signed_path_ok(const char *path);

/* The token signing `prefix` (a path as mb_signed_path_ok wants it) until
 * `expires`, with the id `id` (MB_SIGNED_ID_LEN bytes), with `key`.
 * NULL for a bad prefix or expiry, or when OpenSSL fails.
 * l->prefix_len is set from the prefix. */
const char *mb_signed_link_make(apr_pool_t *p, const mb_hmac_key *key,
                                const char *prefix, apr_int64_t expires,
                                const unsigned char *id, mb_signed_link *l);

/* Does token `text` (len bytes) open `path` (NUL-terminated: the request's
 * path without "/s/<token>") at `now` under one of the nkeys `keys`
 * (NULL entries skipped)?  1 with *out filled, or 0 for every refusal
 * alike (malformed, altered, expired, another path, a path that is not
 * normalized). */
int mb_signed_link_verify(const char *text, apr_size_t len, const char *path,
                          const mb_hmac_key *const *keys, int nkeys,
                          apr_int64_t now, mb_signed_link *out);

/* Parse only (no signature check): 1 and *out filled when `text` has a
 * token's form (the one canonical spelling of its bytes), else 0. */
int mb_signed_link_parse(const char *text, apr_size_t len,
                         mb_signed_link *out);

/* Find the first "/s/<token>/" in the URL path `uri` (a segment "s", then
 * a segment of MB_SIGNED_TOKEN_LEN base64url characters, then more path).
 * 1 with *token (NUL-terminated copy) and *rest (the path with "/s/<token>"
 * taken out, starting with '/') allocated from p; 0 when there is none. */
int mb_signed_path_split(apr_pool_t *p, const char *uri, const char **token,
                         const char **rest);

/* The link's id as 16 lowercase hex digits. */
const char *mb_signed_link_id_hex(apr_pool_t *p, const mb_signed_link *l);

#endif /* MB_SIGNED_LINK_H */
