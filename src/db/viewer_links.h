/*
 * viewer_links.h -- the revoked viewer links, table mb_viewer_revoked:
 * every statement on it is in src/db/viewer_links.c (schema:
 * conf/schema/<engine>/streams.sql).  A row names one link by its token
 * id, or, with the token id "*", every link of the stream issued up to
 * its time (revoke all).
 */
#ifndef MB_VIEWER_LINKS_H
#define MB_VIEWER_LINKS_H

#include "db/dbd.h"

#include <apr_time.h>

/* Prepare the statements for cmd->server (from BroadcastViewerSecret). */
const char *mb_viewer_links_require(cmd_parms *cmd);

/* Revoke link `token_id` of stream `id` (again: no change).  OK or
 * HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_viewer_link_revoke(request_rec *r, ap_dbd_t *dbd, const char *id,
                          const char *token_id);

/* Revoke every link of stream `id` issued up to `when` (again: the later
 * time holds).  OK or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_viewer_links_revoke_all(request_rec *r, ap_dbd_t *dbd, const char *id,
                               apr_time_t when);

/* What the table says of link `token_id` of a stream. */
typedef struct {
    int revoked;            /* this link is revoked                      */
    apr_time_t all_before;  /* every link issued up to then is (0: none) */
} mb_viewer_revocation;

/* The revocation of link `token_id` of stream `id` (one indexed read):
 * OK with *out, or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_viewer_link_revoked(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *token_id, mb_viewer_revocation *out);

#endif /* MB_VIEWER_LINKS_H */
