/*
 * mb_s3.h -- where a stream's segments go and what its credentials may
 * do there: the per-stream prefix (BroadcastS3Path) and the least
 * privilege session policy.  httpd-independent (APR, jansson).
 */
#ifndef MB_S3_H
#define MB_S3_H

#include <apr_pools.h>

#define MB_S3_DEFAULT_PATH "%{user}/%{id}/"
#define MB_S3_MAX_PREFIX 512

/* Check a BroadcastS3Path template: only %{user} and %{id} variables,
 * %{id} required (every stream needs its own prefix), no leading '/', no
 * empty, "." or ".." segment, no '*', '?', '%' outside a variable, no
 * control characters.  Returns NULL, or why it is refused. */
const char *mb_s3_path_check(const char *tmpl);

/* A user name made safe for one key segment: bytes outside
 * [A-Za-z0-9._@=+-] and a leading '.' become %XX; never empty. */
const char *mb_s3_key_segment(apr_pool_t *p, const char *s);

/* Expand a checked template for (user, id); the result ends in '/'.
 * NULL when longer than MB_S3_MAX_PREFIX. */
const char *mb_s3_path_expand(apr_pool_t *p, const char *tmpl, const char *user,
                              const char *id);

/* A bucket name usable in an ARN: 1 to 255 of [A-Za-z0-9.-_]. */
int mb_s3_bucket_valid(const char *bucket);

/* The session policy, compact JSON (no spaces): PutObject, DeleteObject
 * and AbortMultipartUpload on arn:aws:s3:::BUCKET/PREFIX*, ListBucket on
 * arn:aws:s3:::BUCKET with an s3:prefix condition.  NULL on failure. */
const char *mb_s3_policy(apr_pool_t *p, const char *bucket, const char *prefix);

#endif /* MB_S3_H */
