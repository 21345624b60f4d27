/*
 * mod_broadcast.c -- the module record, the directive table and the hook
 * registration of mod_broadcast.  Glue only: the work is done in src/.
 */
#include "config/dirconf.h"
#include "api/api.h"
#include "guard/guard.h"
#include "live/journal.h"
#include "live/live.h"
#include "status/status.h"
#include "video/video.h"
#include "watch/watch.h"

#include <http_protocol.h>
#include <http_request.h>

static const command_rec mb_cmds[] = {
    AP_INIT_TAKE1("BroadcastVideoRoot", mb_cmd_video_root, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Directory the path query parameter is resolved in "
                  "(switches broadcast-video to query mode)"),
    AP_INIT_TAKE1("BroadcastPathParam", mb_cmd_path_param, NULL, OR_FILEINFO,
                  "Name of the query parameter naming the file (default "
                  "'path')"),
    AP_INIT_TAKE1("BroadcastMaxChunk", mb_cmd_max_chunk, NULL, OR_FILEINFO,
                  "Most bytes sent for one range (K/M/G suffix, 0 = no "
                  "cap; default 8M)"),
    MB_WATCH_DIRECTIVES,
    /* broadcast-api (src/config/api.c) */
    AP_INIT_TAKE1("BroadcastStorage", mb_cmd_storage, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Where live streams are uploaded: S3 (temporary credentials "
                  "from STS) or local (PUT to broadcast-live); needs mod_dbd"),
    AP_INIT_TAKE1("BroadcastS3Bucket", mb_cmd_s3_bucket, NULL,
                  RSRC_CONF | ACCESS_CONF, "The bucket of live streams"),
    AP_INIT_TAKE1("BroadcastS3Region", mb_cmd_s3_region, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "The bucket's region, also STS's signing region "
                  "(default us-east-1)"),
    AP_INIT_TAKE1("BroadcastS3Path", mb_cmd_s3_path, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Template of a stream's prefix (default %{user}/%{id}/)"),
    AP_INIT_TAKE1("BroadcastSTSEndpoint", mb_cmd_sts_endpoint, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "STS URL (default https://sts.REGION.amazonaws.com/)"),
    AP_INIT_TAKE1("BroadcastSTSAction", mb_cmd_sts_action, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "AssumeRole (default) or GetFederationToken"),
    AP_INIT_TAKE1("BroadcastSTSRoleArn", mb_cmd_sts_role_arn, NULL,
                  RSRC_CONF | ACCESS_CONF, "The role AssumeRole assumes"),
    AP_INIT_TAKE2("BroadcastAWSCredentials", mb_cmd_aws_credentials, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "ACCESS SECRET, each env:NAME, file:PATH or (warned) "
                  "the literal key"),
    AP_INIT_TAKE1("BroadcastCredentialLifetime", mb_cmd_credential_lifetime,
                  NULL, RSRC_CONF | ACCESS_CONF,
                  "Seconds the credentials live (default 3600)"),
    AP_INIT_TAKE1("BroadcastSTSTimeout", mb_cmd_sts_timeout, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Seconds an STS exchange may take (default 10)"),
    AP_INIT_FLAG("BroadcastSTSKeepAlive", mb_cmd_sts_keepalive, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On (default): reuse connections to STS; Off: a new "
                 "connection for each call"),
    AP_INIT_FLAG("BroadcastOwnerOnly", mb_cmd_owner_only, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On (default): stop, refresh and detail are the owner's "
                 "only; Off: left to the location's Require rules"),
    AP_INIT_ITERATE("BroadcastTrustedOrigin", mb_cmd_trusted_origin, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "Origins (scheme://host[:port]) whose pages may call the "
                    "API and ingest from a browser, with CORS; every other "
                    "cross-site state-changing request is refused"),
    AP_INIT_TAKE1("BroadcastMaxLiveStreams", mb_cmd_max_live, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Live streams a user may have at once (default 5, 0: no "
                  "limit)"),
    /* broadcast-live (src/live/directives.c) */
    MB_LIVE_DIRECTIVES,
    { NULL, { NULL }, NULL, 0, 0, NULL }
};

static void mb_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(mb_watch_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mb_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mb_api_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_api_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_watch_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(mb_security_headers, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_journal_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_watch_mark, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_handler(mb_video_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_live_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_api_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(mb_watch_log_transaction, NULL, NULL,
                            APR_HOOK_MIDDLE);
    mb_watch_register_filter();
    mb_authz_owner_register_filter();
    ap_hook_insert_error_filter(mb_authz_owner_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    mb_video_register_filter();
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, MB_AUTHZ_OWNER,
                              AUTHZ_PROVIDER_VERSION,
                              &mb_authz_owner_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(broadcast) = {
    STANDARD20_MODULE_STUFF,
    mb_create_dir_conf,
    mb_merge_dir_conf,
    NULL,
    NULL,
    mb_cmds,
    mb_register_hooks,
    AP_MODULE_FLAG_NONE
};
