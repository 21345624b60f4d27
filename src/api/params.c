/*
 * params.c -- the API's parameters, from the query string and from an
 * application/x-www-form-urlencoded body alike (the seed's clients use
 * both).  The body is read once per request and kept in the request's
 * config: the authorization provider may read it before the handler.
 */
#include "api/api.h"
#include "mb_query.h"
#include "mb_uuid.h"

#include <apr_strings.h>
#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);

typedef struct {
    int read;   /* body read (or refused)                   */
    int status; /* OK or the status of the refusal          */
    const char *why;
    const char *body; /* NUL-terminated form, or NULL             */
} body_note;

static body_note *note_of(request_rec *r)
{
    body_note *n = ap_get_module_config(r->request_config, &broadcast_module);

    if (n == NULL) {
        n = apr_pcalloc(r->pool, sizeof(*n));
        ap_set_module_config(r->request_config, &broadcast_module, n);
    }
    return n;
}

static int refuse(body_note *n, int status, const char *why)
{
    n->status = status;
    n->why = why;
    return status;
}

static int read_body(request_rec *r, body_note *n)
{
    const char *ctype;
    char *buf;
    apr_size_t len = 0, cap;
    long got;
    int rv;

    if ((rv = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        return refuse(n, rv,
                      rv == HTTP_REQUEST_ENTITY_TOO_LARGE
                          ? "the body is too large"
                          : "the body cannot be read");
    }
    if (!ap_should_client_block(r)) {
        return OK; /* no body */
    }
    if (r->remaining > MB_API_MAX_BODY) {
        r->connection->keepalive = AP_CONN_CLOSE;
        return refuse(n, HTTP_REQUEST_ENTITY_TOO_LARGE,
                      "the body is larger than 64 KiB");
    }
    ctype = apr_table_get(r->headers_in, "Content-Type");
    if (ctype == NULL ||
        strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0 ||
        (ctype[33] != '\0' && ctype[33] != ';' && ctype[33] != ' ')) {
        return refuse(n, HTTP_BAD_REQUEST,
                      "the body must be "
                      "application/x-www-form-urlencoded");
    }
    /* as large as announced (+1 for the NUL), else (chunked) grown as it
     * comes, never full after a read: room for the NUL, and one byte more
     * than the limit tells an oversized body */
    cap = r->remaining > 0 ? (apr_size_t)r->remaining + 1 : 4096;
    buf = apr_palloc(r->pool, cap);
    while ((got = ap_get_client_block(r, buf + len, cap - len)) > 0) {
        len += (apr_size_t)got;
        if (len > MB_API_MAX_BODY) {
            r->connection->keepalive = AP_CONN_CLOSE;
            return refuse(n, HTTP_REQUEST_ENTITY_TOO_LARGE,
                          "the body is larger than 64 KiB");
        }
        if (len == cap) {
            apr_size_t ncap =
                cap * 2 > MB_API_MAX_BODY + 1 ? MB_API_MAX_BODY + 1 : cap * 2;
            char *nb;
            if (ncap <= cap) {
                ncap = cap + 1; /* room to see one byte too many */
            }
            nb = apr_palloc(r->pool, ncap);
            memcpy(nb, buf, len);
            buf = nb;
            cap = ncap;
        }
    }
    if (got < 0) {
        r->connection->keepalive = AP_CONN_CLOSE;
        return refuse(n, HTTP_BAD_REQUEST, "the body cannot be read");
    }
    buf[len] = '\0';
    if (memchr(buf, '\0', len) != NULL) {
        return refuse(n, HTTP_BAD_REQUEST, "the body contains a NUL byte");
    }
    n->body = buf;
    return OK;
}

int mb_api_read_body(request_rec *r, const char **why)
{
    body_note *n = note_of(r);

    if (!n->read) {
        n->read = 1;
        n->status = OK;
        read_body(r, n);
    }
    *why = n->why;
    return n->status;
}

int mb_api_param(request_rec *r, const char *name, const char **value)
{
    body_note *n = note_of(r);
    mb_query_e k;

    *value = NULL;
    k = mb_query_get(r->pool, r->args, name, value);
    if (k == MB_QUERY_ABSENT && n->body) {
        k = mb_query_get(r->pool, n->body, name, value);
    }
    if (k == MB_QUERY_BAD) {
        *value = NULL;
        return HTTP_BAD_REQUEST;
    }
    if (k == MB_QUERY_ABSENT) {
        *value = NULL;
    }
    return OK;
}

const char *mb_api_request_id(request_rec *r)
{
    const char *last = strrchr(r->uri, '/');
    const char *id = NULL, *why;

    if (last && mb_uuid_valid(last + 1)) {
        return last + 1;
    }
    /* Only stop and refresh act on the stream their `id` names: a list
     * (or a start) with an `id` of one's own in the query names none. */
    if (last == NULL ||
        (strcmp(last + 1, "stop") != 0 && strcmp(last + 1, "refresh") != 0)) {
        return NULL;
    }
    if (r->method_number == M_POST) {
        mb_api_read_body(r, &why);
    }
    if (mb_api_param(r, "id", &id) != OK) {
        return NULL;
    }
    return id;
}
