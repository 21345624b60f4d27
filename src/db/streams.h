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
/* The live streams, newest first; only `owner`'s unless NULL. */
int mb_stream_list(request_rec *r, ap_dbd_t *dbd, const char *owner,
                   const mb_stream *after, int limit, apr_array_header_t **out);
/* How many live streams `owner` has. */
int mb_stream_count_live(request_rec *r, ap_dbd_t *dbd, const char *owner,
                         int *count);

#endif /* MB_STREAMS_H */
