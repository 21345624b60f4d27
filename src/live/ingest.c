/*
 * ingest.c -- the uploads of a self-hosted live stream: PUT writes the body
 * to a temporary file in the stream's directory (BroadcastLiveMaxUpload,
 * BroadcastLiveQuota), checks a playlist, and renames it into place only
 * when complete (a playlist through its journal, src/live/journal.c);
 * DELETE removes an old segment.  Both under the stream's quota lock.
 */
#include "live/live_int.h"
#include "live/journal.h"
#include "metrics/metrics.h"
#include "mb_hls.h"
#include "mb_quota.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_file_io.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

/* The answer to a failed write: 507 when the disk is full. */
static int store_error(request_rec *r, apr_status_t rv)
{
    return APR_STATUS_IS_ENOSPC(rv)
               ? mb_live_error(r, HTTP_INSUFFICIENT_STORAGE, "disk_full",
                               "no space left for the stream")
               : mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR, "io_error",
                               "cannot store the file");
}

typedef struct {
    apr_pool_t *p;
    const char *path;   /* NULL once renamed into place */
} tmp_guard;

static apr_status_t remove_tmp(void *data)
{
    tmp_guard *g = data;

    if (g->path) {
        apr_file_remove(g->path, g->p);
    }
    return APR_SUCCESS;
}

/* ---- BroadcastLiveQuota: the stream's running byte count (src/core/quota.c) -- */

static int quota_exceeded(request_rec *r, const char *name, apr_off_t quota)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1209) "upload of %s refused: the stream would hold "
                  "more than its quota (%" APR_OFF_T_FMT " bytes)", name,
                  quota);
    return mb_live_error(r, HTTP_INSUFFICIENT_STORAGE, "quota_exceeded",
                         "the stream's files would exceed BroadcastLiveQuota");
}

static apr_off_t size_of(apr_pool_t *p, const char *path, int *exists)
{
    apr_finfo_t fi;

    *exists = apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_SIZE, p)
              == APR_SUCCESS;
    return *exists && fi.filetype == APR_REG ? fi.size : 0;
}

/* How many bytes an upload of `final` may have under the quota now (its
 * old version given back), or -1 for no quota.  A hint to refuse early:
 * place_counted() decides. */
static apr_status_t quota_room(request_rec *r, const char *dir,
                               const char *final, apr_off_t quota,
                               apr_off_t *room)
{
    mb_quota *q;
    apr_status_t rv;
    int exists;

    *room = -1;
    if (quota <= 0) {
        return APR_SUCCESS;
    }
    if ((rv = mb_quota_open(&q, dir, r->pool)) != APR_SUCCESS) {
        return rv;
    }
    *room = quota - mb_quota_used(q) + size_of(r->pool, final, &exists);
    mb_quota_close(q);
    return APR_SUCCESS;
}

/* How a complete upload is put in place: a playlist through its journal
 * (mb_journal_store: journal and rename under the stream's journal lock),
 * any other file by rename, the directory synced after it
 * (BroadcastLiveSync).  pl->status is the HTTP answer of a refused
 * journal update (pl->jerr then says why, logged already). */
typedef struct {
    const mb_dir_conf *conf;
    const char *dir, *name;
    const char *body;       /* a playlist's stored bytes (check_playlist) */
    apr_size_t blen;
    int status;
    mb_journal_error jerr;
} placing;

static apr_status_t place_file(request_rec *r, placing *pl, const char *tmp,
                               const char *final)
{
    apr_status_t rv;

    if (mb_journal_wanted(pl->name)) {
        if (pl->body == NULL) {
            return APR_EGENERAL;    /* not read back: never renamed unseen */
        }
        pl->status = mb_journal_store(r, pl->conf, pl->dir, pl->name,
                                      pl->body, pl->blen, tmp, final,
                                      &pl->jerr);
        return pl->status == OK ? APR_SUCCESS : APR_EGENERAL;
    }
    rv = apr_file_rename(tmp, final, r->pool);
    if (rv == APR_SUCCESS && mb_live_sync(&pl->conf->live)) {
        rv = mb_journal_sync_dir(r->pool, pl->dir);
    }
    return rv;
}

/* Put the complete upload `tmp` in place as `final` (place_file) and count
 * it, both under the stream's quota lock, so that concurrent uploads (any
 * child) count right and an overwrite counts the difference.  *over
 * (nothing placed) when the quota does not let it in; a file that does not
 * grow always does. */
