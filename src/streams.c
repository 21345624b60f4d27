/*
 * streams.c -- the stream table through mod_dbd's prepared statements
 * (schemas: conf/schema/sqlite/streams.sql, conf/schema/pgsql/streams.sql).
 *
 * Times are microseconds since the epoch (BIGINT) so that pages of the
 * list are cut exactly: (start_us, id) orders streams totally.
 */
#include "mb_api.h"

#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

#define COLS                                                                   \
    "id, owner, name, type, s3_path, is_live, start_us, "                      \
    "COALESCE(stop_us, 0)"

static const mb_dbd_stmt stream_stmts[] = {
    {"mb_stream_insert",
     "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live, "
     "start_us) VALUES (%s, %s, %s, %s, %s, 1, %lld)"},
    {"mb_stream_get", "SELECT " COLS " FROM mb_stream WHERE id = %s"},
    {"mb_stream_stop", "UPDATE mb_stream SET is_live = 0, stop_us = %lld "
                       "WHERE id = %s AND is_live = 1"},
    {"mb_stream_list", "SELECT " COLS " FROM mb_stream WHERE is_live = 1 "
                       "ORDER BY start_us DESC, id DESC LIMIT %d"},
    {"mb_stream_list_after",
     "SELECT " COLS " FROM mb_stream WHERE is_live = 1 "
     "AND (start_us < %lld OR (start_us = %lld AND id < %s)) "
     "ORDER BY start_us DESC, id DESC LIMIT %d"},
    {"mb_stream_list_owner",
     "SELECT " COLS " FROM mb_stream WHERE is_live = 1 AND owner = %s "
     "ORDER BY start_us DESC, id DESC LIMIT %d"},
    {"mb_stream_list_owner_after",
     "SELECT " COLS " FROM mb_stream WHERE is_live = 1 AND owner = %s "
     "AND (start_us < %lld OR (start_us = %lld AND id < %s)) "
     "ORDER BY start_us DESC, id DESC LIMIT %d"},
    {"mb_stream_count_live",
     "SELECT COUNT(*) FROM mb_stream WHERE is_live = 1 AND owner = %s"},
    {NULL, NULL}};

const char *mb_streams_require(cmd_parms *cmd)
{
    return mb_dbd_require(cmd, stream_stmts);
}

static int db_error(request_rec *r, ap_dbd_t *dbd, int rv, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, MBLOGNO(0301) "%s failed: %s",
                  what, apr_dbd_error(dbd->driver, dbd->handle, rv));
    return HTTP_SERVICE_UNAVAILABLE;
}

static apr_dbd_prepared_t *stmt(request_rec *r, ap_dbd_t *dbd,
                                const char *label)
{
    return mb_dbd_statement(r->server, dbd, label);
}

static const char *time_arg(apr_pool_t *p, apr_time_t t)
{
    return apr_psprintf(p, "%" APR_TIME_T_FMT, t);
}

int mb_stream_insert(request_rec *r, ap_dbd_t *dbd, const mb_stream *s)
{
    apr_dbd_prepared_t *st = stmt(r, dbd, "mb_stream_insert");
    int nrows = 0, rv;

    if (st == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    rv = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, &nrows, st, s->id,
                         s->owner, s->name ? s->name : "", s->type, s->s3_path,
                         time_arg(r->pool, s->start), NULL);
    if (rv != 0 || nrows != 1) {
        return db_error(r, dbd, rv, "insert of a stream");
    }
    return OK;
}

