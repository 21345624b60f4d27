/*
 * viewer_links.c -- the revoked viewer links through mod_dbd's prepared
 * statements (schema: conf/schema/<engine>/streams.sql, mb_viewer_revoked).
 * The token id "*" stands for every link of the stream issued up to
 * revoked_us (revoke all; a token id is otherwise 32 hex digits).
 */
#include "mb_private.h"
#include "db/viewer_links.h"

#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

static const mb_dbd_stmt link_stmts[] = {
    /* SQLite (3.24+) and PostgreSQL both know ON CONFLICT */
    {"mb_viewer_revoke",
     "INSERT INTO mb_viewer_revoked (stream_id, token_id, revoked_us) "
     "VALUES (%s, %s, %lld) ON CONFLICT (stream_id, token_id) DO NOTHING"},
    {"mb_viewer_revoke_all",
     "INSERT INTO mb_viewer_revoked (stream_id, token_id, revoked_us) "
     "VALUES (%s, '*', %lld) ON CONFLICT (stream_id, token_id) "
     "DO UPDATE SET revoked_us = excluded.revoked_us"},
    /* the link's own row and the stream's "*" row: two keys of the
     * primary key */
    {"mb_viewer_revoked",
     "SELECT token_id, revoked_us FROM mb_viewer_revoked "
     "WHERE stream_id = %s AND token_id IN (%s, '*')"},
    {NULL, NULL}};

const char *mb_viewer_links_require(cmd_parms *cmd)
{
    return mb_dbd_require(cmd, link_stmts);
}

int mb_viewer_link_revoke(request_rec *r, ap_dbd_t *dbd, const char *id,
                          const char *token_id)
{
    const char *args[3];
    int nrows = 0;

    args[0] = id;
    args[1] = token_id;
    args[2] = apr_psprintf(r->pool, "%" APR_TIME_T_FMT, apr_time_now());
    return mb_dbd_rquery(r, dbd, "revoking a viewer link", "mb_viewer_revoke",
                         3, args, &nrows);
}

int mb_viewer_links_revoke_all(request_rec *r, ap_dbd_t *dbd, const char *id,
                               apr_time_t when)
{
    const char *args[2];
    int nrows = 0;

    args[0] = id;
    args[1] = apr_psprintf(r->pool, "%" APR_TIME_T_FMT, when);
    return mb_dbd_rquery(r, dbd, "revoking all viewer links",
                         "mb_viewer_revoke_all", 2, args, &nrows);
}

/* A row: the link's own (revoked), or "*" (PostgreSQL pads CHAR(32) with
 * spaces: only the first character counts) with its time. */
static int revocation_row(void *baton, const apr_dbd_driver_t *drv,
                          apr_dbd_row_t *row)
{
    mb_viewer_revocation *out = baton;
    const char *tid = apr_dbd_get_entry(drv, row, 0);
    const char *us = apr_dbd_get_entry(drv, row, 1);

    if (tid != NULL && tid[0] == '*') {
        out->all_before = us ? apr_atoi64(us) : 0;
    }
    else {
        out->revoked = 1;
    }
    return 0;
}

int mb_viewer_link_revoked(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *token_id, mb_viewer_revocation *out)
{
    const char *args[2];

    out->revoked = 0;
    out->all_before = 0;
    args[0] = id;
    args[1] = token_id;
    return mb_dbd_rselect(r, dbd, "reading the revoked viewer links",
                          "mb_viewer_revoked", 2, args, revocation_row, out);
}
