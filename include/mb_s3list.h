/*
 * mb_s3list.h -- the recording of an S3 stream (BroadcastStorage S3): the
 * ListObjectsV2 request of its prefix, the parser of S3's answer, and the
 * vod.m3u8 made at stop from its live playlist and the objects listed.
 * httpd-independent (APR, APR-util's apr_xml): the glue
 * (src/live/s3rec.c) runs the requests.
 */
#ifndef MB_S3LIST_H
#define MB_S3LIST_H

#include <apr_pools.h>
#include <apr_tables.h>

/* The most bytes of one ListObjectsV2 answer the module reads (1000 keys
 * of up to 1024 bytes each, with their XML). */
#define MB_S3_LIST_MAX_BYTES ((apr_size_t)4 * 1024 * 1024)

/* One object of a listing. */
typedef struct {
    const char *key;   /* the whole key, e.g. "alice/<id>/seg1.ts" */
    apr_int64_t size;  /* <Size>, -1 when absent or malformed      */
} mb_s3_object;

/* The query string of a ListObjectsV2 of `prefix` (after `token`, a
 * NextContinuationToken, when not NULL), written as SigV4's canonical
 * query wants it (parameters sorted, values %XX-escaped, '/' too), since
 * libcurl 7.88 signs the query as it is given. */
const char *mb_s3_list_query(apr_pool_t *p, const char *prefix,
                             const char *token);

/* Parse S3's ListBucketResult (ListObjectsV2): appends an mb_s3_object
 * for each <Contents> with a <Key> to *objs (created when NULL); *next is
 * the <NextContinuationToken> when <IsTruncated> is true, else NULL.
 * Returns 0, or -1 when the text is not XML, or not a ListBucketResult. */
int mb_s3_list_parse(apr_pool_t *p, const char *xml, apr_size_t len,
                     apr_array_header_t **objs, const char **next);

/* Whether object `name` (a plain file name) of the stream at `prefix` is
 * in `objs` (the listing of that prefix). */
int mb_s3_listed(const apr_array_header_t *objs, const char *prefix,
                 const char *name);

/* The recording playlist (VOD, #EXT-X-ENDLIST; mb_hls_vod_playlist's tags)
 * of a stream whose last live media playlist is `live` (len bytes): its
 * segments whose name -- and initialisation section's -- is a plain name
 * (mb_hls_check_name) listed under `prefix` in `objs`, in their order.
 * *kept is the number of segments kept.  NULL when `live` is not a media
 * playlist (not M3U, or a master playlist). */
const char *mb_s3_vod_playlist(apr_pool_t *p, const char *prefix,
                               const apr_array_header_t *objs,
                               const char *live, apr_size_t len, int *kept);

#endif /* MB_S3LIST_H */
