/*
 * config/dirconf.c -- the per-directory configuration: created and merged
 * feature by feature (src/config/<feature>.c), and the <Directory> each
 * section maps, recorded once the configuration is read.
 */
#include "config/dirconf.h"
#include "mb_path.h"

#include <apr_strings.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

void *mb_create_dir_conf(apr_pool_t *p, char *dir)
{
    mb_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    (void)dir;          /* a <Location> passes a URL here: see mb_post_config */
    mb_video_conf_init(&conf->video);
    mb_live_conf_init(&conf->live);
    mb_api_conf_init(&conf->api);
    mb_watch_conf_init(&conf->watch);
    mb_viewer_conf_init(&conf->viewer);
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
    const mb_dir_conf *base = basev, *add = addv;
    mb_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->dir_path = MB_PICK(base, add, dir_path);
    mb_video_conf_merge(&conf->video, &base->video, &add->video);
    mb_live_conf_merge(&conf->live, &base->live, &add->live);
    mb_api_conf_merge(&conf->api, &base->api, &add->api);
    mb_watch_conf_merge(&conf->watch, &base->watch, &add->watch);
    mb_viewer_conf_merge(&conf->viewer, &base->viewer, &add->viewer);
    return conf;
}
