/*
 * s3rec.c -- the recording of a stream stored in S3 (BroadcastStorage S3),
 * written at its stop (src/api/streams.c) into its own prefix: unless the
 * broadcaster uploaded a vod.m3u8 there, the prefix is listed
 * (ListObjectsV2), its live playlist index.m3u8 read, and a vod.m3u8 of
 * the segments listed (src/core/s3list.c) PUT (a master index.m3u8: a
 * vod.<name> for each of its playlists and a master vod.m3u8 of them, as
 * for local streams); each request signed with
 * SigV4 by libcurl with the module's keys at BroadcastS3Endpoint.  Nothing
 * here fails the stop: a recording that cannot be written is logged once
 * and is then absent (recording_url answers 404).
 */
#include "live/live_int.h"
#include "mb_s3get.h"
#include "mb_s3list.h"
#include "mb_hls.h"

#include <curl/curl.h>
#include <http_core.h>
#include <httpd.h>
#include <apr_escape.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <openssl/evp.h>

APLOG_USE_MODULE(broadcast);

#define MAX_PAGES 100                      /* of 1000 keys each          */
#define MAX_PLAYLIST ((apr_size_t)8 << 20) /* bytes of index.m3u8 read   */
#define MAX_RENDITIONS 32                  /* playlists of a master read */

typedef struct {
    apr_pool_t *p;
    char *buf;
    apr_size_t len, cap, max;
    int too_big;
} body;

static size_t on_body(char *data, size_t size, size_t n, void *u)
{
    body *b = u;
    size_t len = size * n;

    if (b->len + len > b->max) {
        b->too_big = 1;
        return 0;
    }
    if (b->len + len + 1 > b->cap) {
        apr_size_t cap = (b->len + len + 1) * 2;
        char *nb = apr_palloc(b->p, cap);
        if (b->len) {
            memcpy(nb, b->buf, b->len);
        }
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return len;
}

static apr_status_t easy_cleanup(void *data)
{
    curl_easy_cleanup((CURL *)data);
    return APR_SUCCESS;
}

static apr_status_t slist_cleanup(void *data)
{
    curl_slist_free_all((struct curl_slist *)data);
    return APR_SUCCESS;
}

/* One signed request to S3: `method` of `url`, with `put` (len bytes) as
 * the body of a PUT; S3's answer in *out (at most max bytes).  S3's
 * status, or 0 with *why set when there was no answer. */
static long s3_call(request_rec *r, const mb_dir_conf *conf,
                    const char *method, const char *url, const char *put,
                    apr_size_t len, apr_size_t max, body *out,
                    const char **why)
{
    const mb_api_conf *api = &conf->api;
    long timeout_ms = (long)mb_live_s3_timeout(&conf->live) * 1000;
    long status = 0;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *h = NULL, *l;
    const char *sha = MB_S3_EMPTY_SHA256;
    CURL *c = curl_easy_init();
    CURLcode rc;

    memset(out, 0, sizeof(*out));
    out->p = r->pool;
    out->max = max;
    *why = "cannot set up the request";
    if (c == NULL) {
        return 0;
    }
    apr_pool_cleanup_register(r->pool, c, easy_cleanup, apr_pool_cleanup_null);
    if (put) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (!EVP_Digest(put, len, md, &n, EVP_sha256(), NULL)) {
            return 0;
        }
        sha = apr_pescape_hex(r->pool, md, n, 0);
        /* (no "Expect:" to remove a header: libcurl 7.88 would sign it) */
        if ((h = curl_slist_append(NULL, "Content-Type: "
                                         "application/vnd.apple.mpegurl"))
            == NULL) {
            return 0;
        }
    }
    l = curl_slist_append(h, apr_pstrcat(r->pool, "x-amz-content-sha256: ",
                                         sha, NULL));
    if (l == NULL) {
        curl_slist_free_all(h);
        return 0;
    }
    apr_pool_cleanup_register(r->pool, l, slist_cleanup,
                              apr_pool_cleanup_null);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mod_broadcast");
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4,
                     mb_s3_sigv4_param(r->pool, mb_api_region(api)));
    curl_easy_setopt(c, CURLOPT_USERNAME, api->access_key);
    curl_easy_setopt(c, CURLOPT_PASSWORD, api->secret_key);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, l);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (put) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, put);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        *why = out->too_big ? "answer too large"
                            : apr_pstrdup(r->pool, errbuf[0]
                                                       ? errbuf
                                                       : curl_easy_strerror(rc));
        return 0;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    *why = NULL;
    return status;
}

