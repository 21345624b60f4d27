/*
 * mb_status_params.h -- the query parameters of the broadcast-status page:
 * validation, defaults, and the query strings of its links.
 * httpd-independent (APR only).
 *
 *   format=html|json   the page or the same data as JSON (default html)
 *   path=, user=, stream=, token_id=
 *                      filters of the log, the chart and the most watched
 *                      files (exact match; empty = no filter); token_id
 *                      is a viewer link's (32 hex digits): who watched
 *                      through which link
 *   page=N             page of the recent log, from 1 (at most 100000)
 *   per_page=N         rows per page, 1..500 (default 50)
 *   period=N           minutes the most watched files cover, 1..527040
 *                      (default 1440, a day)
 *   chart=N            minutes in the chart, 5..1440 (default 60)
 *   live=N             minutes that count a live stream's viewers, 1..1440
 *                      (default 5)
 * Unknown parameters are ignored; a malformed known one is an error.
 */
#ifndef MB_STATUS_PARAMS_H
#define MB_STATUS_PARAMS_H

#include <apr_pools.h>

#define MB_STATUS_MAX_PATH   4096
#define MB_STATUS_MAX_USER   255
#define MB_STATUS_MAX_STREAM 64
#define MB_STATUS_TOKEN_ID   32   /* hex digits of a viewer link's id */

typedef struct {
    int json;
    const char *path, *user, *stream;   /* NULL: no filter */
    const char *token_id;               /* NULL: no filter */
    int page, per_page;
    int period, chart, live;
} mb_status_params;

/* Defaults. */
void mb_status_params_init(mb_status_params *sp);

/* Parse `args` (r->args, may be NULL) into *sp.  Returns NULL, or a short
 * message saying which parameter is wrong (the page answers 400). */
const char *mb_status_params_parse(apr_pool_t *p, const char *args,
                                   mb_status_params *sp);

/* The query string ("" or "?a=b&...") that reproduces *sp, defaults left
 * out, values percent-encoded; used for the page's own links. */
const char *mb_status_params_query(apr_pool_t *p, const mb_status_params *sp);

#endif /* MB_STATUS_PARAMS_H */
