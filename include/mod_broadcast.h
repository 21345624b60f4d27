/*
 * mod_broadcast.h -- what the httpd-facing files of mod_broadcast share:
 * the module record, the per-directory configuration and the handlers.
 */
#ifndef MOD_BROADCAST_H
#define MOD_BROADCAST_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

/* The module record is the one symbol the .so exports: the module is
 * compiled with -fvisibility=hidden (Makefile), and AP_MODULE_DECLARE_DATA
 * is empty on Unix, so the record asks for default visibility itself. */
#if defined(__GNUC__)
#define MB_EXPORT __attribute__((visibility("default")))
#else
#define MB_EXPORT
#endif
extern module AP_MODULE_DECLARE_DATA MB_EXPORT broadcast_module;

/* Every log message of the module starts with its own tag; httpd's APLOGNO
 * numbers are reserved for httpd itself. */
#define MBLOGNO(n) "mod_broadcast MB" #n ": "

#define MB_UNSET (-1)

/* Client text quoted in a log line: at most MB_LOG_EXCERPT bytes of it,
 * escaped (ap_escape_logitem), "..." when cut (src/config.c). */
#define MB_LOG_EXCERPT 48
const char *mb_log_excerpt(apr_pool_t *p, const char *s);

/* The live broadcast API's settings (include/mb_api.h). */
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

/* Handlers (one per SetHandler name). */
int mb_video_handler(request_rec *r);

/* Send the open file `fd` (r->finfo filled from it, r->filename its name)
 * with Range, conditional requests and a file bucket; a single range is
 * cut at `cap` bytes (0: no cap).  Returns the handler's status. */
int mb_serve_file(request_rec *r, apr_file_t *fd, apr_off_t cap);

#define MB_HANDLER_VIDEO "broadcast-video"
#define MB_HANDLER_STATUS "broadcast-status"
#define MB_DEFAULT_PATH_PARAM "path"
#define MB_DEFAULT_MAX_CHUNK ((apr_off_t)8 * 1024 * 1024)

/* The output filter that applies BroadcastMaxChunk where httpd's byterange
 * filter cuts the range (src/video.c); called from the hook registration. */
void mb_video_register_filter(void);

#endif /* MOD_BROADCAST_H */
