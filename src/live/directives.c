/*
 * directives.c -- the directives of self-hosted live streams (their table
 * is MB_LIVE_DIRECTIVES in src/live/live.h; the fields and defaults are in
 * src/config/live.h).
 */
#include "live/live.h"
#include "db/streams.h"
#include "mb_path.h"
#include "mb_number.h"
#include "mb_s3presign.h"
#include "mb_size.h"

#include <apr_strings.h>
#include <apr_uri.h>

const char *mb_cmd_live_root(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    const char *err;

    if (arg[0] != '/') {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " must be an absolute path", NULL);
    }
    if ((err = mb_streams_live_require(cmd)) != NULL) {
        return err;
    }
    conf->live.root = mb_path_realpath(cmd->pool, arg);
    if (conf->live.root == NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " ", arg,
                           ": no such directory", NULL);
    }
    return NULL;
}

const char *mb_cmd_live_max_upload(cmd_parms *cmd, void *dcfg,
                                   const char *arg)
{
    mb_dir_conf *conf = dcfg;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0 || v == 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size above 0 (e.g. 512K, 64M)", NULL);
    }
    conf->live.max_upload = (apr_off_t)v;
    return NULL;
}

const char *mb_cmd_live_quota(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size (e.g. 2G, 512M; 0 for no limit)",
                           NULL);
    }
    conf->live.quota = (apr_off_t)v;
    return NULL;
}

const char *mb_cmd_live_url(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    size_t n = strlen(arg);

    if (!(arg[0] == '/' || !strncmp(arg, "http://", 7)
          || !strncmp(arg, "https://", 8))
        || ap_strchr_c(arg, '"') || ap_strchr_c(arg, '?')
        || ap_strchr_c(arg, '#')) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": a path (/live) or "
                           "an absolute http(s) URL", NULL);
    }
    while (n > 1 && arg[n - 1] == '/') {
        n--;
    }
    conf->live.url = apr_pstrmemdup(cmd->pool, arg, n);
    return NULL;
}

const char *mb_cmd_player_script(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;

    if (ap_strchr_c(arg, '"') || ap_strchr_c(arg, '<')
        || ap_strchr_c(arg, '>')) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": not a usable URL", NULL);
    }
    conf->live.player_script = arg;
    return NULL;
}

const char *mb_cmd_live_max_segments(cmd_parms *cmd, void *dcfg,
                                     const char *arg)
{
    mb_dir_conf *conf = dcfg;
    apr_int64_t v;

    if (mb_int_parse(arg, 1, 10000000, &v)) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a number of segments (1-10000000)",
                           NULL);
    }
    conf->live.max_segments = (int)v;
    return NULL;
}

/* BroadcastS3Endpoint: an http or https URL with a host (apr_uri_parse). */
const char *mb_cmd_s3_endpoint(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    apr_uri_t u;

    if (apr_uri_parse(cmd->pool, arg, &u) != APR_SUCCESS || u.scheme == NULL
        || (strcasecmp(u.scheme, "https") != 0
            && strcasecmp(u.scheme, "http") != 0)
        || u.hostname == NULL || *u.hostname == '\0' || u.query != NULL
        || u.fragment != NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not an http:// or https:// URL", NULL);
    }
    conf->live.s3_endpoint = arg;
    return NULL;
}

const char *mb_cmd_s3_timeout(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    apr_int64_t v;

    if (mb_int_parse(arg, 1, 3600, &v)) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a number of seconds (1-3600)", NULL);
    }
    conf->live.s3_timeout = (int)v;
    return NULL;
}

const char *mb_cmd_s3_playback(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;

    if (!strcasecmp(arg, "proxy")) {
        conf->live.s3_playback = MB_S3_PLAYBACK_PROXY;
    }
    else if (!strcasecmp(arg, "redirect")) {
        conf->live.s3_playback = MB_S3_PLAYBACK_REDIRECT;
    }
    else {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is neither proxy nor redirect", NULL);
    }
    return NULL;
}

const char *mb_cmd_s3_presign_lifetime(cmd_parms *cmd, void *dcfg,
                                       const char *arg)
{
    mb_dir_conf *conf = dcfg;
    apr_int64_t v;

    if (mb_int_parse(arg, 1, MB_S3_PRESIGN_MAX, &v)) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a number of seconds (1-604800)", NULL);
    }
    conf->live.s3_presign_lifetime = (int)v;
    return NULL;
}
