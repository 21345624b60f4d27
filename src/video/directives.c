/*
 * video/directives.c -- the directives of broadcast-video: BroadcastVideoRoot,
 * BroadcastPathParam, BroadcastMaxChunk (fields in src/config/video.h).
 */
#include "video/video.h"
#include "mb_path.h"
#include "mb_size.h"

#include <apr_strings.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

const char *mb_cmd_video_root(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_video_conf *conf = &((mb_dir_conf *)dcfg)->video;
    char *root;

    if (arg[0] != '/') {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " must be an absolute path", NULL);
    }
    root = apr_pstrdup(cmd->pool, arg);
    ap_no2slash(root);
    conf->root = root;
    /* Resolved once here; a root that does not exist yet is resolved per
     * request instead. */
    conf->root_real = mb_path_realpath(cmd->pool, arg);
    if (conf->root_real == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     MBLOGNO(0001) "%s %s does not exist (yet)",
                     cmd->cmd->name, arg);
    }
    return NULL;
}

const char *mb_cmd_path_param(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_video_conf *conf = &((mb_dir_conf *)dcfg)->video;

    if (*arg == '\0' || strpbrk(arg, "&=%+ ")) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": not a valid parameter name", NULL);
    }
    conf->path_param = arg;
    return NULL;
}

const char *mb_cmd_max_chunk(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_video_conf *conf = &((mb_dir_conf *)dcfg)->video;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size (e.g. 0, 512K, 8M, 1G)", NULL);
    }
    conf->max_chunk = (apr_off_t)v;
    return NULL;
}
