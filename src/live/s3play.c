/*
 * s3play.c -- playback of a stream stored in S3 (BroadcastStorage S3): GET
 * and HEAD of its playlists and segments, read from the stream's own
 * prefix in the bucket (its row in mb_stream says which, so that every
 * node finds it), signed with SigV4 by libcurl with the module's long-term
 * keys (BroadcastAWSCredentials) at BroadcastS3Endpoint, path-style.
 *
 * The viewer's Range and conditionals go to S3 and S3's 200/206/304/412/416
 * come back with its ETag, Last-Modified, Content-Range and Content-Length;
 * a missing object is 404, any other answer of S3 502, no answer in
 * BroadcastS3Timeout 504.  The body is passed down the output filters as
 * it arrives (a heap bucket and a flush per piece libcurl hands over): the
 * blocking pass is the back-pressure, so a worker holds one piece at a
 * time, and a failed pass (the viewer left) aborts the transfer from S3.
 * A playlist is the exception: held whole (at most MB_S3_PLAYLIST_MAX
 * bytes, asked without the viewer's Range, which httpd's filter then
 * serves) and passed only if mb_hls_validate_playlist accepts it, as the
 * ingest of local streams checks an uploaded one; else 502.
 * BroadcastS3Playback redirect: see src/live/s3redirect.c.
 */
#include "live/live_int.h"
#include "db/streams.h"
#include "video/video.h"
#include "mb_hls.h"
#include "mb_s3get.h"
#include "mb_sts.h"

#include <curl/curl.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <util_filter.h>

APLOG_USE_MODULE(broadcast);

#define ERR_KEEP 1024 /* bytes of an S3 error document kept for the log */
#define MB_S3_PLAYLIST_MAX ((apr_off_t)8 * 1024 * 1024)

/* The process's connections to S3 (and DNS, TLS sessions), shared by its
 * threads' reads (mb_sts_share: a curl share guarded by APR mutexes);
 * NULL: each read opens its own connection. */
static CURLSH *s3_share;

void mb_live_s3_child_init(apr_pool_t *pchild, server_rec *s)
{
    s3_share = mb_sts_share(pchild);
    if (s3_share == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     MBLOGNO(3107) "no curl share: connections to S3 will "
                     "not be reused");
    }
}

typedef struct {
    request_rec *r;
    CURL *h;
    const char *name;
    apr_table_t *hdrs;      /* headers of S3's (last) answer            */
    apr_bucket_brigade *bb;
    int started;            /* the viewer's status and headers are set  */
    int client_gone;        /* a pass down the filters failed           */
    apr_bucket_brigade *held; /* a playlist's body, until validated, or NULL */
    int too_big;            /* the playlist went past MB_S3_PLAYLIST_MAX */
    apr_off_t passed;       /* body bytes passed to the filters         */
    char err[ERR_KEEP + 1]; /* the start of an error document           */
    apr_size_t errlen;
    const mb_dir_conf *redirect; /* BroadcastS3Playback redirect, or NULL */
} s3play;

static size_t on_header(char *buf, size_t size, size_t n, void *u)
{
    s3play *x = u;
    size_t len = size * n;
    const char *colon, *v, *end = buf + len;

    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        apr_table_clear(x->hdrs); /* a new answer (after a 100) */
        return len;
    }
    if ((colon = memchr(buf, ':', len)) == NULL) {
        return len;
    }
    for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++) {
    }
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) {
        end--;
    }
    apr_table_setn(x->hdrs, apr_pstrmemdup(x->r->pool, buf, colon - buf),
                   apr_pstrmemdup(x->r->pool, v, end - v));
    return len;
}

static int copy_back(void *rec, const char *key, const char *value)
{
    request_rec *r = rec;

    if (mb_s3_forward_answer_header(key)) {
        apr_table_set(r->headers_out, key, value);
    }
    return 1;
}

/* The viewer's status and headers from S3's answer. */
static void set_answer(s3play *x, long status)
{
    request_rec *r = x->r;
    const char *cl = apr_table_get(x->hdrs, "Content-Length");
    apr_off_t n;

    r->status = (int)status;
    apr_table_do(copy_back, r, x->hdrs, NULL);
    if (status != HTTP_NOT_MODIFIED && cl != NULL
        && apr_strtoff(&n, cl, NULL, 10) == APR_SUCCESS && n >= 0) {
        ap_set_content_length(r, n);
    }
    ap_set_accept_ranges(r);
    apr_table_setn(r->headers_out, "Cache-Control",
                   mb_hls_is_playlist(x->name) ? "no-cache"
                                               : "public, max-age=3600");
    x->started = 1;
}

