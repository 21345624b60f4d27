/*
 * status/handler.c -- the broadcast-status handler: what the watch log says,
 * as a self-contained HTML page for operators or as JSON (?format=json).
 *
 * Read-only.  Everything comes from the database of the request's server:
 * read once into the page's data (src/status/queries.c) on a connection
 * given back before a byte is sent, then rendered (src/status/json.c,
 * src/status/html.c).
 */
#include "status/status.h"
#include "status/data.h"

#include <http_protocol.h>
#include <http_request.h>

APLOG_USE_MODULE(broadcast);

/* Release the connection of the request. */
static apr_status_t close_dbd(void *data)
{
    status_data *d = data;

    mb_dbd_close(d->r->server, d->dbd);
    return APR_SUCCESS;
}

/* The request's connection (one pooled before a restart of the database
 * is reconnected by the db layer at its first failed statement). */
static int open_dbd(status_data *d)
{
    request_rec *r = d->r;

    d->dbd = mb_dbd_open(r->pool, r->server);
    if (d->dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0604) "status: database unavailable (mod_dbd "
                                    "gave no connection)");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    apr_pool_cleanup_register(r->pool, d, close_dbd, apr_pool_cleanup_null);
    return OK;
}

int mb_status_handler(request_rec *r)
{
    status_data *d;
    const char *err;
    int status;

    if (strcmp(r->handler, MB_HANDLER_STATUS)) {
        return DECLINED;
    }
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    /* in the request pool: the connection's cleanup refers to it */
    d = apr_pcalloc(r->pool, sizeof(*d));
    d->r = r;
    err = mb_status_params_parse(r->pool, r->args, &d->sp);
    if (err) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0603) "status: bad request: %s", err);
        ap_set_content_type(r, "text/plain; charset=utf-8");
        r->status = HTTP_BAD_REQUEST;
        ap_rprintf(r, "Bad request: %s\n", err);
        return OK;
    }
    status = open_dbd(d);
    if (status == OK) {
        status = mb_status_load(d);
        /* everything is read (copied into the request pool): the
         * connection goes back to mod_dbd before a byte is sent, so a
         * client that reads slowly holds none */
        apr_pool_cleanup_run(r->pool, d, close_dbd);
    }
    if (status == HTTP_SERVICE_UNAVAILABLE && d->sp.json) {
        /* (logged where it failed) */
        apr_table_setn(r->headers_out, "Cache-Control", "no-store");
        ap_set_content_type(r, "application/json");
        r->status = status;
        ap_rputs("{\"error\": {\"code\": \"database_unavailable\", "
                 "\"message\": \"the watch log database is unavailable\"}}\n",
                 r);
        return OK;
    }
    if (status != OK) {
        return status;
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src data:; form-action 'self'; base-uri 'none'; "
                   "frame-ancestors 'none'");
    if (r->header_only) {
        ap_set_content_type(r, d->sp.json ? "application/json"
                                         : "text/html; charset=utf-8");
        return OK;
    }
    if (d->sp.json) {
        return mb_status_send_json(d);
    }
    mb_status_send_html(d);
    return OK;
}
