/*
 * watch/queue.h -- what the files of the watch log share (not for other
 * folders: their interface is src/watch/watch.h):
 *
 *   directives.c  the process-wide settings and their defaults
 *   record.c      marks a request and puts its row in the queue
 *   queue.c       the queue of one child process and its writer thread
 *   sql.c         the writer's SQL: the inserts, in one transaction
 */
#ifndef MB_WATCH_QUEUE_H
#define MB_WATCH_QUEUE_H

#include "mb_private.h"

#include <apr_pools.h>
#include <apr_time.h>

/* ---- the process-wide settings (main server; src/watch/directives.c) -- */

typedef struct {
    int used;                        /* some BroadcastWatchLog On        */
    int queue_max;                   /* BroadcastWatchLogQueue: rows     */
    apr_interval_time_t flush_wait;  /* BroadcastWatchLogFlush           */
    apr_interval_time_t report_every; /* BroadcastWatchLogReport         */
} mb_watch_settings;

/* The settings of this configuration (the defaults until a directive
 * changes one). */
const mb_watch_settings *mb_watch_settings_get(void);

/* ---- a row, and a batch of them ---------------------------------------- */

typedef struct watch_row {
    struct watch_row *next;
    server_rec *s;              /* whose database; NULL once handled */
    apr_int64_t time_us;
    apr_off_t bytes;
    int status, auth;
    const char *method, *path, *stream, *user, *ip, *range, *ua;
    const char *token_id;       /* of the viewer link served, or NULL */
} watch_row;

typedef struct {
    apr_pool_t *pool;
    watch_row *head, *tail;
    int count;
    apr_time_t first;           /* when its first row arrived */
} watch_batch;

/* ---- the queue of this child (src/watch/queue.c) ----------------------- */

/* Whether this child has a running writer. */
int mb_watch_queue_ready(void);

/* Take the queue's lock and return the pool of the batch being filled,
 * where the caller allocates one row and its strings; or, when the queue
 * is full or the process stops, count the row as dropped, release the
 * lock and return NULL.  Never waits for the database. */
apr_pool_t *mb_watch_queue_open(void);

/* Append `row` (from that pool) to the batch, wake the writer when it is
 * due, and release the lock. */
void mb_watch_queue_append(watch_row *row);

/* ---- the writer's SQL (src/watch/sql.c) --------------------------------- */

/* From BroadcastWatchLog On: the writer's statements prepared for
 * cmd->server. */
const char *mb_watch_sql_require(cmd_parms *cmd);

/* Write the rows of server `s` in `b` in one transaction, and mark them
 * handled (row->s = NULL).  Returns the number written, and sets *n_rows
 * (the rows of `s`) and, on failure, *why (pool of `b`). */
int mb_watch_write_rows(watch_batch *b, server_rec *s, int *n_rows,
                        const char **why);

#endif /* MB_WATCH_QUEUE_H */
