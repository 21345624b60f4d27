/*
 * live.h -- self-hosted live broadcasting: HLS ingest over HTTP PUT into
 * BroadcastLiveRoot/<stream id>/, and playback of it (handler
 * broadcast-live): what the rest of the module uses.  The live files share
 * more through src/live/live_int.h.
 */
#ifndef MB_LIVE_H
#define MB_LIVE_H

#include "config/dirconf.h"
#include "db/dbd.h"
#include "mb_json.h"

#define MB_LIVE_JOURNAL ".journal"
/* the largest playlist a broadcaster may upload (it is read whole) */
#define MB_LIVE_MAX_PLAYLIST ((apr_off_t)4 * 1024 * 1024)

/* ---- the directives (src/live/directives.c) ------------------------- */

const char *mb_cmd_live_root(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_live_max_upload(cmd_parms *cmd, void *dcfg,
                                   const char *arg);
const char *mb_cmd_live_quota(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_live_max_segments(cmd_parms *cmd, void *dcfg,
                                     const char *arg);
const char *mb_cmd_live_url(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_player_script(cmd_parms *cmd, void *dcfg,
                                 const char *arg);
const char *mb_cmd_s3_endpoint(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_timeout(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_playback(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_presign_lifetime(cmd_parms *cmd, void *dcfg,
                                       const char *arg);

/* The live directives' lines of the module's command table
 * (mod_broadcast.c).  BroadcastLiveRoot also prepares the live statements
 * on the stream table (src/db/streams.c).  (Each directive's name and
 * handler share a line, and its flags the line of its data pointer, as
 * t/docs/directives.t reads them.) */
#define MB_LIVE_FIELD(f) ((void *)APR_OFFSETOF(mb_dir_conf, live.f))
#define MB_LIVE_DIRECTIVES                                                   \
    AP_INIT_TAKE1("BroadcastLiveRoot", mb_cmd_live_root,                     \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Directory of self-hosted live streams (one subdirectory " \
                  "per stream); needs mod_dbd"),                             \
    AP_INIT_TAKE1("BroadcastLiveMaxUpload", mb_cmd_live_max_upload,          \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Largest file a broadcaster may PUT (K/M/G; default 64M)"), \
    AP_INIT_TAKE1("BroadcastLiveQuota", mb_cmd_live_quota,                   \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Most bytes the files of one live stream may hold "        \
                  "(K/M/G; default 16G; 0 for no limit)"),                   \
    AP_INIT_TAKE1("BroadcastLiveMaxSegments", mb_cmd_live_max_segments,      \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Most segments a live playlist, and a stream's recording, " \
                  "may list (default 50000)"),                               \
    AP_INIT_FLAG("BroadcastLiveSync", ap_set_flag_slot,                      \
                 MB_LIVE_FIELD(sync), RSRC_CONF | ACCESS_CONF,               \
                 "On (default): uploads, journals and recordings are synced " \
                 "to disk before they are renamed into place"),              \
    AP_INIT_TAKE1("BroadcastLiveURL", mb_cmd_live_url,                       \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Where broadcast-live is mounted, as a path or an absolute "\
                  "URL (default /live): upload and playlist URLs start so"), \
    AP_INIT_TAKE1("BroadcastPlayerScript", mb_cmd_player_script,             \
                  NULL, OR_FILEINFO,                                         \
                  "URL of hls.js for the player page (default "              \
                  "/broadcast-assets/hls.min.js)"),                          \
    AP_INIT_TAKE1("BroadcastS3Endpoint", mb_cmd_s3_endpoint,                 \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "S3 URL broadcast-live reads S3 streams from, path-style " \
                  "(default https://s3.REGION.amazonaws.com)"),              \
    AP_INIT_TAKE1("BroadcastS3Timeout", mb_cmd_s3_timeout,                   \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Seconds to connect to S3, and that one read from S3 may " \
                  "take in all (default 30)"),                               \
    AP_INIT_TAKE1("BroadcastS3Playback", mb_cmd_s3_playback,                 \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "proxy (default): S3 streams' files are read and sent by " \
                  "the module; redirect: segments go straight from S3"),     \
    AP_INIT_TAKE1("BroadcastS3PresignLifetime", mb_cmd_s3_presign_lifetime,  \
                  NULL, RSRC_CONF | ACCESS_CONF,                             \
                  "Seconds a pre-signed segment URL of BroadcastS3Playback " \
                  "redirect is valid (default 300)")

/* ---- the handler (src/live/handler.c) ------------------------------- */

int mb_live_handler(request_rec *r);

/* The child's curl share for reads of S3 streams (src/live/s3play.c). */
void mb_live_s3_child_init(apr_pool_t *pchild, server_rec *s);

/* ---- tokens and directories ------------------------------------------ */

/* Hex SHA-256 of an upload token, as stored in mb_stream.upload_token_hash
 * (src/live/token.c). */
const char *mb_live_token_hash(apr_pool_t *p, const char *token);

/* The stream's directory under the live root (src/live/start.c). */
const char *mb_live_dir(apr_pool_t *p, const char *live_root, const char *id);

/* ---- BroadcastStorage local, for the broadcast API (src/live/start.c) -- */

/* The absolute URL of stream `id` under BroadcastLiveURL, ending in "/"
 * (a path there is completed with the request's scheme and host): the
 * upload URL, and where every answer of the API says to watch it. */
const char *mb_live_stream_url(request_rec *r, const char *id);

/* Create the stream's directory and its row with a fresh upload token
 * (only its hash is stored).  OK with *endpoint = {"upload_url",
 * "upload_token", "expiration", "playlist_url"}; or HTTP_SERVICE_UNAVAILABLE
 * (database), HTTP_INSUFFICIENT_STORAGE, HTTP_INTERNAL_SERVER_ERROR
 * (misconfigured or I/O; logged).  Nothing is left behind on failure. */
int mb_live_start(request_rec *r, ap_dbd_t *dbd, const char *id,
                  const char *owner, const char *name, apr_time_t start,
                  int is_private, int lifetime, mb_json **endpoint);

/* A new token for a live stream (the old one stops working).  OK,
 * HTTP_CONFLICT when the stream is no longer live, or another status. */
int mb_live_refresh(request_rec *r, ap_dbd_t *dbd, const char *id,
                    int lifetime, mb_json **endpoint);

/* Does this server hold the directory of stream `id` under its
 * BroadcastLiveRoot?  1, or 0 after logging why not (once): servers that
 * share a stream table must share the live root.  Ingest and stop refuse
 * with MB_LIVE_NOT_HERE (500 "misconfigured") then. */
int mb_live_dir_here(request_rec *r, const char *id);
#define MB_LIVE_NOT_HERE                                                     \
    "this server does not hold the stream's files: all servers need one "   \
    "shared BroadcastLiveRoot"

/* After stop: the recording playlist (errors are logged). */
void mb_live_finish(request_rec *r, const char *id);

/* After stop of an S3 stream whose objects are under `prefix`: unless
 * the broadcaster uploaded a vod.m3u8 there, one made of the segments of
 * its index.m3u8 that are listed is PUT (src/live/s3rec.c).  Never fails
 * the stop: a recording not written is logged once. */
void mb_live_s3_finish(request_rec *r, const char *id, const char *prefix);

/* At stop, under the stream's journal lock (src/live/journal.c): the recording
 * of every media playlist from its journal, keeping the segments still
 * present: vod.m3u8 for a single one; else vod.<name> for each and a
 * master vod.m3u8 (from the uploaded master playlist, or made up).  Synced
 * when sync.  APR_SUCCESS, or the error (logged by caller); a journal that
 * cannot be read leaves the recordings as they were. */
apr_status_t mb_live_write_vod(apr_pool_t *p, const char *dir, int sync);

#endif /* MB_LIVE_H */