/* What went wrong with a request: libcurl's error, or S3's status and
 * error code. */
static const char *failure(apr_pool_t *p, const char *why, long status,
                           const body *b)
{
    return why ? why
               : apr_psprintf(p, "HTTP %ld %s", status,
                              mb_s3_error_code(p, b->buf));
}

/* GET the playlist `name` of the stream's prefix into *out (at most
 * MAX_PLAYLIST bytes): S3's status, with *why what went wrong unless 200. */
static long get_playlist(request_rec *r, const mb_dir_conf *conf,
                         const char *endpoint, const char *prefix,
                         const char *name, body *out, const char **why)
{
    long status = s3_call(r, conf, "GET",
                          mb_s3_object_url(r->pool, endpoint,
                                           conf->api.bucket,
                                           mb_s3_object_key(r->pool, prefix,
                                                            name)),
                          NULL, 0, MAX_PLAYLIST, out, why);

    *why = status == 200 ? NULL : failure(r->pool, *why, status, out);
    return status;
}

/* PUT the playlist `text` as `name` in the stream's prefix: NULL, or what
 * went wrong. */
static const char *put_playlist(request_rec *r, const mb_dir_conf *conf,
                                const char *endpoint, const char *prefix,
                                const char *name, const char *text)
{
    const char *why;
    body answer;
    long status;

    status = s3_call(r, conf, "PUT",
                     mb_s3_object_url(r->pool, endpoint, conf->api.bucket,
                                      mb_s3_object_key(r->pool, prefix, name)),
                     text, strlen(text), 64 * 1024, &answer, &why);
    return status == 200 ? NULL : failure(r->pool, why, status, &answer);
}

/* The objects under `prefix`, all pages; NULL after logging why not. */
static apr_array_header_t *list_prefix(request_rec *r,
                                       const mb_dir_conf *conf,
                                       const char *endpoint,
                                       const char *prefix, const char *id)
{
    apr_array_header_t *objs = NULL;
    const char *token = NULL, *why, *base;
    body b;
    int page;
    long status;

    base = mb_s3_object_url(r->pool, endpoint, conf->api.bucket, "");
    for (page = 0; page < MAX_PAGES; page++) {
        const char *url = apr_pstrcat(r->pool, base, "?",
                                      mb_s3_list_query(r->pool, prefix, token),
                                      NULL);
        status = s3_call(r, conf, "GET", url, NULL, 0, MB_S3_LIST_MAX_BYTES,
                         &b, &why);
        if (status != 200) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          MBLOGNO(3400) "no recording of stream %s: listing "
                          "%s in S3 failed: %s", id, prefix,
                          failure(r->pool, why, status, &b));
            return NULL;
        }
        if (mb_s3_list_parse(r->pool, b.buf ? b.buf : "", b.len, &objs,
                             &token) != 0) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          MBLOGNO(3401) "no recording of stream %s: S3's "
                          "listing of %s is not a ListBucketResult", id,
                          prefix);
            return NULL;
        }
        if (token == NULL) {
            return objs;
        }
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  MBLOGNO(3402) "no recording of stream %s: more than %d "
                  "pages of objects under %s", id, MAX_PAGES, prefix);
    return NULL;
}

/* A master index.m3u8: each of its playlists (variant lines, URI="..." of
 * #EXT-X-MEDIA and the like) recorded as vod.<name>, as local streams do
 * (src/live/recording.c), then the master made of them as vod.m3u8. */
typedef struct {
    request_rec *r;
    const mb_dir_conf *conf;
    const char *endpoint, *prefix, *id;
    const apr_array_header_t *objs;
    apr_hash_t *done;       /* playlist name -> its recording, or "" */
    int variants, segments;
} master_ctx;

/* The recording of one playlist of the master, PUT to S3: its name, or
 * NULL (logged) when it has none, and the master leaves it out. */
