/*
 * unit_conf.c -- the features' configurations (src/config/): every field is
 * created and merged, and each accessor applies its documented default.
 *
 * The merge check does not need to know the fields: the merged structure
 * is first filled with a byte pattern, so a field the merge forgets keeps
 * the pattern and the structure differs from the section it should equal.
 */
#include "tap.h"
#include "mb_private.h"
#include "config/api.h"
#include "config/live.h"
#include "config/video.h"
#include "config/watch.h"
#include "config/viewer.h"
#include "mb_sts.h"

#include <apr_general.h>
#include <string.h>

#define FILL 0xa5

/* base set, add unset: the merge is base; base unset, add set: add; both
 * set: add.  `T` the type, `init`/`merge` its functions, `set` fills every
 * field the test knows with a value that is not the default. */
#define CHECK_MERGE(T, name, init, merge, set)                                \
    do {                                                                      \
        T unset, full, out;                                                   \
        memset(&unset, FILL, sizeof(T));                                      \
        init(&unset);                                                         \
        memset(&full, FILL, sizeof(T));                                       \
        init(&full);                                                          \
        set(&full);                                                           \
        memset(&out, FILL, sizeof(T));                                        \
        merge(&out, &full, &unset);                                           \
        ok(memcmp(&out, &full, sizeof(T)) == 0,                               \
           "%s: an outer section's values reach an inner one that sets none", \
           name);                                                             \
        memset(&out, FILL, sizeof(T));                                        \
        merge(&out, &unset, &full);                                           \
        ok(memcmp(&out, &full, sizeof(T)) == 0,                               \
           "%s: an inner section's values are kept", name);                   \
        memset(&out, FILL, sizeof(T));                                        \
        merge(&out, &unset, &unset);                                          \
        ok(memcmp(&out, &unset, sizeof(T)) == 0,                              \
           "%s: two sections that set nothing merge to nothing set", name);   \
        memset(&out, FILL, sizeof(T));                                        \
        merge(&out, &full, &full);                                            \
        ok(memcmp(&out, &full, sizeof(T)) == 0,                               \
           "%s: both set, the inner section wins", name);                     \
    } while (0)

static int dummy_array, dummy_keys;

static void video_set(mb_video_conf *c)
{
    c->root = "/srv/video";
    c->root_real = "/srv/real/video";
    c->path_param = "file";
    c->max_chunk = 12345;
    c->keys[0] = (const struct mb_hmac_key *)&dummy_array;
    c->keys[1] = (const struct mb_hmac_key *)&dummy_keys;
}

static void live_set(mb_live_conf *c)
{
    c->root = "/srv/live";
    c->max_upload = 1000;
    c->quota = 2000;
    c->max_segments = 30;
    c->sync = 0;
    c->url = "https://cdn.example/live";
    c->player_script = "/js/hls.js";
    c->s3_endpoint = "http://127.0.0.1:7480";
    c->s3_timeout = 7;
    c->s3_playback = MB_S3_PLAYBACK_REDIRECT;
    c->s3_presign_lifetime = 60;
}

static void api_set(mb_api_conf *c)
{
    c->storage = 2;
    c->bucket = "b";
    c->region = "eu-west-1";
    c->path_tmpl = "%{id}/";
    c->sts_endpoint = "http://127.0.0.1:1/";
    c->action = MB_STS_FEDERATION_TOKEN;
    c->role_arn = "arn:aws:iam::1:role/r";
    c->access_key = "AK";
    c->secret_key = "SK";
    c->lifetime = 900;
    c->sts_timeout = 3;
    c->sts_keepalive = 0;
    c->owner_only = 0;
    c->trusted_origins = (apr_array_header_t *)&dummy_array;
    c->max_live = 0;
}

static void watch_set(mb_watch_conf *c)
{
    c->log = 1;
}

static void viewer_set(mb_viewer_conf *c)
{
    c->keys[0] = (const struct mb_hmac_key *)&dummy_array;
    c->keys[1] = (const struct mb_hmac_key *)&dummy_keys;
    c->default_visibility = MB_VIEWER_PRIVATE;
    c->revocation_cache = 0;
}

