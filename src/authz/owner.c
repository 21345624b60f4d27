/*
 * authz/owner.c -- the authorization provider `Require broadcast-owner`:
 * granted when the authenticated user owns the stream the request names
 * (a stream id as the last path segment, else the `id` parameter of the
 * query string or of a form body).  Shaped like mod_authz_dbd's.
 */
#include "api/api.h"
#include "authz/authz.h"

#include <apr_strings.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_filter.h>

APLOG_USE_MODULE(broadcast);

#define NOTE_DB_UNAVAILABLE "mb-authz-db-unavailable"
#define FILTER_DB_UNAVAILABLE "MB_AUTHZ_DB_UNAVAILABLE"
#define BODY_DB_UNAVAILABLE                                                    \
    "{\"error\": {\"code\": \"database_unavailable\", \"message\": "           \
    "\"the stream database is unavailable\"}}\n"

/* (src/authz/authz.h) */
authz_status mb_authz_db_unavailable(request_rec *r)
{
    apr_table_setn(r->notes, NOTE_DB_UNAVAILABLE, "1");
    ap_custom_response(r, HTTP_INTERNAL_SERVER_ERROR, BODY_DB_UNAVAILABLE);
    return AUTHZ_GENERAL_ERROR;
}

static apr_status_t db_unavailable_filter(ap_filter_t *f,
                                          apr_bucket_brigade *bb)
{
    request_rec *r = f->r;

    r->status = HTTP_SERVICE_UNAVAILABLE;
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

void mb_authz_owner_register_filter(void)
{
    ap_register_output_filter(FILTER_DB_UNAVAILABLE, db_unavailable_filter,
                              NULL, AP_FTYPE_CONTENT_SET);
}

void mb_authz_owner_insert_error_filter(request_rec *r)
{
    if (r->status == HTTP_INTERNAL_SERVER_ERROR &&
        apr_table_get(r->notes, NOTE_DB_UNAVAILABLE)) {
        ap_add_output_filter(FILTER_DB_UNAVAILABLE, NULL, r, r->connection);
    }
}

static authz_status owner_check(request_rec *r, const char *require_line,
                                const void *parsed)
{
    const char *id;
    mb_stream *s = NULL;
    ap_dbd_t *dbd;
    int rv;

    (void)require_line;
    (void)parsed;
    if (r->user == NULL) {
        return AUTHZ_DENIED_NO_USER;
    }
    id = mb_api_request_id(r);
    if (id == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      MBLOGNO(0310) "Require " MB_AUTHZ_OWNER
                                    ": the request names no stream");
        return AUTHZ_DENIED;
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_authz_db_unavailable(r);
    }
    rv = mb_stream_get(r, dbd, id, &s);
    if (rv == HTTP_NOT_FOUND) {
        return AUTHZ_DENIED;
    }
    if (rv != OK) {
        return mb_authz_db_unavailable(r);
    }
    return strcmp(s->owner, r->user) == 0 ? AUTHZ_GRANTED : AUTHZ_DENIED;
}

static const char *owner_parse(cmd_parms *cmd, const char *require_line,
                               const void **parsed)
{
    (void)parsed;
    return mb_authz_parse_noarg(cmd, require_line, MB_AUTHZ_OWNER);
}

const char *mb_authz_parse_noarg(cmd_parms *cmd, const char *require_line,
                                 const char *name)
{
    if (require_line && *require_line) {
        return apr_pstrcat(cmd->pool, "Require ", name, " takes no argument",
                           NULL);
    }
    /* the provider reads the stream table of this server */
    return mb_streams_require(cmd);
}

const authz_provider mb_authz_owner_provider = {
    &owner_check,
    &owner_parse,
};
