/*
 * streams.c -- the stream table through mod_dbd's prepared statements
 * (schemas: conf/schema/sqlite/streams.sql, conf/schema/pgsql/streams.sql).
 *
 * Times are microseconds since the epoch (BIGINT) so that pages of the
 * list are cut exactly: (start_us, id) orders streams totally.
 */
#include "mb_private.h"
#include "db/streams.h"

#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

#define COLS                                                                   \
    "id, owner, name, type, s3_path, is_live, start_us, "                      \
    "COALESCE(stop_us, 0), visibility"

/* A page of a list, newest first; `where` filters (may be empty). */
#define LIST_SQL(where)                                                        \
    "SELECT " COLS " FROM mb_stream" where                                     \
    " ORDER BY start_us DESC, id DESC LIMIT %d"
#define OWNER "owner = %s"
#define AFTER "(start_us < %lld OR (start_us = %lld AND id < %s))"

static const mb_dbd_stmt stream_stmts[] = {
    {"mb_stream_insert",
     "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live, "
     "start_us, visibility) VALUES (%s, %s, %s, %s, %s, 1, %lld, %s)"},
    {"mb_stream_get", "SELECT " COLS " FROM mb_stream WHERE id = %s"},
    {"mb_stream_stop", "UPDATE mb_stream SET is_live = 0, stop_us = %lld "
                       "WHERE id = %s AND is_live = 1"},
    /* the lists: live, stopped (recordings) or all; everyone's or one
     * owner's; first page or after a cursor (start_us, id) */
    {"mb_stream_list", LIST_SQL(" WHERE is_live = 1")},
    {"mb_stream_list_after", LIST_SQL(" WHERE is_live = 1 AND " AFTER)},
    {"mb_stream_list_owner", LIST_SQL(" WHERE is_live = 1 AND " OWNER)},
    {"mb_stream_list_owner_after",
     LIST_SQL(" WHERE is_live = 1 AND " OWNER " AND " AFTER)},
    {"mb_stream_list_stopped", LIST_SQL(" WHERE is_live = 0")},
    {"mb_stream_list_stopped_after", LIST_SQL(" WHERE is_live = 0 AND " AFTER)},
    {"mb_stream_list_stopped_owner", LIST_SQL(" WHERE is_live = 0 AND " OWNER)},
    {"mb_stream_list_stopped_owner_after",
     LIST_SQL(" WHERE is_live = 0 AND " OWNER " AND " AFTER)},
    {"mb_stream_list_all", LIST_SQL("")},
    {"mb_stream_list_all_after", LIST_SQL(" WHERE " AFTER)},
    {"mb_stream_list_all_owner", LIST_SQL(" WHERE " OWNER)},
    {"mb_stream_list_all_owner_after", LIST_SQL(" WHERE " OWNER " AND " AFTER)},
    {"mb_stream_count_live",
     "SELECT COUNT(*) FROM mb_stream WHERE is_live = 1 AND owner = %s"},
    {"mb_stream_visibility",
     "UPDATE mb_stream SET visibility = %s WHERE id = %s"},
    {NULL, NULL}};

const char *mb_streams_require(cmd_parms *cmd)
{
    return mb_dbd_require(cmd, stream_stmts);
}

static const char *time_arg(apr_pool_t *p, apr_time_t t)
{
    return apr_psprintf(p, "%" APR_TIME_T_FMT, t);
}

int mb_stream_insert(request_rec *r, ap_dbd_t *dbd, const mb_stream *s)
{
    const char *args[7];
    int nrows = 0, rv;

    args[0] = s->id;
    args[1] = s->owner;
    args[2] = s->name ? s->name : "";
    args[3] = s->type;
    args[4] = s->s3_path;
    args[5] = time_arg(r->pool, s->start);
    args[6] = s->is_private ? "private" : "public";
    rv = mb_dbd_rquery(r, dbd, "insert of a stream", "mb_stream_insert", 7,
                       args, &nrows);
    if (rv == OK && nrows != 1) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0301) "insert of a stream changed %d rows",
                      nrows);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return rv;
}

typedef struct {
    apr_pool_t *pool;
    apr_array_header_t *out;
} rows_ctx;

/* One row of a select into an mb_stream record (copied: an entry lives
 * only until the next row is read). */
static int stream_row(void *baton, const apr_dbd_driver_t *drv,
                      apr_dbd_row_t *row)
{
    rows_ctx *c = baton;
    mb_stream *s = apr_array_push(c->out);
    const char *v;

    s->id = apr_pstrdup(c->pool, apr_dbd_get_entry(drv, row, 0));
    s->owner = apr_pstrdup(c->pool, apr_dbd_get_entry(drv, row, 1));
    v = apr_dbd_get_entry(drv, row, 2);
    s->name = apr_pstrdup(c->pool, v ? v : "");
    s->type = apr_pstrdup(c->pool, apr_dbd_get_entry(drv, row, 3));
    s->s3_path = apr_pstrdup(c->pool, apr_dbd_get_entry(drv, row, 4));
    v = apr_dbd_get_entry(drv, row, 5);
    s->live = v && atoi(v) != 0;
    v = apr_dbd_get_entry(drv, row, 6);
    s->start = v ? apr_atoi64(v) : 0;
    v = apr_dbd_get_entry(drv, row, 7);
    s->stop = v ? apr_atoi64(v) : 0;
    v = apr_dbd_get_entry(drv, row, 8);
    s->is_private = v && !strcmp(v, "private");
    return s->id == NULL || s->owner == NULL;
}

