/*
 * streams.h -- the stream table, mb_stream: every statement on it is in
 * src/db/streams.c (schemas: conf/schema/<engine>/streams.sql).
 */
#ifndef MB_STREAMS_H
#define MB_STREAMS_H

#include "db/dbd.h"

#include <apr_time.h>
#include <apr_tables.h>

typedef struct {
    const char *id;
    const char *owner;
    const char *name;
    const char *type;
    const char *s3_path;
    int live;
    apr_time_t start;
    apr_time_t stop; /* 0 while live */
    int is_private;  /* visibility 'private' (else 'public') */
} mb_stream;

/* Prepare the stream statements for cmd->server (from the directives that
 * enable the API). */
const char *mb_streams_require(cmd_parms *cmd);

/* Each returns OK, HTTP_NOT_FOUND (get) or HTTP_SERVICE_UNAVAILABLE
 * (database error, logged). */
int mb_stream_insert(request_rec *r, ap_dbd_t *dbd, const mb_stream *s);
int mb_stream_get(request_rec *r, ap_dbd_t *dbd, const char *id,
                  mb_stream **out);
int mb_stream_stop(request_rec *r, ap_dbd_t *dbd, const char *id,
                   apr_time_t when, int *nrows);
/* Stream `id` made private (is_private 1) or public: OK, HTTP_NOT_FOUND
 * (no such row) or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_stream_set_visibility(request_rec *r, ap_dbd_t *dbd, const char *id,
                             int is_private);
/* Which streams a list holds: the live ones, the stopped ones (the
 * recordings), or all. */
typedef enum {
    MB_STREAMS_LIVE = 0,
    MB_STREAMS_STOPPED = 1,
    MB_STREAMS_ALL = 2
} mb_stream_state;

/* A page of the streams in `state`, newest first (by start, then id), at
 * most `limit`, those after the cursor `after` (NULL: from the first);
 * only `owner`'s unless NULL. */
int mb_stream_list(request_rec *r, ap_dbd_t *dbd, mb_stream_state state,
                   const char *owner, const mb_stream *after, int limit,
                   apr_array_header_t **out);
/* How many live streams `owner` has. */
int mb_stream_count_live(request_rec *r, ap_dbd_t *dbd, const char *owner,
                         int *count);

/* ---- self-hosted live streams (broadcast-live, BroadcastStorage local) ---
 * The upload token of a local stream: only its hex SHA-256 is stored
 * (upload_token_hash), with its end of life (upload_expires_us). */

/* Prepare the live statements for cmd->server (from BroadcastLiveRoot). */
const char *mb_streams_live_require(cmd_parms *cmd);

typedef struct {
    int live;
    const char *token_hash; /* NULL when none */
    apr_time_t expires;     /* the token's end of life */
} mb_stream_upload;

/* The upload side of stream `id`: OK, HTTP_NOT_FOUND, or
 * HTTP_SERVICE_UNAVAILABLE (database error, logged). */
int mb_stream_upload_get(request_rec *r, ap_dbd_t *dbd, const char *id,
                         mb_stream_upload *out);
/* Whether a stream other than `id` has the token `hash` (*other 1 or 0):
 * OK or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_stream_token_elsewhere(request_rec *r, ap_dbd_t *dbd,
                              const char *hash, const char *id, int *other);
/* A new live stream of type hls stored here, with its token: OK or
 * HTTP_SERVICE_UNAVAILABLE (logged; also when no row was inserted). */
int mb_stream_insert_local(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *owner, const char *name,
                           apr_time_t start, int is_private,
                           const char *token_hash, apr_time_t expires);
/* A new token for stream `id` while it is live: *nrows 1, or 0 when it is
 * not (any more); OK or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_stream_renew_token(request_rec *r, ap_dbd_t *dbd, const char *id,
                          const char *token_hash, apr_time_t expires,
                          int *nrows);

/* ---- the status page's read of the table (src/status/) ----------------- */

/* The live streams, newest first, at most 100: id, name, owner and start
 * of each (a NULL column stays NULL, a NULL start is 0), in pool `p`.
 * A plain SELECT rather than a prepared statement: on a database without
 * the mb_stream table (a server without the API) only this read fails,
 * where a statement prepared on a missing table would make mod_dbd refuse
 * every connection.  0, or the driver's error code with *why (its
 * message). */
int mb_stream_list_live_unprepared(apr_pool_t *p, ap_dbd_t *dbd,
                                   apr_array_header_t **out,
                                   const char **why);

#endif /* MB_STREAMS_H */