static apr_status_t place_counted(request_rec *r, placing *pl,
                                  const char *tmp, const char *final,
                                  apr_off_t size, apr_off_t quota,
                                  int *existed, int *over)
{
    mb_quota *q;
    apr_off_t old, used;
    apr_status_t rv;

    *over = 0;
    if ((rv = mb_quota_open(&q, pl->dir, r->pool)) != APR_SUCCESS) {
        return rv;
    }
    old = size_of(r->pool, final, existed);
    used = mb_quota_used(q) - old + size;
    if (quota > 0 && used > quota && size > old) {
        *over = 1;
    }
    else if ((rv = place_file(r, pl, tmp, final)) == APR_SUCCESS
             && mb_quota_set(q, used) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1210) "cannot update the byte count of %s",
                      pl->dir);
    }
    mb_quota_close(q);
    return rv;
}

/* An uploaded playlist reaches viewers only when every URI in it names a
 * file of the same stream (mb_hls_validate_playlist): else 400, saying
 * which line.  DECLINED when it may be stored (pl->body then holds the
 * bytes read, for the journal), else the handler's answer (sent). */
static int check_playlist(request_rec *r, const char *tmp, const char *name,
                          apr_off_t size, placing *pl)
{
    char *text = NULL;
    apr_size_t len = 0;
    const char *why = NULL;
    apr_status_t rv;
    int line;

    if (size > MB_LIVE_MAX_PLAYLIST) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1206) "playlist %s refused: %" APR_OFF_T_FMT
                      " bytes", name, size);
        return mb_live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                             "a playlist is at most 4 MiB");
    }
    rv = mb_journal_read_file(r->pool, tmp, MB_LIVE_MAX_PLAYLIST, &text, &len);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1207) "cannot read back the playlist %s", tmp);
        return store_error(r, rv);
    }
    line = mb_hls_validate_playlist(text, len, &why);
    if (line == 0) {
        pl->body = text;    /* journaled as read here: read once per PUT */
        pl->blen = len;
        return DECLINED;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1208) "playlist %s refused: line %d: %s", name,
                  line, why);
    return mb_live_error(r, HTTP_BAD_REQUEST, "bad_playlist",
                         apr_psprintf(r->pool, "line %d: %s", line, why));
}

