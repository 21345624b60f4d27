/*
 * config/video.c -- broadcast-video's configuration: creation, merging and
 * the defaults (see src/config/video.h).  APR only.
 */
#include "mb_private.h"
#include "config/video.h"

#define DEFAULT_PATH_PARAM "path"
#define DEFAULT_MAX_CHUNK ((apr_off_t)8 * 1024 * 1024)

void mb_video_conf_init(mb_video_conf *c)
{
    c->root = c->root_real = c->path_param = NULL;
    c->max_chunk = MB_UNSET;
    c->keys[0] = c->keys[1] = NULL;
}

void mb_video_conf_merge(mb_video_conf *c, const mb_video_conf *base,
                         const mb_video_conf *add)
{
    /* the root and its canonical path go together */
    const mb_video_conf *r = add->root ? add : base;

    c->root = r->root;
    c->root_real = r->root_real;
    c->path_param = MB_PICK(base, add, path_param);
    c->max_chunk = MB_PICK_SET(base, add, max_chunk);
    /* the two secrets go together: an inner directive replaces both */
    r = add->keys[0] != NULL ? add : base;
    c->keys[0] = r->keys[0];
    c->keys[1] = r->keys[1];
}

const char *mb_video_path_param(const mb_video_conf *c)
{
    return c->path_param ? c->path_param : DEFAULT_PATH_PARAM;
}

apr_off_t mb_video_max_chunk(const mb_video_conf *c)
{
    return c->max_chunk != MB_UNSET ? c->max_chunk : DEFAULT_MAX_CHUNK;
}
