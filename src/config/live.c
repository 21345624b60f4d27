/*
 * config/live.c -- the live streams' configuration: creation, merging and
 * the defaults (see src/config/live.h).  APR only.
 */
#include "mb_private.h"
#include "config/live.h"

#include <apr_strings.h>

#define DEFAULT_MAX_UPLOAD ((apr_off_t)64 * 1024 * 1024)
#define DEFAULT_QUOTA ((apr_off_t)16 * 1024 * 1024 * 1024)
#define DEFAULT_MAX_SEGMENTS 50000
#define DEFAULT_SYNC 1
#define DEFAULT_URL "/live"
#define DEFAULT_PLAYER_SCRIPT "/broadcast-assets/hls.min.js"
#define DEFAULT_S3_TIMEOUT 30
#define DEFAULT_S3_PLAYBACK MB_S3_PLAYBACK_PROXY
#define DEFAULT_S3_PRESIGN_LIFETIME 300

void mb_live_conf_init(mb_live_conf *c)
{
    c->root = c->url = c->player_script = c->s3_endpoint = NULL;
    c->max_upload = c->quota = MB_UNSET;
    c->max_segments = c->sync = c->s3_timeout = MB_UNSET;
    c->s3_playback = c->s3_presign_lifetime = MB_UNSET;
}

void mb_live_conf_merge(mb_live_conf *c, const mb_live_conf *base,
                        const mb_live_conf *add)
{
    c->root = MB_PICK(base, add, root);
    c->max_upload = MB_PICK_SET(base, add, max_upload);
    c->quota = MB_PICK_SET(base, add, quota);
    c->max_segments = MB_PICK_SET(base, add, max_segments);
    c->sync = MB_PICK_SET(base, add, sync);
    c->url = MB_PICK(base, add, url);
    c->player_script = MB_PICK(base, add, player_script);
    c->s3_endpoint = MB_PICK(base, add, s3_endpoint);
    c->s3_timeout = MB_PICK_SET(base, add, s3_timeout);
    c->s3_playback = MB_PICK_SET(base, add, s3_playback);
    c->s3_presign_lifetime = MB_PICK_SET(base, add, s3_presign_lifetime);
}

apr_off_t mb_live_max_upload(const mb_live_conf *c)
{
    return c->max_upload > 0 ? c->max_upload : DEFAULT_MAX_UPLOAD;
}

apr_off_t mb_live_quota(const mb_live_conf *c)
{
    return c->quota != MB_UNSET ? c->quota : DEFAULT_QUOTA;
}

int mb_live_max_segments(const mb_live_conf *c)
{
    return c->max_segments != MB_UNSET ? c->max_segments
                                       : DEFAULT_MAX_SEGMENTS;
}

int mb_live_sync(const mb_live_conf *c)
{
    return c->sync != MB_UNSET ? c->sync : DEFAULT_SYNC;
}

const char *mb_live_url(const mb_live_conf *c)
{
    return c->url ? c->url : DEFAULT_URL;
}

const char *mb_live_player_script(const mb_live_conf *c)
{
    return c->player_script ? c->player_script : DEFAULT_PLAYER_SCRIPT;
}

const char *mb_live_s3_endpoint(apr_pool_t *p, const mb_live_conf *c,
                                const char *region)
{
    return c->s3_endpoint ? c->s3_endpoint
                          : apr_pstrcat(p, "https://s3.", region,
                                        ".amazonaws.com", NULL);
}

int mb_live_s3_timeout(const mb_live_conf *c)
{
    return c->s3_timeout != MB_UNSET ? c->s3_timeout : DEFAULT_S3_TIMEOUT;
}

int mb_live_s3_playback(const mb_live_conf *c)
{
    return c->s3_playback != MB_UNSET ? c->s3_playback : DEFAULT_S3_PLAYBACK;
}

int mb_live_s3_presign_lifetime(const mb_live_conf *c)
{
    return c->s3_presign_lifetime != MB_UNSET ? c->s3_presign_lifetime
                                              : DEFAULT_S3_PRESIGN_LIFETIME;
}