static size_t on_body(char *data, size_t size, size_t n, void *u)
{
    s3play *x = u;
    size_t len = size * n;
    conn_rec *c = x->r->connection;
    long status = 0;
    apr_status_t rv;

    if (!x->started) {
        curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
        if (mb_s3_answer_kind(status) != MB_S3GET_BODY) {
            size_t keep = len < ERR_KEEP - x->errlen ? len
                                                     : ERR_KEEP - x->errlen;
            memcpy(x->err + x->errlen, data, keep);
            x->errlen += keep;
            x->err[x->errlen] = '\0';
            return len; /* an error document: for the log only */
        }
        if (x->held == NULL) {
            set_answer(x, status);
        }
    }
    if (x->held) {
        apr_off_t have = 0;
        apr_brigade_length(x->held, 1, &have);
        if (have + (apr_off_t)len > MB_S3_PLAYLIST_MAX) {
            x->too_big = 1;
            return 0;
        }
        return apr_brigade_write(x->held, NULL, NULL, data, len)
                       == APR_SUCCESS ? len : 0;
    }
    APR_BRIGADE_INSERT_TAIL(x->bb,
                            apr_bucket_heap_create(data, len, NULL,
                                                   c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(x->bb, apr_bucket_flush_create(c->bucket_alloc));
    rv = ap_pass_brigade(x->r->output_filters, x->bb);
    apr_brigade_cleanup(x->bb);
    if (rv != APR_SUCCESS || c->aborted) {
        x->client_gone = 1;
        return 0; /* aborts the transfer from S3 */
    }
    x->passed += len;
    return len;
}

typedef struct {
    apr_pool_t *p;
    struct curl_slist *list; /* copies of "Name: value" (libcurl's) */
    int failed;
    int no_range;            /* Range and If-Range not passed */
} header_list;

static int forward_header(void *rec, const char *key, const char *value)
{
    header_list *h = rec;
    struct curl_slist *l;

    if (mb_s3_forward_request_header(key)
        && !(h->no_range && (!strcasecmp(key, "Range")
                             || !strcasecmp(key, "If-Range")))) {
        l = curl_slist_append(h->list,
                              apr_pstrcat(h->p, key, ": ", value, NULL));
        if (l == NULL) {
            h->failed = 1;
            return 0;
        }
        h->list = l;
    }
    return 1;
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

/* S3 may leave out of a 416 its Content-Range and of a 304 its ETag and
 * Last-Modified (Ceph RGW does): a HEAD of the object, without the
 * viewer's headers, tells them.  S3's status of the HEAD, 0 if none. */
static long head_object(s3play *x, struct curl_slist *sha_only)
{
    long status = 0;

    apr_table_clear(x->hdrs);
    curl_easy_setopt(x->h, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, sha_only);
    if (curl_easy_perform(x->h) != CURLE_OK) {
        return 0;
    }
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* The playlist held in x->held, sent if it names only files of its
 * stream; else 502, logged once (the broadcaster uploaded it). */
static int pass_playlist(s3play *x, long status, const char *key)
{
    request_rec *r = x->r;
    const char *why = NULL;
    char *text;
    apr_size_t len;
    int line;

    if (apr_brigade_pflatten(x->held, &text, &len, r->pool) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if ((line = mb_hls_validate_playlist(text, len, &why)) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3411) "playlist %s in S3 not served: line %d: "
                      "%s", key, line, why ? why : "invalid");
        return mb_live_error(r, HTTP_BAD_GATEWAY, "invalid_playlist",
                             "the stream's playlist names files outside "
                             "the stream");
    }
    if (x->redirect && (line = mb_live_s3_presign_held(
                            r, x->redirect, key, x->held, x->hdrs, text, &len))
                           != DECLINED) {
        return line; /* the error answer */
    }
    set_answer(x, status);
    ap_set_content_length(r, (apr_off_t)len);
    APR_BRIGADE_INSERT_TAIL(x->held,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, x->held) == APR_SUCCESS
               ? OK : AP_FILTER_ERROR;
}

/* The stream's row: OK, HTTP_NOT_FOUND (no such stream, or a stream
 * stored elsewhere), or an answer sent (database down). */
static int stream_row(request_rec *r, const char *id, mb_stream **out)
{
    ap_dbd_t *dbd = mb_dbd_open(r->pool, r->server);
    mb_stream *s = NULL;
    int status;

    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3100) "database unavailable (mod_dbd gave no "
                      "connection)");
        return mb_live_error(r, HTTP_SERVICE_UNAVAILABLE,
                             "database_unavailable",
                             "the stream database is unavailable");
    }
    status = mb_stream_get(r, dbd, id, &s);
    mb_dbd_close(r->server, dbd);
    if (status == HTTP_NOT_FOUND) {
        return HTTP_NOT_FOUND;
    }
    if (status != OK) {
        return mb_live_error(r, HTTP_SERVICE_UNAVAILABLE,
                             "database_unavailable",
                             "the stream database is unavailable");
    }
    *out = s;
    return s->s3_path && *s->s3_path ? OK : HTTP_NOT_FOUND;
}

