/*
 * dirconf.h -- the per-directory configuration of mod_broadcast: its
 * creation, its merging and the directives of broadcast-video.
 */
#ifndef MB_DIRCONF_H
#define MB_DIRCONF_H

#include "mb_private.h"

/* The live broadcast API's settings (src/api/api.h). */
typedef struct mb_api_conf mb_api_conf;

typedef struct {
    const char *video_root;       /* BroadcastVideoRoot: query mode      */
    const char *video_root_real;  /* its canonical path, when it exists  */
    const char *dir_path;         /* the <Directory> this config is for  */
    const char *path_param;       /* BroadcastPathParam                  */
    apr_off_t max_chunk;          /* BroadcastMaxChunk, 0 = no cap       */
    int watch_log;                /* BroadcastWatchLog On/Off (MB_UNSET) */
    const char *live_root;        /* BroadcastLiveRoot (canonical)       */
    apr_off_t live_max_upload;    /* BroadcastLiveMaxUpload              */
    apr_off_t live_quota;         /* BroadcastLiveQuota, 0 = none        */
    int live_max_segments;        /* BroadcastLiveMaxSegments (MB_UNSET) */
    int live_sync;                /* BroadcastLiveSync On/Off (MB_UNSET) */
    const char *player_script;    /* BroadcastPlayerScript               */
    const char *live_url;         /* BroadcastLiveURL                    */
    mb_api_conf *api;             /* broadcast-api (src/api_config.c)    */
} mb_dir_conf;

void *mb_create_dir_conf(apr_pool_t *p, char *dir);
void *mb_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
int mb_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                   server_rec *s);

const char *mb_cmd_video_root(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_path_param(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_max_chunk(cmd_parms *cmd, void *dcfg, const char *arg);

#define MB_DEFAULT_PATH_PARAM "path"
#define MB_DEFAULT_MAX_CHUNK ((apr_off_t)8 * 1024 * 1024)

#endif /* MB_DIRCONF_H */
