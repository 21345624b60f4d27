/*
 * mb_watch.h -- the watch log: one database row per request answered by
 * a playback handler, written in batches by a background thread of each
 * child process (src/watch/watchlog.c); the broadcast-status page that
 * reads it is src/status/.
 */
#ifndef MB_WATCH_H
#define MB_WATCH_H

#include "config/dirconf.h"
#include "db/dbd.h"

/* A playback handler that knows the live stream a file belongs to sets
 * this note (r->notes) to the stream's id; the row records it. */
#define MB_NOTE_STREAM_ID "mb-stream-id"

/* Without that note, the environment variable BROADCAST_STREAM_ID (set by
 * the configuration: SetEnv, SetEnvIf, RewriteRule [E=]) names it. */
#define MB_ENV_STREAM_ID "BROADCAST_STREAM_ID"

/* Longest user agent and path kept in a row (bytes). */
#define MB_WATCH_MAX_UA   255
#define MB_WATCH_MAX_PATH 4096

/* The watch log writer's SQL, prepared for every server that uses
 * BroadcastWatchLog (with the status page's queries). */
extern const mb_dbd_stmt mb_watch_stmts[];

#define MB_SQL_WATCH_INSERT   "mb_watch_insert"
#define MB_SQL_WATCH_INSERT_MULTI "mb_watch_insert_multi"

/* Whether the failure `rc` of a prepared statement on `dbd` means that
 * the statement is gone and must be prepared again: a PostgreSQL session
 * that mod_dbd reconnected (PQreset) lost its statements; SQLite's die at
 * any change of the schema. */
int mb_watch_stmt_lost(ap_dbd_t *dbd, int rc);

/* Prepare the watch log's statement `label` again on `dbd`, the session
 * that lost it and will run it (logged).  0 or -1. */
int mb_watch_reprepare(server_rec *s, ap_dbd_t *dbd, const char *label);

/* Directives. */
const char *mb_cmd_watch_log(cmd_parms *cmd, void *dcfg, int on);
const char *mb_cmd_watch_queue(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_watch_flush(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_watch_report(cmd_parms *cmd, void *dcfg,
                                const char *arg);

/* Hooks. */
int mb_watch_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                        apr_pool_t *ptemp);
void mb_watch_register_filter(void);
int mb_watch_mark(request_rec *r);            /* handler, REALLY_FIRST */
int mb_watch_log_transaction(request_rec *r);
void mb_watch_child_init(apr_pool_t *pchild, server_rec *s);

#endif /* MB_WATCH_H */
