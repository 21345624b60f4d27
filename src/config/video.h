/*
 * config/video.h -- the configuration of broadcast-video (and of the file
 * sender live playback shares with it): its fields, and accessors that
 * apply the defaults, each in one place (src/config/video.c).
 */
#ifndef MB_CONFIG_VIDEO_H
#define MB_CONFIG_VIDEO_H

#include <apr_pools.h>

typedef struct {
    const char *root;         /* BroadcastVideoRoot: query mode          */
    const char *root_real;    /* its canonical path, when it exists      */
    const char *path_param;   /* BroadcastPathParam (NULL: not set)      */
    apr_off_t max_chunk;      /* BroadcastMaxChunk (MB_UNSET), 0: no cap */
    /* BroadcastVideoSecret, resolved and keyed (include/mb_hmac_key.h):
     * [0] the current secret, [1] (or NULL) the previous one, still
     * accepted; keys[0] NULL: not set (no signed links) */
    const struct mb_hmac_key *keys[2];
} mb_video_conf;

void mb_video_conf_init(mb_video_conf *c);
void mb_video_conf_merge(mb_video_conf *c, const mb_video_conf *base,
                         const mb_video_conf *add);

/* BroadcastPathParam, default "path". */
const char *mb_video_path_param(const mb_video_conf *c);
/* BroadcastMaxChunk, default 8M; 0: no cap. */
apr_off_t mb_video_max_chunk(const mb_video_conf *c);

#endif /* MB_CONFIG_VIDEO_H */
