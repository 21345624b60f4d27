/*
 * mb_s3get.h -- reading a stream's objects back from S3 for playback
 * (broadcast-live with BroadcastStorage S3): the object's URL (path-style),
 * the SigV4 parameter for libcurl, which viewer request headers go to S3,
 * which S3 answer headers come back, and the status the viewer gets for
 * S3's.  httpd-independent (APR only): the glue (src/live/s3play.c) runs
 * the transfer.
 */
#ifndef MB_S3GET_H
#define MB_S3GET_H

#include <apr_pools.h>

/* The SHA-256 of an empty body: the x-amz-content-sha256 of a GET/HEAD
 * (curl 7.88 does not add the header for S3). */
#define MB_S3_EMPTY_SHA256 \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* The path-style URL of object `key` of `bucket` at `endpoint` (its
 * trailing '/' ignored): each byte of the key outside [A-Za-z0-9-._~/] is
 * %XX-escaped (a '%' of the key too), as SigV4's canonical URI wants. */
const char *mb_s3_object_url(apr_pool_t *p, const char *endpoint,
                             const char *bucket, const char *key);

/* The key of file `name` of the stream whose prefix is `prefix` ("" and
 * NULL are no prefix: NULL is returned), e.g. "alice/<id>/index.m3u8". */
const char *mb_s3_object_key(apr_pool_t *p, const char *prefix,
                             const char *name);

/* CURLOPT_AWS_SIGV4's value for S3 in `region`: "aws:amz:REGION:s3". */
const char *mb_s3_sigv4_param(apr_pool_t *p, const char *region);

/* Whether the viewer's request header `name` is passed on to S3 (Range,
 * If-Range and the conditionals), compared without case. */
int mb_s3_forward_request_header(const char *name);

/* Whether S3's answer header `name` is passed back to the viewer (ETag,
 * Last-Modified, Content-Range), compared without case.  Content-Length
 * and Content-Type are the glue's. */
int mb_s3_forward_answer_header(const char *name);

/* What the viewer gets for S3's HTTP status. */
typedef enum {
    MB_S3GET_BODY = 0,    /* 200 or 206: the body follows, streamed    */
    MB_S3GET_NO_BODY,     /* 304 or 412: the status, headers, no body  */
    MB_S3GET_RANGE,       /* 416: with Content-Range bytes * /size     */
    MB_S3GET_NOT_FOUND,   /* 404: no such object                       */
    MB_S3GET_REFUSED      /* anything else: S3 refused, 502            */
} mb_s3get_e;

mb_s3get_e mb_s3_answer_kind(long s3_status);

/* S3's error code from its XML error document `doc` ("" if none, or if
 * it is not a short identifier): what the log may say of S3's refusal. */
const char *mb_s3_error_code(apr_pool_t *p, const char *doc);

#endif /* MB_S3GET_H */
