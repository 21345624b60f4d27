/*
 * api/api_int.h -- what the files of the broadcast-api handler share, and
 * no other folder uses: the JSON answers (src/api/handler.c), the S3
 * credentials from STS (src/api/credentials.c) and the endpoints
 * (src/api/start.c, src/api/streams.c).
 */
#ifndef MB_API_INT_H
#define MB_API_INT_H

#include "api/api.h"
#include "mb_json.h"
#include "mb_sts.h"

/* ---- answers (handler.c) ---------------------------------------------- */

/* body as the answer, with Cache-Control: no-store.  OK, or 500 when it
 * cannot be serialised. */
int mb_api_send_json(request_rec *r, int status, const mb_json *body);

/* {"error": {"code", "message"}} */
int mb_api_error(request_rec *r, int status, const char *code,
                 const char *message);

/* The error answer for a status from a helper (mb_stream_*, params). */
int mb_api_status_error(request_rec *r, int status);

/* 500 "misconfigured"; why is logged only. */
int mb_api_misconfigured(request_rec *r, const char *why);

/* 400 "bad_parameter" with this message (logged at info). */
int mb_api_bad_param(request_rec *r, const char *message);

/* {"id", "name", "start_date"[, "stop_date"]} set into j */
void mb_api_stream_json(request_rec *r, mb_json *j, const mb_stream *s,
                        int with_stop);

/* {"playlist_url", "player_url", "recording_url"} set into j (absolute
 * URLs under BroadcastLiveURL; recording_url null while live) */
void mb_api_playback_json(request_rec *r, mb_json *j, const mb_stream *s);

/* {"stream": {...}, "playback": {...}} */
mb_json *mb_api_stream_body(request_rec *r, const mb_stream *s, int with_stop);

/* {"stream", "playback", "endpoint": {"HTTP": endpoint}} (local storage) */
int mb_api_send_local_endpoint(request_rec *r, const mb_stream *s,
                               const mb_json *endpoint);

/* ---- S3 credentials from STS (credentials.c) -------------------------- */

/* Fill the STS request from the configuration; NULL or why not. */
const char *mb_api_sts_conf(request_rec *r, const mb_api_conf *c,
                            mb_sts_conf *sc);

/* Temporary credentials for the stream's prefix.  OK with *creds, or
 * (*failed) the error answer already sent (returns its handler status). */
int mb_api_provision(request_rec *r, const mb_api_conf *c,
                     const mb_sts_conf *sc, const mb_stream *s,
                     mb_sts_creds *creds, int *failed);

/* {"stream", "playback", "endpoint": {"S3": {...}}} */
int mb_api_send_endpoint(request_rec *r, const mb_api_conf *c,
                         const mb_sts_conf *sc, const mb_stream *s,
                         const mb_sts_creds *creds);

/* ---- the endpoints (start.c, streams.c) -------------------------------- */

int mb_api_start(request_rec *r, const mb_api_conf *c);
int mb_api_stop(request_rec *r, const mb_api_conf *c);
int mb_api_refresh(request_rec *r, const mb_api_conf *c);
int mb_api_detail(request_rec *r, const mb_api_conf *c, const char *id);
int mb_api_list(request_rec *r, const mb_api_conf *c);

/* The stream named by `id`, checked: exists, owner (unless
 * BroadcastOwnerOnly Off).  OK with *out, or (*failed) the answer already
 * sent (src/api/streams.c). */
int mb_api_owned_stream(request_rec *r, const mb_api_conf *c, const char *id,
                        ap_dbd_t **dbd, mb_stream **out, int *failed);

/* {"stream": {... "visibility"}, "playback": {...}}: the answer of GET
 * <loc>/<id> (src/api/streams.c) */
int mb_api_send_detail(request_rec *r, const mb_stream *s);

/* POST <loc>/<id>/visibility (src/api/visibility.c) */
int mb_api_visibility(request_rec *r, const mb_api_conf *c, const char *id);

/* POST <loc>/<id>/viewer-link, POST <loc>/<id>/viewer-link/revoke
 * (src/api/viewer_link.c) */
int mb_api_viewer_link(request_rec *r, const mb_api_conf *c, const char *id);
int mb_api_viewer_revoke(request_rec *r, const mb_api_conf *c,
                         const char *id);

#endif /* MB_API_INT_H */
