/*
 * mod_broadcast.c -- the module record, the directive table and the hook
 * registration of mod_broadcast.  Glue only: the work is done in src/.
 */
#include "mod_broadcast.h"
#include "mb_live.h"

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
    AP_INIT_TAKE1("BroadcastLiveRoot", mb_cmd_live_root, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Directory of self-hosted live streams (one subdirectory "
                  "per stream); needs mod_dbd"),
    AP_INIT_TAKE1("BroadcastLiveMaxUpload", mb_cmd_live_max_upload, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Largest file a broadcaster may PUT (K/M/G; default 64M)"),
    AP_INIT_TAKE1("BroadcastPlayerScript", mb_cmd_player_script, NULL,
                  OR_FILEINFO,
                  "URL of hls.js for the player page (default "
                  "/broadcast-assets/hls.min.js)"),
    { NULL, { NULL }, NULL, 0, 0, NULL }
};

static void mb_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_post_config(mb_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_video_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mb_live_handler, NULL, NULL, APR_HOOK_MIDDLE);
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
