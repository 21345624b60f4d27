/*
 * watch/watch.h -- the watch log: one database row per request answered by
 * a playback handler, written in batches by a background thread of each
 * child process.  Its files: directives.c (the directives and the
 * writer's settings), record.c (the hooks that mark and record a request),
 * queue.c (the queue of a child and its writer thread), sql.c (the
 * writer's SQL).  The broadcast-status page that reads it: src/status/.
 */
#ifndef MB_WATCH_H
#define MB_WATCH_H

#include "config/dirconf.h"

/* A playback handler that knows the live stream a file belongs to sets
 * this note (r->notes) to the stream's id; the row records it. */
#define MB_NOTE_STREAM_ID "mb-stream-id"

/* Without that note, the environment variable BROADCAST_STREAM_ID (set by
 * the configuration: SetEnv, SetEnvIf, RewriteRule [E=]) names it. */
#define MB_ENV_STREAM_ID "BROADCAST_STREAM_ID"

/* Longest user agent and path kept in a row (bytes). */
#define MB_WATCH_MAX_UA   255
#define MB_WATCH_MAX_PATH 4096

/* Directives (src/watch/directives.c). */
const char *mb_cmd_watch_log(cmd_parms *cmd, void *dcfg, int on);
const char *mb_cmd_watch_queue(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_watch_flush(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_watch_report(cmd_parms *cmd, void *dcfg,
                                const char *arg);

/* The watch log's lines of the module's command table (mod_broadcast.c).
 * Each entry's flags follow its NULL on one line: t/docs/directives.t
 * reads them up to the comma, and a line continuation inside them would
 * be read as part of them. */
#define MB_WATCH_DIRECTIVES                                                  \
    AP_INIT_FLAG("BroadcastWatchLog", mb_cmd_watch_log,                      \
                 NULL, RSRC_CONF | ACCESS_CONF,                              \
                 "Record every playback request in the watch log through "   \
                 "mod_dbd (default Off)"),                                   \
    AP_INIT_TAKE1("BroadcastWatchLogQueue", mb_cmd_watch_queue,              \
                  NULL, RSRC_CONF,                                           \
                  "Most watch log rows a child process holds in memory "     \
                  "before it drops new ones (default 10000)"),               \
    AP_INIT_TAKE1("BroadcastWatchLogFlush", mb_cmd_watch_flush,              \
                  NULL, RSRC_CONF,                                           \
                  "Milliseconds a watch log row may wait to be written "     \
                  "with others in one transaction (default 500)"),           \
    AP_INIT_TAKE1("BroadcastWatchLogReport", mb_cmd_watch_report,            \
                  NULL, RSRC_CONF,                                           \
                  "Seconds between two error log reports of dropped watch "  \
                  "log rows (default 60)")

/* Hooks. */
int mb_watch_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                        apr_pool_t *ptemp);                /* directives.c */
void mb_watch_register_filter(void);                       /* record.c     */
int mb_watch_mark(request_rec *r);  /* handler, REALLY_FIRST; record.c     */
int mb_watch_log_transaction(request_rec *r);              /* record.c     */
void mb_watch_child_init(apr_pool_t *pchild, server_rec *s); /* queue.c    */

#endif /* MB_WATCH_H */
