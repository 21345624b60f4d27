/*
 * video.h -- the broadcast-video handler (video on demand over HTTP Range)
 * and the file sender the live playback shares with it.
 */
#ifndef MB_VIDEO_H
#define MB_VIDEO_H

#include "config/dirconf.h"

const char *mb_cmd_video_root(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_path_param(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_max_chunk(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_video_secret(cmd_parms *cmd, void *dcfg,
                                const char *current, const char *previous);

/* The directives of broadcast-video, for the module's command table
 * (mod_broadcast.c); handlers in src/video/directives.c, fields in
 * src/config/video.h.
 * t/docs/directives.t reads these lines: no line break just before an
 * entry's flags nor inside them. */
#define MB_VIDEO_DIRECTIVES                                                    \
    AP_INIT_TAKE1("BroadcastVideoRoot", mb_cmd_video_root,                     \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Directory the path query parameter is resolved in "         \
                  "(switches broadcast-video to query mode)"),                 \
    AP_INIT_TAKE1("BroadcastPathParam", mb_cmd_path_param, NULL, OR_FILEINFO,  \
                  "Name of the query parameter naming the file (default "      \
                  "'path')"),                                                  \
    AP_INIT_TAKE1("BroadcastMaxChunk", mb_cmd_max_chunk, NULL, OR_FILEINFO,    \
                  "Most bytes sent for one range (K/M/G suffix, 0 = no "       \
                  "cap; default 8M)"),                                         \
    AP_INIT_TAKE12("BroadcastVideoSecret", mb_cmd_video_secret,                \
                   NULL, RSRC_CONF | ACCESS_CONF,                              \
                   "env:NAME or file:PATH of the secret that signs links to "  \
                   "files (Require broadcast-signed), and optionally the "    \
                   "previous one (still accepted)")

/* Handlers (one per SetHandler name). */
int mb_video_handler(request_rec *r);

/* Send the open file `fd` (r->finfo filled from it, r->filename its name)
 * with Range, conditional requests and a file bucket; a single range is
 * cut at `cap` bytes (0: no cap).  Returns the handler's status. */
int mb_serve_file(request_rec *r, apr_file_t *fd, apr_off_t cap);

/* The media type of r->filename when mod_mime gave none, or Debian's
 * known-wrong one (.ts as Qt Linguist): the streaming types. */
void mb_video_set_content_type(request_rec *r);

/* The output filter that applies BroadcastMaxChunk where httpd's byterange
 * filter cuts the range (src/video/video.c); called from the hook
 * registration. */
void mb_video_register_filter(void);

/* ---- signed links (src/video/signed.c) -------------------------------- */

/* translate_name, first: <location>/s/<token>/<file> is the request for
 * <location>/<file>, the token kept for the check below (only where
 * BroadcastVideoSecret is set).  Always DECLINED. */
int mb_video_signed_translate(request_rec *r);

typedef enum {
    MB_SIGNED_NONE = 0,   /* the request came through no signed link      */
    MB_SIGNED_VALID,      /* a valid link for the request's path          */
    MB_SIGNED_REFUSED     /* a link that is not (expired, altered, another
                             path's, no secret here): logged once         */
} mb_signed_e;

/* The signed link of r checked against r's path and the secrets of its
 * location, once per request.  A valid link's id goes to r->notes
 * MB_NOTE_TOKEN_ID (the watch log records it). */
mb_signed_e mb_video_signed_check(request_rec *r);

#endif /* MB_VIDEO_H */
