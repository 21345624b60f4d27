/*
 * s3redirect.c -- BroadcastS3Playback redirect: S3 streams' segments go
 * from S3 straight to the viewer.  The playlists are still read, validated
 * and sent by src/live/s3play.c (so Require, the watch log and the status
 * page see every viewer), with each segment URI (and EXT-X-MAP URI) made
 * an absolute URL of the object pre-signed with SigV4 query parameters
 * for BroadcastS3PresignLifetime seconds (src/core/s3presign.c); a
 * playlist named in a master playlist stays relative (the module serves
 * it too).  A direct GET of a segment or thumb.jpg through the module is
 * answered 302 to such a URL.  The access key id is in these URLs by
 * SigV4's design; the secret key never leaves the module.
 */
#include "live/live_int.h"
#include "config/live.h"
#include "mb_hls.h"
#include "mb_s3get.h"
#include "mb_s3presign.h"

#include <http_protocol.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

const char *mb_live_s3_presign(request_rec *r, const mb_dir_conf *conf,
                               const char *url)
{
    const mb_api_conf *api = &conf->api;
    const char *signed_url = mb_s3_presign(
        r->pool, "GET", url, mb_api_region(api), api->access_key,
        api->secret_key, apr_time_now(),
        mb_live_s3_presign_lifetime(&conf->live));

    if (signed_url == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3700) "cannot pre-sign the S3 URL %s", url);
    }
    return signed_url;
}

int mb_live_s3_redirect(request_rec *r, const mb_dir_conf *conf,
                        const char *url)
{
    const char *to = mb_live_s3_presign(r, conf, url);

    if (to == NULL) {
        return mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR, "presign_failed",
                             "the storage URL cannot be signed");
    }
    apr_table_setn(r->headers_out, "Location", to);
    /* the URL expires: no cache may keep the redirect (err_headers_out:
     * httpd's answer to a returned 302 keeps only those, and Location) */
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    return HTTP_MOVED_TEMPORARILY;
}

typedef struct {
    request_rec *r;
    const mb_dir_conf *conf;
    const char *endpoint;
    const char *prefix;
    int failed;
} presign_ctx;

/* a segment's URI to its pre-signed URL; a playlist's kept (NULL) */
static const char *presign_uri(const char *uri, void *data)
{
    presign_ctx *c = data;
    const char *to;

    if (mb_hls_is_playlist(uri)) {
        return NULL;
    }
    to = mb_live_s3_presign(
        c->r, c->conf,
        mb_s3_object_url(c->r->pool, c->endpoint, c->conf->api.bucket,
                         mb_s3_object_key(c->r->pool, c->prefix, uri)));
    if (to == NULL) {
        c->failed = 1;
    }
    return to;
}

int mb_live_s3_presign_held(request_rec *r, const mb_dir_conf *conf,
                            const char *key, apr_bucket_brigade *held,
                            apr_table_t *s3_headers, const char *text,
                            apr_size_t *len)
{
    const char *slash = strrchr(key, '/');
    presign_ctx c = {r, conf, NULL, NULL, 0};
    const char *out;

    /* the playlist's directory: the stream's prefix */
    c.prefix = slash ? apr_pstrmemdup(r->pool, key, slash - key + 1) : "";

    c.endpoint = mb_live_s3_endpoint(r->pool, &conf->live,
                                     mb_api_region(&conf->api));
    out = mb_hls_rewrite_uris(r->pool, text, *len, presign_uri, &c);
    if (c.failed) {
        return mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR, "presign_failed",
                             "the storage URLs cannot be signed");
    }
    *len = strlen(out);
    apr_table_unset(s3_headers, "ETag");
    apr_brigade_cleanup(held);
    return apr_brigade_write(held, NULL, NULL, out, *len) == APR_SUCCESS
               ? DECLINED : HTTP_INTERNAL_SERVER_ERROR;
}
