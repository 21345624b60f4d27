/*
 * config.c -- per-directory configuration: create, merge, directives.
 */
#include "config/dirconf.h"
#include "api/api.h"
#include "mb_path.h"
#include "mb_size.h"

#include <apr_strings.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

void *mb_create_dir_conf(apr_pool_t *p, char *dir)
{
    mb_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    /* a <Location> passes a URL here: see mb_post_config */
    conf->max_chunk = MB_UNSET;
    conf->watch_log = MB_UNSET;
    conf->live_max_upload = MB_UNSET;
    conf->live_quota = MB_UNSET;
    conf->live_max_segments = MB_UNSET;
    conf->live_sync = MB_UNSET;
    conf->api = mb_api_create_conf(p, dir);
    return conf;
}

/*
 * The root of a mapped file is the <Directory> section that maps it.  Only
 * the core knows which configuration vectors are <Directory> sections and
 * for which path (create_dir_config cannot tell a <Location> URL from a
 * directory), so once the configuration is read, every non-regex
 * <Directory> of every server records its canonical path in our section
 * config; per-request merging then hands the innermost one to the handler.
 */
int mb_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                   server_rec *main_s)
{
    server_rec *s;

    (void)plog;
    (void)ptemp;
    for (s = main_s; s; s = s->next) {
        core_server_config *sconf = ap_get_core_module_config(s->module_config);
        ap_conf_vector_t **sec = (ap_conf_vector_t **)sconf->sec_dir->elts;
        int i;

        for (i = 0; i < sconf->sec_dir->nelts; i++) {
            core_dir_config *cd = ap_get_core_module_config(sec[i]);
            mb_dir_conf *mc;

            if (cd->r != NULL || cd->d == NULL || cd->d[0] != '/') {
                continue;           /* <DirectoryMatch>, or not a path */
            }
            /* httpd creates a module's section config only when one of
             * its directives is used there: add ours where it is missing */
            mc = ap_get_module_config(sec[i], &broadcast_module);
            if (mc == NULL) {
                mc = mb_create_dir_conf(pconf, NULL);
                ap_set_module_config(sec[i], &broadcast_module, mc);
            }
            if (mc->dir_path != NULL) {
                continue;           /* shared by several servers */
            }
            mc->dir_path = mb_path_realpath(pconf, cd->d);
            if (mc->dir_path == NULL) {
                char *d = apr_pstrdup(pconf, cd->d);
                size_t n = strlen(d);
                while (n > 1 && d[n - 1] == '/') {
                    d[--n] = '\0';
                }
                mc->dir_path = d;
            }
        }
    }
    return OK;
}

void *mb_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    mb_dir_conf *base = basev, *add = addv;
    mb_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->dir_path = add->dir_path ? add->dir_path : base->dir_path;
    if (add->video_root) {
        conf->video_root = add->video_root;
        conf->video_root_real = add->video_root_real;
    }
    else {
        conf->video_root = base->video_root;
        conf->video_root_real = base->video_root_real;
    }
    conf->path_param = add->path_param ? add->path_param : base->path_param;
    conf->max_chunk = add->max_chunk != MB_UNSET ? add->max_chunk
                                                 : base->max_chunk;
    conf->watch_log = add->watch_log != MB_UNSET ? add->watch_log
                                                 : base->watch_log;
    conf->live_root = add->live_root ? add->live_root : base->live_root;
    conf->live_max_upload = add->live_max_upload != MB_UNSET
                                ? add->live_max_upload
                                : base->live_max_upload;
    conf->live_quota = add->live_quota != MB_UNSET ? add->live_quota
                                                   : base->live_quota;
    conf->live_max_segments = add->live_max_segments != MB_UNSET
                                  ? add->live_max_segments
                                  : base->live_max_segments;
    conf->live_sync = add->live_sync != MB_UNSET ? add->live_sync
                                                 : base->live_sync;
    conf->player_script = add->player_script ? add->player_script
                                             : base->player_script;
    conf->live_url = add->live_url ? add->live_url : base->live_url;
    conf->api = mb_api_merge_conf(p, base->api, add->api);
    return conf;
}

const char *mb_cmd_video_root(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    char *root;

    if (arg[0] != '/') {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " must be an absolute path", NULL);
    }
    root = apr_pstrdup(cmd->pool, arg);
    ap_no2slash(root);
    conf->video_root = root;
    /* Resolved once here; a root that does not exist yet is resolved per
     * request instead. */
    conf->video_root_real = mb_path_realpath(cmd->pool, arg);
    if (conf->video_root_real == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     MBLOGNO(0001) "%s %s does not exist (yet)",
                     cmd->cmd->name, arg);
    }
    return NULL;
}

const char *mb_cmd_path_param(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;

    if (*arg == '\0' || strpbrk(arg, "&=%+ ")) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": not a valid parameter name", NULL);
    }
    conf->path_param = arg;
    return NULL;
}

const char *mb_cmd_max_chunk(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size (e.g. 0, 512K, 8M, 1G)", NULL);
    }
    conf->max_chunk = (apr_off_t)v;
    return NULL;
}

const char *mb_log_excerpt(apr_pool_t *p, const char *s)
{
    if (strlen(s) <= MB_LOG_EXCERPT) {
        return ap_escape_logitem(p, s);
    }
    return apr_pstrcat(p, ap_escape_logitem(p, apr_pstrmemdup(p, s,
                                                              MB_LOG_EXCERPT)),
                       "...", NULL);
}