int mb_live_s3_player(request_rec *r, const mb_dir_conf *conf,
                      const char *id)
{
    mb_stream *s = NULL;
    int st;

    apr_table_setn(r->notes, "mb-asked-path",
                   apr_pstrcat(r->pool, id, "/", NULL));
    if ((st = stream_row(r, id, &s)) != OK) {
        return st;
    }
    return mb_live_player_page(r, conf, id,
                               s->live ? "index.m3u8" : "vod.m3u8");
}

int mb_live_s3_get(request_rec *r, const mb_dir_conf *conf, const char *id,
                   const char *name)
{
    const mb_api_conf *api = &conf->api;
    const char *prefix, *key, *url, *range;
    mb_stream *row = NULL;
    long timeout_ms = (long)mb_live_s3_timeout(&conf->live) * 1000;
    header_list headers = {r->pool, NULL, 0, 0};
    struct curl_slist *l, *sha_only;
    char errbuf[CURL_ERROR_SIZE] = "";
    s3play x;
    CURLcode rc;
    long status = 0, connects = 0;
    int st;

    /* what the watch log records, and the media type by the extension */
    apr_table_setn(r->notes, "mb-asked-path",
                   apr_pstrcat(r->pool, id, "/", name, NULL));
    if (mb_hls_check_name(name) != MB_HLS_NAME_OK) {
        return HTTP_NOT_FOUND;
    }
    if (api->bucket == NULL || api->access_key == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3101) "broadcast-live with BroadcastStorage S3 "
                      "needs BroadcastS3Bucket and BroadcastAWSCredentials");
        return mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR, "misconfigured",
                             "S3 playback is not configured");
    }
    if ((st = stream_row(r, id, &row)) != OK) {
        return st;
    }
    prefix = row->s3_path;
    key = mb_s3_object_key(r->pool, prefix, name);
    url = mb_s3_object_url(r->pool,
                           mb_live_s3_endpoint(r->pool, &conf->live,
                                               mb_api_region(api)),
                           api->bucket, key);
    if (mb_live_s3_playback(&conf->live) == MB_S3_PLAYBACK_REDIRECT
        && !mb_hls_is_playlist(name)) {
        return mb_live_s3_redirect(r, conf, url);
    }
    r->filename = apr_pstrcat(r->pool, "s3:", key, NULL);
    r->content_type = NULL;
    ap_run_type_checker(r);
    mb_video_set_content_type(r);

    memset(&x, 0, sizeof(x));
    x.r = r;
    x.name = name;
    x.hdrs = apr_table_make(r->pool, 16);
    x.bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    x.redirect = mb_live_s3_playback(&conf->live) == MB_S3_PLAYBACK_REDIRECT
                     ? conf : NULL;
    if (mb_hls_is_playlist(name) && (!r->header_only || x.redirect)) {
        x.held = apr_brigade_create(r->pool, r->connection->bucket_alloc);
        headers.no_range = 1;
    }
    if ((x.h = curl_easy_init()) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(r->pool, x.h, easy_cleanup,
                              apr_pool_cleanup_null);
    /* redirect: a playlist rewritten, S3's validators do not hold for it */
    apr_table_do(forward_header, &headers,
                 x.redirect ? apr_table_make(r->pool, 1) : r->headers_in, NULL);
    l = headers.failed ? NULL
                       : curl_slist_append(headers.list,
                                           "x-amz-content-sha256: "
                                           MB_S3_EMPTY_SHA256);
    if (l == NULL) {
        curl_slist_free_all(headers.list);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    headers.list = l;
    apr_pool_cleanup_register(r->pool, l, slist_cleanup,
                              apr_pool_cleanup_null);
    if ((sha_only = curl_slist_append(NULL, "x-amz-content-sha256: "
                                            MB_S3_EMPTY_SHA256)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(r->pool, sha_only, slist_cleanup,
                              apr_pool_cleanup_null);
    /* S3 answers the range itself: httpd's filter must not cut again */
    if (x.held == NULL) {
        ap_remove_output_filter_byhandle(r->output_filters, "BYTERANGE");
    }

    if (s3_share) {
        curl_easy_setopt(x.h, CURLOPT_SHARE, s3_share);
    }
    curl_easy_setopt(x.h, CURLOPT_URL, url);
    curl_easy_setopt(x.h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(x.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(x.h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(x.h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(x.h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(x.h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(x.h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(x.h, CURLOPT_USERAGENT, "mod_broadcast");
    curl_easy_setopt(x.h, CURLOPT_AWS_SIGV4,
                     mb_s3_sigv4_param(r->pool, mb_api_region(api)));
    curl_easy_setopt(x.h, CURLOPT_USERNAME, api->access_key);
    curl_easy_setopt(x.h, CURLOPT_PASSWORD, api->secret_key);
    curl_easy_setopt(x.h, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(x.h, CURLOPT_NOBODY, (long)(r->header_only && !x.held));
    curl_easy_setopt(x.h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(x.h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(x.h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(x.h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(x.h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(x.h, CURLOPT_BUFFERSIZE, 128L * 1024); /* bench/ */

    rc = curl_easy_perform(x.h);
    curl_easy_getinfo(x.h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x.h, CURLINFO_NUM_CONNECTS, &connects);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  MBLOGNO(3108) "read of %s from S3: HTTP %ld, %s connection",
                  key, status, connects ? "new" : "reused");
    if (x.client_gone) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(3102) "viewer gone: read of %s from S3 "
                      "aborted after %" APR_OFF_T_FMT " bytes", key,
                      x.passed);
        return OK;
    }
    if (x.too_big) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(3410) "playlist %s in S3 not served: over %"
                      APR_OFF_T_FMT " bytes", key, MB_S3_PLAYLIST_MAX);
        return mb_live_error(r, HTTP_BAD_GATEWAY, "invalid_playlist",
                             "the stream's playlist is too large");
    }
    if (rc != CURLE_OK && x.started) {
        /* the answer has begun: all that is left is to cut it short */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3103) "read of %s from S3 broke after %"
                      APR_OFF_T_FMT " bytes: %s", key, x.passed,
                      errbuf[0] ? errbuf : curl_easy_strerror(rc));
        r->connection->keepalive = AP_CONN_CLOSE;
        r->connection->aborted = 1;
        return OK;
    }
    if (rc != CURLE_OK) {
        int timeout = rc == CURLE_OPERATION_TIMEDOUT;
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3104) "read of %s from S3 failed (%s): %s", key,
                      timeout ? "timeout" : "no answer",
                      errbuf[0] ? errbuf : curl_easy_strerror(rc));
        return timeout ? mb_live_error(r, HTTP_GATEWAY_TIME_OUT, "s3_timeout",
                                       "the storage did not answer in time")
                       : mb_live_error(r, HTTP_BAD_GATEWAY, "s3_unreachable",
                                       "the storage cannot be reached");
    }
    switch (mb_s3_answer_kind(status)) {
    case MB_S3GET_BODY:
        if (x.held) {
            return pass_playlist(&x, status, key);
        }
        if (!x.started) {
            set_answer(&x, status); /* HEAD, an empty object */
        }
        return OK;
    case MB_S3GET_NO_BODY:
        if (apr_table_get(x.hdrs, "ETag") == NULL
            && mb_s3_answer_kind(head_object(&x, sha_only))
                   != MB_S3GET_BODY) {
            apr_table_clear(x.hdrs);
        }
        apr_table_unset(x.hdrs, "Content-Length");
        set_answer(&x, status); /* 304, 412 */
        return OK;
    case MB_S3GET_RANGE:
        range = apr_table_get(x.hdrs, "Content-Range");
        if ((range == NULL || strncmp(range, "bytes */", 8) != 0)
            && mb_s3_answer_kind(head_object(&x, sha_only)) == MB_S3GET_BODY
            && (range = apr_table_get(x.hdrs, "Content-Length")) != NULL) {
            range = apr_pstrcat(r->pool, "bytes */", range, NULL);
        }
        if (range && strncmp(range, "bytes */", 8) == 0) {
            apr_table_setn(r->err_headers_out, "Content-Range", range);
        }
        return HTTP_RANGE_NOT_SATISFIABLE;
    case MB_S3GET_NOT_FOUND:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(3105) "%s: no such object in S3", key);
        return HTTP_NOT_FOUND;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(3106) "S3 refused the read of %s: HTTP %ld %s",
                      key, status, mb_s3_error_code(r->pool, x.err));
        return mb_live_error(r, HTTP_BAD_GATEWAY, "s3_refused",
                             "the storage refused the read");
    }
}
