/*
 * mod_broadcast.c -- the module record, the directive table and the hook
 * registration of mod_broadcast.  Glue only: the work is done in src/.
 */
#include "config/dirconf.h"
#include "api/api.h"
#include "authz/authz.h"
#include "guard/guard.h"
#include "live/journal.h"
#include "live/live.h"
#include "metrics/metrics.h"
#include "status/status.h"
#include "video/video.h"
#include "viewer/viewer.h"
#include "watch/watch.h"

#include <http_protocol.h>
#include <http_request.h>
#include <mod_status.h>

static const command_rec mb_cmds[] = {
    /* one table per feature, in the feature's header */
    MB_VIDEO_DIRECTIVES,
    MB_WATCH_DIRECTIVES,
    MB_API_DIRECTIVES,
    MB_LIVE_DIRECTIVES,
    MB_VIEWER_DIRECTIVES,
    { NULL, { NULL }, NULL, 0, 0, NULL }
};

static void mb_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(mb_watch_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mb_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mb_api_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mb_metrics_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_metrics_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_api_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_watch_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    /* <loc>/s/<token>/<file>: the file's path, before any module maps it */
    ap_hook_translate_name(mb_video_signed_translate, NULL, NULL,
                           APR_HOOK_FIRST);
    ap_hook_fixups(mb_security_headers, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_journal_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_live_s3_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mb_viewer_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_watch_mark, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_handler(mb_video_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_live_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_api_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_metrics_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(mb_watch_log_transaction, NULL, NULL,
                            APR_HOOK_MIDDLE);
    ap_hook_log_transaction(mb_metrics_log_transaction, NULL, NULL,
                            APR_HOOK_MIDDLE);
    /* the metrics on mod_status's page, when mod_status is loaded */
    APR_OPTIONAL_HOOK(ap, status_hook, mb_metrics_status_hook, NULL, NULL,
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
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, MB_AUTHZ_VIEWER,
                              AUTHZ_PROVIDER_VERSION,
                              &mb_authz_viewer_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, MB_AUTHZ_SIGNED,
                              AUTHZ_PROVIDER_VERSION,
                              &mb_authz_signed_provider,
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
