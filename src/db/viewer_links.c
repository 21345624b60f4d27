/*
 * viewer_links.c -- the revoked viewer links through mod_dbd's prepared
 * statements (schema: conf/schema/<engine>/streams.sql, mb_viewer_revoked).
 */
#include "mb_private.h"
#include "db/viewer_links.h"

#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

static const mb_dbd_stmt link_stmts[] = {
    /* SQLite (3.24+) and PostgreSQL both know ON CONFLICT DO NOTHING */
    {"mb_viewer_revoke",
     "INSERT INTO mb_viewer_revoked (stream_id, token_id, revoked_us) "
     "VALUES (%s, %s, %lld) ON CONFLICT (stream_id, token_id) DO NOTHING"},
    {"mb_viewer_revoked",
     "SELECT 1 FROM mb_viewer_revoked WHERE stream_id = %s AND token_id = %s"},
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

static int found_row(void *baton, const apr_dbd_driver_t *drv,
                     apr_dbd_row_t *row)
{
    (void)drv;
    (void)row;
    *(int *)baton = 1;
    return 0;
}

int mb_viewer_link_revoked(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *token_id, int *revoked)
{
    const char *args[2];

    *revoked = 0;
    args[0] = id;
    args[1] = token_id;
    return mb_dbd_rselect(r, dbd, "reading the revoked viewer links",
                          "mb_viewer_revoked", 2, args, found_row, revoked);
}