int mb_live_put(request_rec *r, const mb_dir_conf *conf, const char *dir,
                const char *name)
{
    apr_off_t limit = mb_live_max_upload(&conf->live);
    const char *final = apr_pstrcat(r->pool, dir, "/", name, NULL);
    const char *clen = apr_table_get(r->headers_in, "Content-Length");
    apr_bucket_brigade *bb;
    apr_file_t *f;
    apr_off_t total = 0;
    apr_status_t rv;
    apr_off_t quota = mb_live_quota(&conf->live);
    apr_off_t room;
    tmp_guard *g;
    placing pl = {conf, dir, name, NULL, 0, OK, {NULL, NULL}};
    int seen_eos = 0, existed = 0, over = 0, status;
    char *tmp;

    if (clen && apr_atoi64(clen) > limit) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0710) "upload of %s refused: %s bytes over "
                      "the limit", name, mb_log_excerpt(r->pool, clen));
        return mb_live_refuse_unread(r, mb_live_error(
            r, HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
            "the file is larger than BroadcastLiveMaxUpload"));
    }
    rv = quota_room(r, dir, final, quota, &room);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1211) "cannot read the byte count of %s", dir);
        return mb_live_refuse_unread(r, store_error(r, rv));
    }
    if (clen && room >= 0 && apr_atoi64(clen) > room) {
        return mb_live_refuse_unread(r, quota_exceeded(r, name, quota));
    }

    tmp = apr_pstrcat(r->pool, dir, "/.upload-XXXXXX", NULL);
    rv = apr_file_mktemp(&f, tmp, APR_CREATE | APR_WRITE | APR_EXCL
                         | APR_BINARY, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0711) "cannot create a file in %s", dir);
        return mb_live_refuse_unread(r, store_error(r, rv));
    }
    g = apr_palloc(r->pool, sizeof(*g));
    g->p = r->pool;
    g->path = tmp;
    apr_pool_cleanup_register(r->pool, g, remove_tmp, apr_pool_cleanup_null);

    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!seen_eos) {
        apr_bucket *b;

        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, 65536);
        if (rv != APR_SUCCESS) {
            int st = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);

            apr_file_close(f);
            ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r,
                          MBLOGNO(0712) "upload of %s cut off after %"
                          APR_OFF_T_FMT " bytes: nothing stored", name, total);
            r->connection->keepalive = AP_CONN_CLOSE;
            if (st == AP_FILTER_ERROR) {
                return st;      /* an input filter answered already */
            }
            return st == HTTP_REQUEST_TIME_OUT
                       ? mb_live_error(r, st, "timeout",
                                       "the body arrived too "
                                       "slowly (see RequestReadTimeout)")
                       : mb_live_error(r, st, "bad_request",
                                       "the body could not be read whole");
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            const char *data;
            apr_size_t len;

            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
            if (rv == APR_SUCCESS) {
                total += (apr_off_t)len;
                if (total > limit) {
                    apr_file_close(f);
                    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                                  MBLOGNO(0713) "upload of %s refused: "
                                  "over the limit (chunked)", name);
                    /* the connection cannot be reused mid-body */
                    r->connection->keepalive = AP_CONN_CLOSE;
                    return mb_live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                         "too_large", "the file is larger "
                                         "than BroadcastLiveMaxUpload");
                }
                if (room >= 0 && total > room) {
                    apr_file_close(f);
                    r->connection->keepalive = AP_CONN_CLOSE;
                    return quota_exceeded(r, name, quota);
                }
                rv = apr_file_write_full(f, data, len, NULL);
            }
            if (rv != APR_SUCCESS) {
                apr_file_close(f);
                ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                              MBLOGNO(0714) "cannot store %s in %s", name, dir);
                r->connection->keepalive = AP_CONN_CLOSE;
                return store_error(r, rv);
            }
        }
        apr_brigade_cleanup(bb);
    }

    /* durable before visible (BroadcastLiveSync); a full disk can also
     * show up here */
    rv = mb_live_sync(&conf->live) ? apr_file_sync(f) : apr_file_flush(f);
    if (rv == APR_SUCCESS) {
        rv = apr_file_close(f);
    }
    else {
        apr_file_close(f);
    }
    if (rv == APR_SUCCESS && mb_hls_is_playlist(name)
        && (status = check_playlist(r, tmp, name, total, &pl)) != DECLINED) {
        apr_file_remove(tmp, r->pool);
        g->path = NULL;
        return status;
    }
    if (rv == APR_SUCCESS) {
        apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE
                           | APR_FPROT_GREAD | APR_FPROT_WREAD);
        rv = place_counted(r, &pl, tmp, final, total, quota, &existed, &over);
        if (pl.status != OK) {
            return mb_live_error(r, pl.status, pl.jerr.code, pl.jerr.message);
        }
    }
    if (rv == APR_SUCCESS && over) {
        apr_file_remove(tmp, r->pool);
        g->path = NULL;
        return quota_exceeded(r, name, quota);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0715) "cannot store %s in %s", name, dir);
        return store_error(r, rv);
    }
    g->path = NULL;     /* in place: nothing to clean up */

    mb_metrics_count_upload(total);
    r->status = existed ? HTTP_NO_CONTENT : HTTP_CREATED;
    if (!existed) {
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->uri, r));
    }
    return OK;
}

/* The space of a deleted file is given back, under the quota lock. */
int mb_live_delete(request_rec *r, const char *dir, const char *name)
{
    const char *path = apr_pstrcat(r->pool, dir, "/", name, NULL);
    apr_off_t size;
    mb_quota *q;
    apr_status_t rv;
    int exists;

    if ((rv = mb_quota_open(&q, dir, r->pool)) == APR_SUCCESS) {
        size = size_of(r->pool, path, &exists);
        rv = apr_file_remove(path, r->pool);
        if (rv == APR_SUCCESS
            && mb_quota_set(q, mb_quota_used(q) - size) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          MBLOGNO(1213) "cannot update the byte count of %s",
                          dir);
        }
        mb_quota_close(q);
    }
    if (APR_STATUS_IS_ENOENT(rv)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1212) "DELETE of %s: no such file",
                      mb_log_excerpt(r->pool, name));
        return mb_live_error(r, HTTP_NOT_FOUND, "not_found", "no such file");
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0716) "cannot delete %s", path);
        return mb_live_error(r, HTTP_INTERNAL_SERVER_ERROR, "io_error",
                             "cannot delete the file");
    }
    r->status = HTTP_NO_CONTENT;
    return OK;
}
