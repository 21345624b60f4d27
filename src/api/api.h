/*
 * api/api.h -- the live broadcast API (handler broadcast-api): its
 * directives (MB_API_DIRECTIVES, for the module's command table), its
 * hooks, its parameters and the broadcast-owner authorization provider.
 * What only the API's own files share is in src/api/api_int.h.
 */
#ifndef MB_API_H
#define MB_API_H

#include "config/dirconf.h"
#include "db/dbd.h"
#include "db/streams.h"
#include "guard/guard.h"
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
const char *mb_cmd_max_live(cmd_parms *cmd, void *dcfg, const char *arg);

/* The API's directives, for the module's command table (mod_broadcast.c);
 * handlers in src/api/directives.c (BroadcastTrustedOrigin's in
 * src/guard/guard.c), fields in src/config/api.h.
 * t/docs/directives.t reads these lines: no line break just before an
 * entry's flags nor inside them. */
#define MB_API_OFFSET(f) ((void *)APR_OFFSETOF(mb_dir_conf, api.f))
#define MB_API_DIRECTIVES                                                      \
    AP_INIT_TAKE1("BroadcastStorage", mb_cmd_storage,                          \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Where live streams are uploaded: S3 (temporary "            \
                  "credentials from STS) or local (PUT to broadcast-live); "   \
                  "needs mod_dbd"),                                            \
    AP_INIT_TAKE1("BroadcastS3Bucket", mb_cmd_s3_bucket,                       \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "The bucket of live streams"),                               \
    AP_INIT_TAKE1("BroadcastS3Region", mb_cmd_s3_region,                       \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "The bucket's region, also STS's signing region "            \
                  "(default us-east-1)"),                                      \
    AP_INIT_TAKE1("BroadcastS3Path", mb_cmd_s3_path,                           \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Template of a stream's prefix (default %{user}/%{id}/)"),   \
    AP_INIT_TAKE1("BroadcastSTSEndpoint", mb_cmd_sts_endpoint,                 \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "STS URL (default https://sts.REGION.amazonaws.com/)"),      \
    AP_INIT_TAKE1("BroadcastSTSAction", mb_cmd_sts_action,                     \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "AssumeRole (default) or GetFederationToken"),               \
    AP_INIT_TAKE1("BroadcastSTSRoleArn", mb_cmd_sts_role_arn,                  \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "The role AssumeRole assumes"),                              \
    AP_INIT_TAKE2("BroadcastAWSCredentials", mb_cmd_aws_credentials,           \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "ACCESS SECRET, each env:NAME, file:PATH or (warned) "       \
                  "the literal key"),                                          \
    AP_INIT_TAKE1("BroadcastCredentialLifetime", mb_cmd_credential_lifetime,   \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Seconds the credentials live (default 3600)"),              \
    AP_INIT_TAKE1("BroadcastSTSTimeout", mb_cmd_sts_timeout,                   \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Seconds an STS exchange may take (default 10)"),            \
    AP_INIT_FLAG("BroadcastSTSKeepAlive", ap_set_flag_slot,                    \
                 MB_API_OFFSET(sts_keepalive), RSRC_CONF | ACCESS_CONF,        \
                 "On (default): reuse connections to STS; Off: a new "         \
                 "connection for each call"),                                  \
    AP_INIT_FLAG("BroadcastOwnerOnly", ap_set_flag_slot,                       \
                 MB_API_OFFSET(owner_only), RSRC_CONF | ACCESS_CONF,           \
                 "On (default): stop, refresh and detail are the owner's "     \
                 "only; Off: left to the location's Require rules"),           \
    AP_INIT_ITERATE("BroadcastTrustedOrigin", mb_cmd_trusted_origin,           \
                    NULL, RSRC_CONF | ACCESS_CONF,                             \
                    "Origins (scheme://host[:port]) whose pages may call the " \
                    "API and ingest from a browser, with CORS; every other "   \
                    "cross-site state-changing request is refused"),           \
    AP_INIT_TAKE1("BroadcastMaxLiveStreams", mb_cmd_max_live,                  \
                  NULL, RSRC_CONF | ACCESS_CONF,                               \
                  "Live streams a user may have at once (default 5, 0: no "    \
                  "limit)")

/* post_config: the credential lifetimes checked as merged, libcurl's
 * global init, the warnings of the configuration logged again. */
int mb_api_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                       server_rec *s);

/* ---- the process-wide state of STS calls (src/api/sts_share.c) --------- */

/* libcurl's global init, once in the parent (from post_config), cleaned
 * up with pconf.  OK or HTTP_INTERNAL_SERVER_ERROR (logged). */
int mb_api_curl_global_init(apr_pool_t *pconf, server_rec *s);
/* child_init: the process's curl share for STS. */
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
