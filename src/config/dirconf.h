/*
 * dirconf.h -- the per-directory configuration of mod_broadcast: the
 * features' sub-structures, their creation and merging.
 */
#ifndef MB_DIRCONF_H
#define MB_DIRCONF_H

#include "mb_private.h"
#include "config/api.h"
#include "config/live.h"
#include "config/video.h"
#include "config/viewer.h"
#include "config/watch.h"

/* A section's configuration: one sub-structure per feature, each with its
 * header in src/config/ (fields, merging, accessors with the defaults). */
typedef struct {
    const char *dir_path;         /* the <Directory> this config is for  */
    mb_video_conf video;          /* broadcast-video                     */
    mb_live_conf live;            /* broadcast-live, local storage       */
    mb_api_conf api;              /* broadcast-api                       */
    mb_watch_conf watch;          /* the watch log                       */
    mb_viewer_conf viewer;        /* who may watch: links, visibility    */
} mb_dir_conf;

/* The configuration of the request's location. */
#define mb_dir_conf_of(r) \
    ((const mb_dir_conf *)ap_get_module_config((r)->per_dir_config, \
                                               &broadcast_module))

void *mb_create_dir_conf(apr_pool_t *p, char *dir);
void *mb_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
int mb_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                   server_rec *s);

#endif /* MB_DIRCONF_H */