static const char *record_variant(const char *uri, void *data)
{
    master_ctx *m = data;
    request_rec *r = m->r;
    const char *out, *vod, *why, *name;
    body media;
    int kept = 0;

    if ((out = apr_hash_get(m->done, uri, APR_HASH_KEY_STRING)) != NULL) {
        return *out ? out : NULL;
    }
    name = apr_pstrdup(r->pool, uri);
    apr_hash_set(m->done, name, APR_HASH_KEY_STRING, "");
    if (apr_hash_count(m->done) > MAX_RENDITIONS) {
        if (apr_hash_count(m->done) == MAX_RENDITIONS + 1) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          MBLOGNO(3419) "recording of stream %s: its master "
                          "names more than %d playlists: the rest left out",
                          m->id, MAX_RENDITIONS);
        }
        return NULL;
    }
    if (mb_hls_check_name(uri) != MB_HLS_NAME_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3412) "recording of stream %s: a playlist of "
                      "its master is not a plain name of the stream's files: "
                      "left out", m->id);
        return NULL;
    }
    if (get_playlist(r, m->conf, m->endpoint, m->prefix, name, &media, &why)
        != 200) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3413) "recording of stream %s: its playlist "
                      "%s cannot be read from S3 (%s): left out", m->id, uri,
                      why);
        return NULL;
    }
    vod = mb_s3_vod_playlist(r->pool, m->prefix, m->objs,
                             media.buf ? media.buf : "", media.len, &kept);
    if (vod == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3414) "recording of stream %s: its playlist "
                      "%s is not a media playlist: left out", m->id, uri);
        return NULL;
    }
    out = apr_pstrcat(r->pool, "vod.", uri, NULL);
    if ((why = put_playlist(r, m->conf, m->endpoint, m->prefix, out, vod))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3415) "recording of stream %s: the PUT of %s "
                      "to S3 failed (%s): left out", m->id, out, why);
        return NULL;
    }
    apr_hash_set(m->done, name, APR_HASH_KEY_STRING, out);
    m->variants++;
    m->segments += kept;
    return out;
}

static void record_master(request_rec *r, const mb_dir_conf *conf,
                          const char *endpoint, const char *prefix,
                          const char *id, const apr_array_header_t *objs,
                          const body *live)
{
    master_ctx m = {r, conf, endpoint, prefix, id, objs,
                    apr_hash_make(r->pool), 0, 0};
    const char *master, *why;

    master = mb_hls_vod_master(r->pool, live->buf, live->len, record_variant,
                               &m);
    if (master == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3416) "no recording of stream %s: none of the "
                      "playlists of its master index.m3u8 could be recorded",
                      id);
        return;
    }
    if ((why = put_playlist(r, conf, endpoint, prefix, "vod.m3u8", master))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3418) "no recording of stream %s: the PUT of "
                      "its master vod.m3u8 to S3 failed: %s", id, why);
        return;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3417) "recording of stream %s written to S3: a "
                  "master of %d playlists, %d segments", id, m.variants,
                  m.segments);
}

void mb_live_s3_finish(request_rec *r, const char *id, const char *prefix)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *endpoint, *vod, *why;
    apr_array_header_t *objs;
    body live;
    long status;
    int kept;

    if (conf->api.bucket == NULL || conf->api.access_key == NULL
        || prefix == NULL || *prefix == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3403) "no recording of stream %s: writing it "
                      "needs BroadcastS3Bucket, BroadcastAWSCredentials and "
                      "the stream's prefix", id);
        return;
    }
    endpoint = mb_live_s3_endpoint(r->pool, &conf->live,
                                   mb_api_region(&conf->api));
    if ((objs = list_prefix(r, conf, endpoint, prefix, id)) == NULL) {
        return;
    }
    if (mb_s3_listed(objs, prefix, "vod.m3u8")) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      MBLOGNO(3404) "stream %s: the broadcaster uploaded its "
                      "vod.m3u8", id);
        return;
    }
    status = get_playlist(r, conf, endpoint, prefix, "index.m3u8", &live,
                          &why);
    if (status != 200) {
        ap_log_rerror(APLOG_MARK, status == 404 ? APLOG_WARNING : APLOG_ERR,
                      0, r, MBLOGNO(3405) "no recording of stream %s: its "
                      "index.m3u8 cannot be read from S3: %s", id, why);
        return;
    }
    if (live.buf && mb_hls_is_master(live.buf, live.len)) {
        record_master(r, conf, endpoint, prefix, id, objs, &live);
        return;
    }
    vod = mb_s3_vod_playlist(r->pool, prefix, objs,
                             live.buf ? live.buf : "", live.len, &kept);
    if (vod == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3406) "no recording of stream %s: its "
                      "index.m3u8 is not a media playlist", id);
        return;
    }
    if ((why = put_playlist(r, conf, endpoint, prefix, "vod.m3u8", vod))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3407) "no recording of stream %s: the PUT of "
                      "its vod.m3u8 to S3 failed: %s", id, why);
        return;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(3408) "recording of stream %s written to S3: %d "
                  "segments", id, kept);
}
