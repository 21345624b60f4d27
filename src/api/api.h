/*
 * mb_api.h -- the live broadcast API (handler broadcast-api): its
 * configuration, its parameters, the stream table and the
 * broadcast-owner authorization provider.
 */
#ifndef MB_API_H
#define MB_API_H

#include "config/dirconf.h"
#include "db/dbd.h"
#include "db/streams.h"
#include "config/dirconf.h"
#include "mb_sts.h"

#include <ap_provider.h>
#include <http_request.h>
#include <mod_auth.h>

#define MB_API_MAX_BODY 65536 /* bytes of form body read       */

const char *mb_cmd_storage(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_bucket(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_region(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_s3_path(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_sts_endpoint(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_sts_action(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_sts_role_arn(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_aws_credentials(cmd_parms *cmd, void *dcfg,
                                   const char *access, const char *secret);
const char *mb_cmd_credential_lifetime(cmd_parms *cmd, void *dcfg,
                                       const char *arg);
const char *mb_cmd_sts_timeout(cmd_parms *cmd, void *dcfg, const char *arg);
const char *mb_cmd_owner_only(cmd_parms *cmd, void *dcfg, int on);
const char *mb_cmd_sts_keepalive(cmd_parms *cmd, void *dcfg, int on);
const char *mb_cmd_max_live(cmd_parms *cmd, void *dcfg, const char *arg);

int mb_api_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                       server_rec *s);
void mb_api_child_init(apr_pool_t *pchild, server_rec *s);

/* The process's curl share for STS (NULL before child_init). */
CURLSH *mb_api_curl_share(void);

/* The handler. */
int mb_api_handler(request_rec *r);

/* ---- parameters: query string first, then a form body ---------------- */

/* Read (once) the request's application/x-www-form-urlencoded body, at
 * most MB_API_MAX_BODY bytes.  OK, HTTP_REQUEST_ENTITY_TOO_LARGE or
 * HTTP_BAD_REQUEST (*why says which). */
int mb_api_read_body(request_rec *r, const char **why);

/* Parameter `name`: *value is NULL when absent.  Returns OK or
 * HTTP_BAD_REQUEST (malformed encoding). mb_api_read_body must have been
 * called for the body to count. */
int mb_api_param(request_rec *r, const char *name, const char **value);

/* The stream id a request acts on: a UUID as the last path segment, else
 * for stop and refresh the `id` parameter.  NULL if none. */
const char *mb_api_request_id(request_rec *r);

/* ---- Require broadcast-owner ------------------------------------------- */
extern const authz_provider mb_authz_owner_provider;
#define MB_AUTHZ_OWNER "broadcast-owner"

/* An authz provider can only fail with 500 (AUTHZ_GENERAL_ERROR): when
 * `Require broadcast-owner` could not read the stream table, this
 * insert_error_filter hook and its filter turn that 500 into the API's
 * 503 JSON answer. */
void mb_authz_owner_register_filter(void);
void mb_authz_owner_insert_error_filter(request_rec *r);

#endif /* MB_API_H */
