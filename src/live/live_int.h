/*
 * live_int.h -- what the files of the broadcast-live handler (src/live/)
 * share among themselves; the rest of the module uses src/live/live.h.
 *
 *   handler.c   the dispatch of a request, the JSON error answers
 *   token.c     upload tokens: creation, hash, the check of an upload's
 *   ingest.c    PUT (body to a temporary file, quota, placing) and DELETE
 *   playback.c  GET of playlists and segments, the player page
 *   s3play.c    GET of the same from the bucket (BroadcastStorage S3)
 *   s3redirect.c  BroadcastS3Playback redirect: pre-signed segment URLs
 *   s3rec.c     the recording of an S3 stream, written at its stop
 *   start.c     what the API's local storage calls (start, refresh, stop)
 *   directives.c  the live directives
 */
#ifndef MB_LIVE_INT_H
#define MB_LIVE_INT_H

#include "live/live.h"

/* The JSON error answer {"error":{"code","message"}} with `status` (fixed
 * ASCII texts only); returns OK (the answer is sent). */
int mb_live_error(request_rec *r, int status, const char *code,
                  const char *message);

/* The answer to an upload refused before its body was read: the rest of
 * the body is not read, the connection is closed after the answer.
 * Returns status. */
int mb_live_refuse_unread(request_rec *r, int status);

/* A fresh upload token (hex of 32 random bytes), or NULL if the CSPRNG
 * failed. */
const char *mb_live_new_token(apr_pool_t *p);

/* 401/403/409/503 for an upload to stream `id` (answered), or DECLINED
 * when its bearer token is the stream's, live and not expired. */
int mb_live_authorize_upload(request_rec *r, const char *id);

/* PUT and DELETE of the file `name` of the stream directory `dir`, once
 * authorized and the name checked. */
int mb_live_put(request_rec *r, const mb_dir_conf *conf, const char *dir,
                const char *name);
int mb_live_delete(request_rec *r, const char *dir, const char *name);

/* GET of the player page of stream `id`, and of its file `name`. */
int mb_live_player(request_rec *r, const mb_dir_conf *conf, const char *dir,
                   const char *id);
int mb_live_get(request_rec *r, const mb_dir_conf *conf, const char *dir,
                const char *name);
/* The player page of stream `id` playing its playlist `src` (a file name
 * of the stream: index.m3u8 or vod.m3u8). */
int mb_live_player_page(request_rec *r, const mb_dir_conf *conf,
                        const char *id, const char *src);

/* GET/HEAD of the file `name` of S3 stream `id`, read from its prefix in
 * the bucket (BroadcastStorage S3; src/live/s3play.c). */
int mb_live_s3_get(request_rec *r, const mb_dir_conf *conf, const char *id,
                   const char *name);
/* GET of the player page of S3 stream `id`: its live playlist while it is
 * live, its recording once stopped; 404 for no such S3 stream. */
int mb_live_s3_player(request_rec *r, const mb_dir_conf *conf,
                      const char *id);

/* BroadcastS3Playback redirect (src/live/s3redirect.c).  The object URL
 * `url` pre-signed for GET for BroadcastS3PresignLifetime seconds with
 * the module's keys, or NULL (logged). */
const char *mb_live_s3_presign(request_rec *r, const mb_dir_conf *conf,
                               const char *url);
/* The answer 302 to `url` pre-signed (or 500 if it cannot be). */
int mb_live_s3_redirect(request_rec *r, const mb_dir_conf *conf,
                        const char *url);
/* The validated playlist `text` (len bytes) read from the object `key`,
 * with every segment URI made the pre-signed URL of its object beside
 * `key`, put in place of the brigade `held`'s content, its length in
 * *len, S3's ETag removed from its answer headers `s3_headers` (it is not
 * this text's): DECLINED; or the 500 answer (logged) if a URI cannot be
 * signed. */
int mb_live_s3_presign_held(request_rec *r, const mb_dir_conf *conf,
                            const char *key, apr_bucket_brigade *held,
                            apr_table_t *s3_headers, const char *text,
                            apr_size_t *len);

#endif /* MB_LIVE_INT_H */
