/*
 * guard/guard.c -- the httpd side of src/guard/guard.h: cross-origin requests
 * (Origin, Sec-Fetch-Site) against BroadcastTrustedOrigin, CORS answers
 * for the origins listed, and the headers every answer of the module
 * carries.
 */
#include "guard/guard.h"
#include "mb_origin.h"

#include <apr_strings.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

#define EXCERPT 64 /* bytes of a client's header quoted in the log */

const mb_cors_profile mb_cors_ingest = {"GET, HEAD, PUT, DELETE", 0};

const char *mb_cmd_trusted_origin(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_api_conf *c = &((mb_dir_conf *)dcfg)->api;
    const char *canon = mb_origin_canon(cmd->pool, arg);

    if (canon == NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not an origin (scheme://host[:port], http "
                           "or https, no path)",
                           NULL);
    }
    if (c->trusted_origins == NULL) {
        c->trusted_origins = apr_array_make(cmd->pool, 2, sizeof(char *));
    }
    APR_ARRAY_PUSH(c->trusted_origins, const char *) = canon;
    return NULL;
}

/* What a client sent, short and escaped, for the log. */
static const char *excerpt(request_rec *r, const char *v)
{
    if (v == NULL) {
        return "-";
    }
    return ap_escape_logitem(r->pool, apr_pstrndup(r->pool, v, EXCERPT));
}

static int refuse(request_rec *r, const char *origin, const char *site,
                  const char *what)
{
    static const char body[] =
        "{\"error\":{\"code\":\"cross_origin\",\"message\":\"cross-origin "
        "requests that change state are refused\"}}\n";

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1000) "cross-origin %s %s refused: Origin '%s', "
                                "Sec-Fetch-Site '%s'",
                  what, r->method, excerpt(r, origin), excerpt(r, site));
    r->status = HTTP_FORBIDDEN;
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, (apr_off_t)sizeof(body) - 1);
    if (!r->header_only) {
        ap_rwrite(body, (int)sizeof(body) - 1, r);
    }
    return OK;
}

int mb_cors_guard(request_rec *r, const mb_cors_profile *profile)
{
    const mb_dir_conf *dc =
        ap_get_module_config(r->per_dir_config, &broadcast_module);
    const apr_array_header_t *trusted = dc->api.trusted_origins;
    const char *origin = apr_table_get(r->headers_in, "Origin");
    const char *site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    int preflight =
        r->method_number == M_OPTIONS && origin != NULL &&
        apr_table_get(r->headers_in, "Access-Control-Request-Method") != NULL;
    mb_origin_e k = mb_origin_classify(
        r->pool, origin, site, ap_construct_url(r->pool, "", r), trusted);

    if (trusted && trusted->nelts > 0) {
        /* the CORS headers depend on Origin: caches must know */
        apr_table_mergen(r->err_headers_out, "Vary", "Origin");
    }
    if (k == MB_ORIGIN_TRUSTED) {
        apr_table_setn(r->err_headers_out, "Access-Control-Allow-Origin",
                       origin);
        if (profile->credentials) {
            apr_table_setn(r->err_headers_out,
                           "Access-Control-Allow-Credentials", "true");
        }
        if (preflight) {
            apr_table_setn(r->err_headers_out, "Access-Control-Allow-Methods",
                           profile->methods);
            apr_table_setn(r->err_headers_out, "Access-Control-Allow-Headers",
                           "Authorization, Content-Type");
            apr_table_setn(r->err_headers_out, "Access-Control-Max-Age", "600");
            r->status = HTTP_NO_CONTENT;
            return OK;
        }
        return DECLINED;
    }
    if (preflight) {
        return refuse(r, origin, site, "preflight for");
    }
    if (k == MB_ORIGIN_CROSS && r->method_number != M_GET &&
        r->method_number != M_OPTIONS) {
        return refuse(r, origin, site, "request");
    }
    return DECLINED;
}

int mb_security_headers(request_rec *r)
{
    if (r->handler && (!strcmp(r->handler, MB_HANDLER_API) ||
                       !strcmp(r->handler, MB_HANDLER_LIVE) ||
                       !strcmp(r->handler, MB_HANDLER_VIDEO) ||
                       !strcmp(r->handler, MB_HANDLER_STATUS))) {
        apr_table_setn(r->err_headers_out, "X-Content-Type-Options", "nosniff");
    }
    return DECLINED;
}
