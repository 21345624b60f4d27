/*
 * status/status.h -- the broadcast-status page: what the watch log says, as
 * an HTML page for operators or as JSON (?format=json).  Its files:
 * handler.c (the handler), queries.c (its SQL and the data it reads),
 * json.c and html.c (the two renderings of that data, src/status/data.h).
 */
#ifndef MB_STATUS_H
#define MB_STATUS_H

#include <httpd.h>
#include <http_config.h>

/* The handler (broadcast-status). */
int mb_status_handler(request_rec *r);

/* From BroadcastWatchLog On (src/watch/directives.c): the page's queries
 * prepared for cmd->server, whose watch log it reads. */
const char *mb_status_queries_require(cmd_parms *cmd);

#endif /* MB_STATUS_H */