int main(void)
{
    mb_video_conf v;
    mb_live_conf l;
    mb_api_conf a;
    mb_watch_conf w;

    CHECK_MERGE(mb_video_conf, "video", mb_video_conf_init,
                mb_video_conf_merge, video_set);
    CHECK_MERGE(mb_live_conf, "live", mb_live_conf_init, mb_live_conf_merge,
                live_set);
    CHECK_MERGE(mb_api_conf, "api", mb_api_conf_init, mb_api_conf_merge,
                api_set);
    CHECK_MERGE(mb_watch_conf, "watch", mb_watch_conf_init,
                mb_watch_conf_merge, watch_set);
    CHECK_MERGE(mb_viewer_conf, "viewer", mb_viewer_conf_init,
                mb_viewer_conf_merge, viewer_set);

    /* the halves of a pair are never mixed from two sections */
    {
        mb_video_conf base, add, out;
        mb_video_conf_init(&base);
        mb_video_conf_init(&add);
        base.root = "/a";
        base.root_real = "/real/a";
        add.root = "/b";
        add.root_real = NULL;      /* /b did not exist at startup */
        mb_video_conf_merge(&out, &base, &add);
        ok(!strcmp(out.root, "/b") && out.root_real == NULL,
           "video: BroadcastVideoRoot and its canonical path go together");
    }
    {
        mb_api_conf base, add, out;
        mb_api_conf_init(&base);
        mb_api_conf_init(&add);
        base.access_key = "AK1";
        base.secret_key = "SK1";
        add.access_key = "AK2";
        add.secret_key = "SK2";
        mb_api_conf_merge(&out, &base, &add);
        ok(!strcmp(out.access_key, "AK2") && !strcmp(out.secret_key, "SK2"),
           "api: both halves of BroadcastAWSCredentials from one section");
    }

    /* the defaults, as docs/directives.md states them */
    mb_video_conf_init(&v);
    ok(!strcmp(mb_video_path_param(&v), "path"), "BroadcastPathParam path");
    ok(mb_video_max_chunk(&v) == 8 * 1024 * 1024, "BroadcastMaxChunk 8M");
    v.max_chunk = 0;
    ok(mb_video_max_chunk(&v) == 0, "BroadcastMaxChunk 0: no cap");

    mb_live_conf_init(&l);
    ok(mb_live_max_upload(&l) == 64 * 1024 * 1024, "BroadcastLiveMaxUpload 64M");
    ok(mb_live_quota(&l) == (apr_off_t)16 * 1024 * 1024 * 1024,
       "BroadcastLiveQuota 16G");
    l.quota = 0;
    ok(mb_live_quota(&l) == 0, "BroadcastLiveQuota 0: no limit");
    ok(mb_live_max_segments(&l) == 50000, "BroadcastLiveMaxSegments 50000");
    ok(mb_live_sync(&l) == 1, "BroadcastLiveSync On");
    l.sync = 0;
    ok(mb_live_sync(&l) == 0, "BroadcastLiveSync Off");
    ok(!strcmp(mb_live_url(&l), "/live"), "BroadcastLiveURL /live");
    ok(!strcmp(mb_live_player_script(&l), "/broadcast-assets/hls.min.js"),
       "BroadcastPlayerScript /broadcast-assets/hls.min.js");
    ok(l.root == NULL, "BroadcastLiveRoot: none");
    ok(mb_live_s3_timeout(&l) == 30, "BroadcastS3Timeout 30");
    ok(mb_live_s3_playback(&l) == MB_S3_PLAYBACK_PROXY,
       "BroadcastS3Playback proxy");
    ok(mb_live_s3_presign_lifetime(&l) == 300,
       "BroadcastS3PresignLifetime 300");
    {
        apr_pool_t *p;
        apr_initialize();
        apr_pool_create(&p, NULL);
        ok(!strcmp(mb_live_s3_endpoint(p, &l, "eu-west-3"),
                   "https://s3.eu-west-3.amazonaws.com"),
           "BroadcastS3Endpoint: the region's S3");
        l.s3_endpoint = "http://127.0.0.1:7480";
        ok(!strcmp(mb_live_s3_endpoint(p, &l, "eu-west-3"),
                   "http://127.0.0.1:7480"), "BroadcastS3Endpoint as set");
        apr_pool_destroy(p);
        apr_terminate();
    }

    mb_api_conf_init(&a);
    ok(!strcmp(mb_api_region(&a), "us-east-1"), "BroadcastS3Region us-east-1");
    ok(!strcmp(mb_api_path_tmpl(&a), "%{user}/%{id}/"),
       "BroadcastS3Path %%{user}/%%{id}/");
    ok(mb_api_action(&a) == MB_STS_ASSUME_ROLE, "BroadcastSTSAction AssumeRole");
    ok(mb_api_lifetime(&a) == 3600, "BroadcastCredentialLifetime 3600");
    ok(mb_api_sts_timeout(&a) == 10, "BroadcastSTSTimeout 10");
    ok(mb_api_sts_keepalive(&a) == 1, "BroadcastSTSKeepAlive On");
    ok(mb_api_owner_only(&a) == 1, "BroadcastOwnerOnly On");
    ok(mb_api_max_live(&a) == 5, "BroadcastMaxLiveStreams 5");
    a.max_live = 0;
    ok(mb_api_max_live(&a) == 0, "BroadcastMaxLiveStreams 0: no limit");
    {
        apr_pool_t *p;
        apr_initialize();
        apr_pool_create(&p, NULL);
        ok(!strcmp(mb_api_sts_endpoint(p, &a),
                   "https://sts.us-east-1.amazonaws.com/"),
           "BroadcastSTSEndpoint: the region's STS");
        a.region = "eu-west-3";
        ok(!strcmp(mb_api_sts_endpoint(p, &a),
                   "https://sts.eu-west-3.amazonaws.com/"),
           "BroadcastSTSEndpoint follows BroadcastS3Region");
        a.sts_endpoint = "http://127.0.0.1:7480/";
        ok(!strcmp(mb_api_sts_endpoint(p, &a), "http://127.0.0.1:7480/"),
           "BroadcastSTSEndpoint as set");
        apr_pool_destroy(p);
        apr_terminate();
    }

    mb_watch_conf_init(&w);
    ok(mb_watch_log_on(&w) == 0, "BroadcastWatchLog Off");
    w.log = 1;
    ok(mb_watch_log_on(&w) == 1, "BroadcastWatchLog On");

    {
        mb_viewer_conf base, add, out;
        const struct mb_hmac_key *k1 = (const void *)&dummy_array,
                                 *k2 = (const void *)&dummy_keys;
        mb_viewer_conf_init(&base);
        mb_viewer_conf_init(&add);
        base.keys[0] = k1;
        base.keys[1] = k2;
        add.keys[0] = k2;           /* one secret: no previous one */
        mb_viewer_conf_merge(&out, &base, &add);
        ok(out.keys[0] == k2 && out.keys[1] == NULL,
           "viewer: both secrets of BroadcastViewerSecret from one section");
        ok(mb_viewer_default_visibility(&base) == MB_VIEWER_PUBLIC,
           "BroadcastDefaultVisibility public");
        ok(mb_viewer_revocation_cache(&base) == 5,
           "BroadcastViewerRevocationCache 5 (seconds)");
        base.revocation_cache = 0;
        ok(mb_viewer_revocation_cache(&base) == 0,
           "BroadcastViewerRevocationCache 0: no cache");
    }
    {
        mb_video_conf base, add, out;
        const struct mb_hmac_key *k1 = (const void *)&dummy_array,
                                   *k2 = (const void *)&dummy_keys;
        mb_video_conf_init(&base);
        mb_video_conf_init(&add);
        base.keys[0] = k1;
        base.keys[1] = k2;
        add.keys[0] = k2;           /* one secret: no previous one */
        mb_video_conf_merge(&out, &base, &add);
        ok(out.keys[0] == k2 && out.keys[1] == NULL,
           "video: both secrets of BroadcastVideoSecret from one section");
    }

    return done_testing();
}