/* All rows of a select into mb_stream records. */
static int read_rows(request_rec *r, ap_dbd_t *dbd, apr_dbd_results_t *res,
                     apr_array_header_t *out)
{
    apr_dbd_row_t *row = NULL;
    int rv;

    while ((rv = apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1)) == 0) {
        mb_stream *s = apr_array_push(out);
        const char *v;

        s->id = apr_pstrdup(r->pool, apr_dbd_get_entry(dbd->driver, row, 0));
        s->owner = apr_pstrdup(r->pool, apr_dbd_get_entry(dbd->driver, row, 1));
        v = apr_dbd_get_entry(dbd->driver, row, 2);
        s->name = apr_pstrdup(r->pool, v ? v : "");
        s->type = apr_pstrdup(r->pool, apr_dbd_get_entry(dbd->driver, row, 3));
        s->s3_path =
            apr_pstrdup(r->pool, apr_dbd_get_entry(dbd->driver, row, 4));
        v = apr_dbd_get_entry(dbd->driver, row, 5);
        s->live = v && atoi(v) != 0;
        v = apr_dbd_get_entry(dbd->driver, row, 6);
        s->start = v ? apr_atoi64(v) : 0;
        v = apr_dbd_get_entry(dbd->driver, row, 7);
        s->stop = v ? apr_atoi64(v) : 0;
        /* the same row again: pgsql's sequential reading advances it */
    }
    return rv == -1 ? OK : db_error(r, dbd, rv, "reading streams");
}

int mb_stream_get(request_rec *r, ap_dbd_t *dbd, const char *id,
                  mb_stream **out)
{
    apr_dbd_prepared_t *st = stmt(r, dbd, "mb_stream_get");
    apr_dbd_results_t *res = NULL;
    apr_array_header_t *rows;
    int rv;

    if (st == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    rv = apr_dbd_pvselect(dbd->driver, r->pool, dbd->handle, &res, st, 0, id,
                          NULL);
    if (rv != 0) {
        return db_error(r, dbd, rv, "select of a stream");
    }
    rows = apr_array_make(r->pool, 1, sizeof(mb_stream));
    if ((rv = read_rows(r, dbd, res, rows)) != OK) {
        return rv;
    }
    if (rows->nelts == 0) {
        return HTTP_NOT_FOUND;
    }
    *out = &APR_ARRAY_IDX(rows, 0, mb_stream);
    return OK;
}

int mb_stream_stop(request_rec *r, ap_dbd_t *dbd, const char *id,
                   apr_time_t when, int *nrows)
{
    apr_dbd_prepared_t *st = stmt(r, dbd, "mb_stream_stop");
    int rv;

    *nrows = 0;
    if (st == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    rv = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, nrows, st,
                         time_arg(r->pool, when), id, NULL);
    return rv == 0 ? OK : db_error(r, dbd, rv, "stop of a stream");
}

int mb_stream_list(request_rec *r, ap_dbd_t *dbd, const char *owner,
                   const mb_stream *after, int limit, apr_array_header_t **out)
{
    static const char *const labels[2][2] = {
        {"mb_stream_list", "mb_stream_list_after"},
        {"mb_stream_list_owner", "mb_stream_list_owner_after"}};
    apr_dbd_prepared_t *st;
    apr_dbd_results_t *res = NULL;
    const char *lim = apr_itoa(r->pool, limit);
    const char *args[6];
    int rv, n = 0;

    st = stmt(r, dbd, labels[owner != NULL][after != NULL]);
    if (st == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (owner) {
        args[n++] = owner;
    }
    if (after) {
        const char *t = time_arg(r->pool, after->start);
        args[n++] = t;
        args[n++] = t;
        args[n++] = after->id;
    }
    args[n++] = lim;
    rv = apr_dbd_pselect(dbd->driver, r->pool, dbd->handle, &res, st, 0, n,
                         args);
    if (rv != 0) {
        return db_error(r, dbd, rv, "list of streams");
    }
    *out = apr_array_make(r->pool, limit, sizeof(mb_stream));
    return read_rows(r, dbd, res, *out);
}

int mb_stream_count_live(request_rec *r, ap_dbd_t *dbd, const char *owner,
                         int *count)
{
    apr_dbd_prepared_t *st = stmt(r, dbd, "mb_stream_count_live");
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL;
    int rv;

    *count = 0;
    if (st == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    rv = apr_dbd_pvselect(dbd->driver, r->pool, dbd->handle, &res, st, 0,
                          owner, NULL);
    if (rv != 0) {
        return db_error(r, dbd, rv, "count of live streams");
    }
    /* one row; read to the end so that the statement is done with */
    while ((rv = apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1)) == 0) {
        v = apr_dbd_get_entry(dbd->driver, row, 0);
        *count = v ? atoi(v) : 0;
    }
    return rv == -1 ? OK : db_error(r, dbd, rv, "count of live streams");
}
