/*
 * viewer_links.h -- the revoked viewer links, table mb_viewer_revoked:
 * every statement on it is in src/db/viewer_links.c (schema:
 * conf/schema/<engine>/streams.sql).
 */
#ifndef MB_VIEWER_LINKS_H
#define MB_VIEWER_LINKS_H

#include "db/dbd.h"

/* Prepare the statements for cmd->server (from BroadcastViewerSecret). */
const char *mb_viewer_links_require(cmd_parms *cmd);

/* Revoke link `token_id` of stream `id` (again: no change).  OK or
 * HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_viewer_link_revoke(request_rec *r, ap_dbd_t *dbd, const char *id,
                          const char *token_id);

/* Whether link `token_id` of stream `id` is revoked (*revoked 1 or 0):
 * OK or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_viewer_link_revoked(request_rec *r, ap_dbd_t *dbd, const char *id,
                           const char *token_id, int *revoked);

#endif /* MB_VIEWER_LINKS_H */
