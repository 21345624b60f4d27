/*
 * config/live.h -- the configuration of self-hosted live streams
 * (broadcast-live, and the API's local storage): its fields, and accessors
 * that apply the defaults, each in one place (src/config/live.c).
 */
#ifndef MB_CONFIG_LIVE_H
#define MB_CONFIG_LIVE_H

#include <apr_pools.h>

typedef struct {
    const char *root;          /* BroadcastLiveRoot (canonical)           */
    apr_off_t max_upload;      /* BroadcastLiveMaxUpload (MB_UNSET)       */
    apr_off_t quota;           /* BroadcastLiveQuota (MB_UNSET), 0: none  */
    int max_segments;          /* BroadcastLiveMaxSegments (MB_UNSET)     */
    int sync;                  /* BroadcastLiveSync On/Off (MB_UNSET)     */
    const char *url;           /* BroadcastLiveURL (NULL: not set)        */
    const char *player_script; /* BroadcastPlayerScript (NULL: not set)   */
    const char *s3_endpoint;   /* BroadcastS3Endpoint (NULL: not set)     */
    int s3_timeout;            /* BroadcastS3Timeout, s (MB_UNSET)        */
    int s3_playback;           /* BroadcastS3Playback (MB_UNSET)          */
    int s3_presign_lifetime;   /* BroadcastS3PresignLifetime, s (MB_UNSET) */
} mb_live_conf;

/* BroadcastS3Playback: the module reads every file from S3 and sends it
 * (proxy), or sends the playlists with pre-signed segment URLs and
 * redirects to S3 for the rest (redirect). */
#define MB_S3_PLAYBACK_PROXY 0
#define MB_S3_PLAYBACK_REDIRECT 1

void mb_live_conf_init(mb_live_conf *c);
void mb_live_conf_merge(mb_live_conf *c, const mb_live_conf *base,
                        const mb_live_conf *add);

/* BroadcastLiveMaxUpload, default 64M. */
apr_off_t mb_live_max_upload(const mb_live_conf *c);
/* BroadcastLiveQuota, default 16G; 0: no limit. */
apr_off_t mb_live_quota(const mb_live_conf *c);
/* BroadcastLiveMaxSegments, default 50000. */
int mb_live_max_segments(const mb_live_conf *c);
/* BroadcastLiveSync, default On. */
int mb_live_sync(const mb_live_conf *c);
/* BroadcastLiveURL, default /live (no trailing slash). */
const char *mb_live_url(const mb_live_conf *c);
/* BroadcastPlayerScript, default /broadcast-assets/hls.min.js. */
const char *mb_live_player_script(const mb_live_conf *c);
/* BroadcastS3Endpoint, default the AWS regional endpoint of `region`
 * (BroadcastS3Region), https://s3.REGION.amazonaws.com (in pool p). */
const char *mb_live_s3_endpoint(apr_pool_t *p, const mb_live_conf *c,
                                const char *region);
/* BroadcastS3Timeout, default 30 s. */
int mb_live_s3_timeout(const mb_live_conf *c);
/* BroadcastS3Playback, default proxy (MB_S3_PLAYBACK_PROXY). */
int mb_live_s3_playback(const mb_live_conf *c);
/* BroadcastS3PresignLifetime, default 300 s. */
int mb_live_s3_presign_lifetime(const mb_live_conf *c);

#endif /* MB_CONFIG_LIVE_H */
