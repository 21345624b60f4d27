/*
 * mod_broadcast.c -- the module record, the directive table and the hook
 * registration of mod_broadcast.  Glue only: the work is done in src/.
 */
#include "config/dirconf.h"
#include "api/api.h"
#include "guard/guard.h"
#include "live/journal.h"
#include "live/live.h"
#include "video/video.h"
#include "watch/watch.h"

#include <http_protocol.h>
#include <http_request.h>

static const command_rec mb_cmds[] = {
    MB_VIDEO_DIRECTIVES,
    AP_INIT_FLAG("BroadcastWatchLog", mb_cmd_watch_log, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "Record every playback request in the watch log through "
                 "mod_dbd (default Off)"),
    AP_INIT_TAKE1("BroadcastWatchLogQueue", mb_cmd_watch_queue, NULL,
                  RSRC_CONF,
                  "Most watch log rows a child process holds in memory "
                  "before it drops new ones (default 10000)"),
    AP_INIT_TAKE1("BroadcastWatchLogFlush", mb_cmd_watch_flush, NULL,
                  RSRC_CONF,
                  "Milliseconds a watch log row may wait to be written "
                  "with others in one transaction (default 500)"),
    AP_INIT_TAKE1("BroadcastWatchLogReport", mb_cmd_watch_report, NULL,
                  RSRC_CONF,
                  "Seconds between two error log reports of dropped watch "
                  "log rows (default 60)"),
    MB_API_DIRECTIVES,
    AP_INIT_TAKE1("BroadcastLiveRoot", mb_cmd_live_root, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Directory of self-hosted live streams (one subdirectory "
                  "per stream); needs mod_dbd"),
    AP_INIT_TAKE1("BroadcastLiveMaxUpload", mb_cmd_live_max_upload, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Largest file a broadcaster may PUT (K/M/G; default 64M)"),
    AP_INIT_TAKE1("BroadcastLiveQuota", mb_cmd_live_quota, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Most bytes the files of one live stream may hold "
                  "(K/M/G; default 16G; 0 for no limit)"),
    AP_INIT_TAKE1("BroadcastLiveMaxSegments", mb_cmd_live_max_segments, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Most segments a live playlist, and a stream's recording, "
                  "may list (default 50000)"),
    AP_INIT_FLAG("BroadcastLiveSync", mb_cmd_live_sync, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On (default): uploads, journals and recordings are synced "
                 "to disk before they are renamed into place"),
    AP_INIT_TAKE1("BroadcastLiveURL", mb_cmd_live_url, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Where broadcast-live is mounted, as a path or an absolute "
                  "URL (default /live): upload and playlist URLs start so"),
    AP_INIT_TAKE1("BroadcastPlayerScript", mb_cmd_player_script, NULL,
                  OR_FILEINFO,
                  "URL of hls.js for the player page (default "
                  "/broadcast-assets/hls.min.js)"),
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