int mb_stream_get(request_rec *r, ap_dbd_t *dbd, const char *id,
                  mb_stream **out)
{
    rows_ctx c;
    int rv;

    c.pool = r->pool;
    c.out = apr_array_make(r->pool, 1, sizeof(mb_stream));
    rv = mb_dbd_rselect(r, dbd, "select of a stream", "mb_stream_get", 1, &id,
                        stream_row, &c);
    if (rv != OK) {
        return rv;
    }
    if (c.out->nelts == 0) {
        return HTTP_NOT_FOUND;
    }
    *out = &APR_ARRAY_IDX(c.out, 0, mb_stream);
    return OK;
}

int mb_stream_stop(request_rec *r, ap_dbd_t *dbd, const char *id,
                   apr_time_t when, int *nrows)
{
    const char *args[2];

    *nrows = 0;
    args[0] = time_arg(r->pool, when);
    args[1] = id;
    return mb_dbd_rquery(r, dbd, "stop of a stream", "mb_stream_stop", 2, args,
                         nrows);
}

int mb_stream_list(request_rec *r, ap_dbd_t *dbd, mb_stream_state state,
                   const char *owner, const mb_stream *after, int limit,
                   apr_array_header_t **out)
{
    static const char *const labels[3][2][2] = {
        {{"mb_stream_list", "mb_stream_list_after"},
         {"mb_stream_list_owner", "mb_stream_list_owner_after"}},
        {{"mb_stream_list_stopped", "mb_stream_list_stopped_after"},
         {"mb_stream_list_stopped_owner",
          "mb_stream_list_stopped_owner_after"}},
        {{"mb_stream_list_all", "mb_stream_list_all_after"},
         {"mb_stream_list_all_owner", "mb_stream_list_all_owner_after"}}};
    const char *args[5];
    rows_ctx c;
    int n = 0;

    c.pool = r->pool;
    c.out = *out = apr_array_make(r->pool, limit, sizeof(mb_stream));
    if (owner) {
        args[n++] = owner;
    }
    if (after) {
        args[n] = args[n + 1] = time_arg(r->pool, after->start);
        n += 2;
        args[n++] = after->id;
    }
    args[n++] = apr_itoa(r->pool, limit);
    return mb_dbd_rselect(r, dbd, "list of streams",
                          labels[state][owner != NULL][after != NULL], n, args,
                          stream_row, &c);
}

int mb_stream_set_visibility(request_rec *r, ap_dbd_t *dbd, const char *id,
                             int is_private)
{
    const char *args[2];
    int nrows = 0, rv;

    args[0] = is_private ? "private" : "public";
    args[1] = id;
    rv = mb_dbd_rquery(r, dbd, "change of a stream's visibility",
                       "mb_stream_visibility", 2, args, &nrows);
    return rv == OK && nrows != 1 ? HTTP_NOT_FOUND : rv;
}

/* The one row of a COUNT(*). */
static int count_row(void *baton, const apr_dbd_driver_t *drv,
                     apr_dbd_row_t *row)
{
    const char *v = apr_dbd_get_entry(drv, row, 0);

    *(int *)baton = v ? atoi(v) : 0;
    return 0;
}

int mb_stream_count_live(request_rec *r, ap_dbd_t *dbd, const char *owner,
                         int *count)
{
    *count = 0;
    return mb_dbd_rselect(r, dbd, "count of live streams",
                          "mb_stream_count_live", 1, &owner, count_row, count);
}

/* ---- self-hosted live streams (broadcast-live, BroadcastStorage local) -- */

static const mb_dbd_stmt live_stmts[] = {
    {"mb_live_stream",
     "SELECT is_live, upload_token_hash, upload_expires_us FROM mb_stream "
     "WHERE id = %s"},
    {"mb_live_by_token",
     "SELECT id FROM mb_stream WHERE upload_token_hash = %s"},
    {"mb_live_insert",
     "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live, "
     "start_us, upload_token_hash, upload_expires_us, visibility) "
     "VALUES (%s, %s, %s, 'hls', '', 1, %lld, %s, %lld, %s)"},
    {"mb_live_token",
     "UPDATE mb_stream SET upload_token_hash = %s, upload_expires_us = %lld "
     "WHERE id = %s AND is_live = 1"},
    {NULL, NULL}};

const char *mb_streams_live_require(cmd_parms *cmd)
{
    return mb_dbd_require(cmd, live_stmts);
}

typedef struct {
    apr_pool_t *pool;
    mb_stream_upload *out;
    int found;
} upload_ctx;

/* The row of mb_live_stream (copied: an entry lives only until the next
 * row is read). */
static int upload_row(void *baton, const apr_dbd_driver_t *drv,
                      apr_dbd_row_t *row)
{
    upload_ctx *c = baton;
    const char *v;

    v = apr_dbd_get_entry(drv, row, 0);
    c->out->live = v && (v[0] == '1' || v[0] == 't');
    v = apr_dbd_get_entry(drv, row, 1);
    c->out->token_hash = v ? apr_pstrdup(c->pool, v) : NULL;
    v = apr_dbd_get_entry(drv, row, 2);
    c->out->expires = v ? apr_atoi64(v) : 0;
    c->found = 1;
    return 0;
}

int mb_stream_upload_get(request_rec *r, ap_dbd_t *dbd, const char *id,
                         mb_stream_upload *out)
{
    upload_ctx c;
    int rv;

    c.pool = r->pool;
    c.out = out;
    c.found = 0;
    rv = mb_dbd_rselect(r, dbd, "stream lookup", "mb_live_stream", 1, &id,
                        upload_row, &c);
    if (rv != OK) {
        return rv;
    }
    return c.found ? OK : HTTP_NOT_FOUND;
}

typedef struct {
    const char *id;
    int other;
} other_ctx;

static int other_row(void *baton, const apr_dbd_driver_t *drv,
                     apr_dbd_row_t *row)
{
    other_ctx *c = baton;
    const char *sid = apr_dbd_get_entry(drv, row, 0);

    c->other |= sid && strcmp(sid, c->id) != 0;
    return 0;
}

int mb_stream_token_elsewhere(request_rec *r, ap_dbd_t *dbd,
                              const char *hash, const char *id, int *other)
{
    other_ctx c;
    int rv;

    c.id = id;
    c.other = 0;
    rv = mb_dbd_rselect(r, dbd, "token lookup", "mb_live_by_token", 1, &hash,
                        other_row, &c);
    *other = c.other;
    return rv;
}

int mb_stream_insert_local(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *owner, const char *name,
                           apr_time_t start, int is_private,
                           const char *token_hash, apr_time_t expires)
{
    const char *args[7];
    int nrows = 0, rv;

    args[0] = id;
    args[1] = owner;
    args[2] = name;
    args[3] = time_arg(r->pool, start);
    args[4] = token_hash;
    args[5] = time_arg(r->pool, expires);
    args[6] = is_private ? "private" : "public";
    rv = mb_dbd_rquery(r, dbd, "recording a stream", "mb_live_insert", 7, args,
                       &nrows);
    if (rv == OK && nrows != 1) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0721) "cannot record stream %s: no row", id);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return rv;
}

int mb_stream_renew_token(request_rec *r, ap_dbd_t *dbd, const char *id,
                          const char *token_hash, apr_time_t expires,
                          int *nrows)
{
    const char *args[3];

    *nrows = 0;
    args[0] = token_hash;
    args[1] = time_arg(r->pool, expires);
    args[2] = id;
    return mb_dbd_rquery(r, dbd, "renewing an upload token", "mb_live_token",
                         3, args, nrows);
}

/* ---- the status page's read of the table (src/status/) ----------------- */

#define SQL_LIVE_STREAMS                                                  \
    "SELECT id, name, owner, start_us FROM mb_stream WHERE is_live = 1 "  \
    "ORDER BY start_us DESC, id LIMIT 100"

int mb_stream_list_live_unprepared(apr_pool_t *p, ap_dbd_t *dbd,
                                   apr_array_header_t **out,
                                   const char **why)
{
    const apr_dbd_driver_t *drv = dbd->driver;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rc;

    *out = apr_array_make(p, 4, sizeof(mb_stream));
    /* random access: a failure is reported here, not as no rows */
    rc = apr_dbd_select(drv, p, dbd->handle, &res, SQL_LIVE_STREAMS, 1);
    if (rc != 0) {
        *why = apr_dbd_error(drv, dbd->handle, rc);
        return rc;
    }
    while (apr_dbd_get_row(drv, p, res, &row, -1) == 0) {
        mb_stream *s = apr_array_push(*out);
        const char *v;

        memset(s, 0, sizeof(*s));
        s->id = apr_pstrdup(p, apr_dbd_get_entry(drv, row, 0));
        s->name = apr_pstrdup(p, apr_dbd_get_entry(drv, row, 1));
        s->owner = apr_pstrdup(p, apr_dbd_get_entry(drv, row, 2));
        v = apr_dbd_get_entry(drv, row, 3);
        s->start = v ? apr_atoi64(v) : 0;
        s->live = 1;
    }
    return 0;
}
