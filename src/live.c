/*
 * live.c -- the broadcast-live handler: HLS ingest with HTTP PUT/DELETE
 * (Authorization: Bearer <upload token>), and playback of the stream's
 * playlists and segments through the video handler's Range machinery.
 *
 *   PUT    <loc>/<id>/<file>   upload (written to a temporary name, renamed
 *                              into place only when complete)
 *   DELETE <loc>/<id>/<file>   remove an old segment
 *   GET    <loc>/<id>/<file>   playback (206, 416, HEAD, conditionals)
 *   GET    <loc>/<id>/         the player page
 */
#include "mb_live.h"
#include "mb_hls.h"
#include "mb_path.h"
#include "mb_size.h"
#include "mb_json.h"
#include "mb_uuid.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <apr_file_io.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <errno.h>

APLOG_USE_MODULE(broadcast);

const mb_dbd_stmt mb_live_stmts[] = {
    { "mb_live_stream",
      "SELECT is_live, upload_token_hash, upload_expires_us FROM mb_stream "
      "WHERE id = %s" },
    { "mb_live_by_token",
      "SELECT id FROM mb_stream WHERE upload_token_hash = %s" },
    { "mb_live_insert",
      "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live, "
      "start_us, upload_token_hash, upload_expires_us) "
      "VALUES (%s, %s, %s, 'hls', '', 1, %lld, %s, %lld)" },
    { "mb_live_token",
      "UPDATE mb_stream SET upload_token_hash = %s, upload_expires_us = %lld "
      "WHERE id = %s AND is_live = 1" },
    { NULL, NULL }
};

/* ---- configuration ------------------------------------------------------ */

const char *mb_cmd_live_root(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    const char *err;

    if (arg[0] != '/') {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           " must be an absolute path", NULL);
    }
    if ((err = mb_dbd_require(cmd, mb_live_stmts)) != NULL) {
        return err;
    }
    conf->live_root = mb_path_realpath(cmd->pool, arg);
    if (conf->live_root == NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, " ", arg,
                           ": no such directory", NULL);
    }
    return NULL;
}

const char *mb_cmd_live_max_upload(cmd_parms *cmd, void *dcfg,
                                   const char *arg)
{
    mb_dir_conf *conf = dcfg;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0 || v == 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size above 0 (e.g. 512K, 64M)", NULL);
    }
    conf->live_max_upload = (apr_off_t)v;
    return NULL;
}

const char *mb_cmd_live_url(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    size_t n = strlen(arg);

    if (!(arg[0] == '/' || !strncmp(arg, "http://", 7)
          || !strncmp(arg, "https://", 8))
        || ap_strchr_c(arg, '"') || ap_strchr_c(arg, '?')
        || ap_strchr_c(arg, '#')) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": a path (/live) or "
                           "an absolute http(s) URL", NULL);
    }
    while (n > 1 && arg[n - 1] == '/') {
        n--;
    }
    conf->live_url = apr_pstrmemdup(cmd->pool, arg, n);
    return NULL;
}

const char *mb_cmd_player_script(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;

    if (ap_strchr_c(arg, '"') || ap_strchr_c(arg, '<')
        || ap_strchr_c(arg, '>')) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": not a usable URL", NULL);
    }
    conf->player_script = arg;
    return NULL;
}

/* ---- helpers ------------------------------------------------------------ */

const char *mb_live_token_hash(apr_pool_t *p, const char *token)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0, i;
    char *hex;

    if (!EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL)) {
        return NULL;
    }
    hex = apr_palloc(p, n * 2 + 1);
    for (i = 0; i < n; i++) {
        apr_snprintf(hex + i * 2, 3, "%02x", md[i]);
    }
    return hex;
}

const char *mb_live_dir(apr_pool_t *p, const char *live_root, const char *id)
{
    return apr_pstrcat(p, live_root, "/", id, NULL);
}

static int live_error(request_rec *r, int status, const char *code,
                      const char *message)
{
    char *body = apr_psprintf(r->pool,
                              "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n",
                              code, message);   /* fixed ASCII texts only */
    r->status = status;
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, (apr_off_t)strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

/* The answer to a failed write: 507 when the disk is full. */
static int store_error(request_rec *r, apr_status_t rv)
{
    return APR_STATUS_IS_ENOSPC(rv)
               ? live_error(r, HTTP_INSUFFICIENT_STORAGE, "disk_full",
                            "no space left for the stream")
               : live_error(r, HTTP_INTERNAL_SERVER_ERROR, "io_error",
                            "cannot store the file");
}

/* 401 with the Bearer challenge (RFC 6750); `error` names a bad token. */
static int unauthorized(request_rec *r, int bad_token, const char *code,
                        const char *message)
{
    apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                   bad_token ? "Bearer realm=\"broadcast-live\", "
                               "error=\"invalid_token\""
                             : "Bearer realm=\"broadcast-live\"");
    return live_error(r, HTTP_UNAUTHORIZED, code, message);
}

typedef enum { STREAM_OK, STREAM_UNKNOWN, STREAM_DB_ERROR } stream_e;

typedef struct {
    int is_live;
    const char *token_hash;
    apr_int64_t expires_us;
} live_stream;

static stream_e load_stream(request_rec *r, ap_dbd_t *dbd, const char *id,
                            live_stream *st)
{
    apr_dbd_prepared_t *q = mb_dbd_statement(r->server, dbd, "mb_live_stream");
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v;
    int rv;

    if (q == NULL) {
        return STREAM_DB_ERROR;
    }
    rv = apr_dbd_pvselect(dbd->driver, r->pool, dbd->handle, &res, q, 0, id);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0701) "stream lookup failed: %s",
                      apr_dbd_error(dbd->driver, dbd->handle, rv));
        return STREAM_DB_ERROR;
    }
    if (apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1) != 0) {
        return STREAM_UNKNOWN;
    }
    /* copied: an entry lives only until the next row is read (pgsql) */
    v = apr_dbd_get_entry(dbd->driver, row, 0);
    st->is_live = v && (v[0] == '1' || v[0] == 't');
    v = apr_dbd_get_entry(dbd->driver, row, 1);
    st->token_hash = v ? apr_pstrdup(r->pool, v) : NULL;
    v = apr_dbd_get_entry(dbd->driver, row, 2);
    st->expires_us = v ? apr_atoi64(v) : 0;
    /* drain (one row expected) */
    while (apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1) == 0) {
    }
    return STREAM_OK;
}

/* Does this token belong to another stream?  (403 rather than 401) */
static int token_of_other_stream(request_rec *r, ap_dbd_t *dbd,
                                 const char *hash, const char *id)
{
    apr_dbd_prepared_t *q = mb_dbd_statement(r->server, dbd,
                                             "mb_live_by_token");
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int other = 0;

    if (q == NULL || apr_dbd_pvselect(dbd->driver, r->pool, dbd->handle,
                                      &res, q, 0, hash) != 0) {
        return 0;
    }
    while (apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1) == 0) {
        const char *sid = apr_dbd_get_entry(dbd->driver, row, 0);
        other |= sid && strcmp(sid, id) != 0;
    }
    return other;
}

/* 401/403/404/409 for an upload, or OK. */
static int authorize_upload(request_rec *r, const char *id)
{
    const char *auth = apr_table_get(r->headers_in, "Authorization");
    const char *token, *hash;
    ap_dbd_t *dbd;
    live_stream st;

    dbd = mb_dbd_acquire(r);
    if (dbd == NULL) {
        return live_error(r, HTTP_SERVICE_UNAVAILABLE, "database_unavailable",
                          "the stream database is unavailable");
    }
    switch (load_stream(r, dbd, id, &st)) {
    case STREAM_DB_ERROR:
        return live_error(r, HTTP_SERVICE_UNAVAILABLE, "database_unavailable",
                          "the stream database is unavailable");
    case STREAM_UNKNOWN:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0702) "upload to unknown stream %s", id);
        return live_error(r, HTTP_NOT_FOUND, "not_found", "no such stream");
    case STREAM_OK:
        break;
    }
    if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0
        || *(token = auth + 7) == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0703) "upload to %s without a bearer token", id);
        return unauthorized(r, 0, "unauthorized",
                            "an upload token is required (Authorization: Bearer)");
    }
    hash = mb_live_token_hash(r->pool, token);
    if (hash == NULL || st.token_hash == NULL
        || strlen(st.token_hash) != strlen(hash)
        || CRYPTO_memcmp(hash, st.token_hash, strlen(hash)) != 0) {
        if (hash && token_of_other_stream(r, dbd, hash, id)) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          MBLOGNO(0704) "upload to %s with another stream's "
                          "token", id);
            return live_error(r, HTTP_FORBIDDEN, "forbidden",
                              "this token is for another stream");
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0705) "upload to %s with a wrong token", id);
        return unauthorized(r, 1, "unauthorized",
                            "the upload token is not valid");
    }
    if (!st.is_live) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0706) "upload to stopped stream %s", id);
        return live_error(r, HTTP_CONFLICT, "stream_stopped",
                          "the stream is stopped");
    }
    if (st.expires_us <= apr_time_now()) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0707) "upload to %s with an expired token", id);
        return unauthorized(r, 1, "token_expired",
                            "the upload token has expired: refresh it");
    }
    return DECLINED;    /* authorized */
}

/* ---- the segment journal ----------------------------------------------- */

static apr_status_t read_small_file(apr_pool_t *p, const char *path,
                                    apr_size_t max, char **text,
                                    apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t n;

    rv = apr_file_open(&f, path, APR_READ | APR_BINARY, 0, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    if (rv == APR_SUCCESS && (apr_size_t)fi.size > max) {
        rv = APR_EGENERAL;
    }
    if (rv == APR_SUCCESS) {
        n = (apr_size_t)fi.size;
        *text = apr_palloc(p, n + 1);
        rv = apr_file_read_full(f, *text, n, &n);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS;
        }
        (*text)[n] = '\0';
        *len = n;
    }
    apr_file_close(f);
    return rv;
}

static apr_status_t write_atomically(apr_pool_t *p, const char *dir,
                                     const char *final, const char *text)
{
    apr_file_t *f;
    char *tmp = apr_pstrcat(p, dir, "/.write-XXXXXX", NULL);
    apr_size_t n = strlen(text);
    apr_status_t rv;

    rv = apr_file_mktemp(&f, tmp, APR_CREATE | APR_WRITE | APR_EXCL
                         | APR_BINARY, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_write_full(f, text, n, NULL);
    if (rv == APR_SUCCESS) {   /* readable by operators; failure is harmless */
        apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE
                           | APR_FPROT_GREAD | APR_FPROT_WREAD);
    }
    apr_file_close(f);
    if (rv == APR_SUCCESS) {
        rv = apr_file_rename(tmp, final, p);
    }
    if (rv != APR_SUCCESS) {
        apr_file_remove(tmp, p);
    }
    return rv;
}

/* Add the segments of a freshly uploaded playlist to the journal, under an
 * exclusive lock (uploads of one stream may overlap). */
static void journal_playlist(request_rec *r, const char *dir,
                             const char *playlist)
{
    apr_pool_t *p = r->pool;
    const char *jpath = apr_pstrcat(p, dir, "/" MB_LIVE_JOURNAL, NULL);
    const char *lpath = apr_pstrcat(p, dir, "/" MB_LIVE_JOURNAL ".lock", NULL);
    apr_array_header_t *fresh = NULL, *all;
    apr_file_t *lock;
    char *text = NULL;
    apr_size_t len = 0;
    apr_status_t rv;

    if (read_small_file(p, playlist, 4 * 1024 * 1024, &text, &len)
            != APR_SUCCESS
        || mb_hls_parse(p, text, len, &fresh) != 0 || fresh->nelts == 0) {
        return;
    }
    rv = apr_file_open(&lock, lpath, APR_CREATE | APR_WRITE, APR_OS_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_lock(lock, APR_FLOCK_EXCLUSIVE);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0708) "cannot lock the segment journal of %s",
                      dir);
        return;
    }
    text = NULL;
    if (read_small_file(p, jpath, 64 * 1024 * 1024, &text, &len)
        != APR_SUCCESS) {
        text = "";
    }
    all = mb_hls_journal_parse(p, text);
    mb_hls_merge(all, fresh);
    rv = write_atomically(p, dir, jpath, mb_hls_journal_format(p, all));
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0709) "cannot write the segment journal of %s",
                      dir);
    }
    apr_file_unlock(lock);
    apr_file_close(lock);
}

typedef struct {
    apr_pool_t *p;
    const char *dir;
} keep_ctx;

static int segment_present(const char *uri, void *data)
{
    keep_ctx *k = data;
    apr_finfo_t fi;

    return mb_hls_check_name(uri) == MB_HLS_NAME_OK
           && apr_stat(&fi, apr_pstrcat(k->p, k->dir, "/", uri, NULL),
                       APR_FINFO_TYPE, k->p) == APR_SUCCESS
           && fi.filetype == APR_REG;
}

apr_status_t mb_live_write_vod(apr_pool_t *p, const char *dir)
{
    char *text = NULL;
    apr_size_t len = 0;
    keep_ctx k;

    k.p = p;
    k.dir = dir;
    if (read_small_file(p, apr_pstrcat(p, dir, "/" MB_LIVE_JOURNAL, NULL),
                        64 * 1024 * 1024, &text, &len) != APR_SUCCESS) {
        text = "";
    }
    return write_atomically(p, dir, apr_pstrcat(p, dir, "/vod.m3u8", NULL),
                            mb_hls_vod_playlist(p, mb_hls_journal_parse(p, text),
                                                segment_present, &k));
}

/* ---- BroadcastStorage local: provisioning for the API -------------------- */

static const char *new_token(apr_pool_t *p)
{
    unsigned char b[32];
    char *hex = apr_palloc(p, sizeof(b) * 2 + 1);
    size_t i;

    if (RAND_bytes(b, sizeof(b)) != 1) {
        return NULL;
    }
    for (i = 0; i < sizeof(b); i++) {
        apr_snprintf(hex + i * 2, 3, "%02x", b[i]);
    }
    return hex;
}

static json_t *http_endpoint(request_rec *r, const mb_dir_conf *conf,
                             const char *id, const char *token, int lifetime)
{
    const char *base = conf->live_url ? conf->live_url : MB_DEFAULT_LIVE_URL;
    const char *url = apr_pstrcat(r->pool, base, "/", id, "/", NULL);

    if (base[0] == '/') {
        url = ap_construct_url(r->pool, url, r);
    }
    return mb_json_pool(r->pool, json_pack(
        "{s:s, s:s, s:I, s:s}", "upload_url", url, "upload_token", token,
        "expiration", (json_int_t)lifetime, "playlist_url",
        apr_pstrcat(r->pool, url, "index.m3u8", NULL)));
}

static const char *us_arg(apr_pool_t *p, apr_time_t t)
{
    return apr_psprintf(p, "%" APR_TIME_T_FMT, t);
}

int mb_live_start(request_rec *r, ap_dbd_t *dbd, const char *id,
                  const char *owner, const char *name, apr_time_t start,
                  int lifetime, json_t **endpoint)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    apr_dbd_prepared_t *q;
    const char *dir, *token, *hash;
    apr_status_t rv;
    int nrows = 0, err;

    if (conf->live_root == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0718) "BroadcastStorage local needs "
                      "BroadcastLiveRoot");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if ((q = mb_dbd_statement(r->server, dbd, "mb_live_insert")) == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if ((token = new_token(r->pool)) == NULL
        || (hash = mb_live_token_hash(r->pool, token)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0719) "the CSPRNG failed (RAND_bytes)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    dir = mb_live_dir(r->pool, conf->live_root, id);
    rv = apr_dir_make(dir, APR_FPROT_OS_DEFAULT, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0720) "cannot create %s", dir);
        return APR_STATUS_IS_ENOSPC(rv) ? HTTP_INSUFFICIENT_STORAGE
                                        : HTTP_INTERNAL_SERVER_ERROR;
    }
    err = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, &nrows, q,
                          id, owner, name, us_arg(r->pool, start), hash,
                          us_arg(r->pool, start + apr_time_from_sec(lifetime)));
    if (err != 0 || nrows != 1) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0721) "cannot record stream %s: %s", id,
                      err ? apr_dbd_error(dbd->driver, dbd->handle, err)
                          : "no row");
        apr_dir_remove(dir, r->pool);   /* nothing left behind */
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *endpoint = http_endpoint(r, conf, id, token, lifetime);
    return *endpoint ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

int mb_live_refresh(request_rec *r, ap_dbd_t *dbd, const char *id,
                    int lifetime, json_t **endpoint)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    apr_dbd_prepared_t *q = mb_dbd_statement(r->server, dbd, "mb_live_token");
    const char *token = new_token(r->pool), *hash;
    int nrows = 0, err;

    if (q == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (token == NULL || (hash = mb_live_token_hash(r->pool, token)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    err = apr_dbd_pvquery(dbd->driver, r->pool, dbd->handle, &nrows, q, hash,
                          us_arg(r->pool, apr_time_now()
                                              + apr_time_from_sec(lifetime)),
                          id);
    if (err != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0722) "cannot renew the token of %s: %s", id,
                      apr_dbd_error(dbd->driver, dbd->handle, err));
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (nrows != 1) {
        return HTTP_CONFLICT;
    }
    *endpoint = http_endpoint(r, conf, id, token, lifetime);
    return *endpoint ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

void mb_live_finish(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    apr_status_t rv;

    if (conf->live_root == NULL) {
        return;
    }
    rv = mb_live_write_vod(r->pool, mb_live_dir(r->pool, conf->live_root, id));
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0723) "cannot write the recording playlist of "
                      "stream %s", id);
    }
}

/* ---- PUT and DELETE ------------------------------------------------------ */

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

static int live_put(request_rec *r, const mb_dir_conf *conf, const char *dir,
                    const char *name)
{
    apr_off_t limit = conf->live_max_upload > 0 ? conf->live_max_upload
                                                : MB_DEFAULT_LIVE_MAX_UPLOAD;
    const char *final = apr_pstrcat(r->pool, dir, "/", name, NULL);
    const char *clen = apr_table_get(r->headers_in, "Content-Length");
    apr_bucket_brigade *bb;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_off_t total = 0;
    apr_status_t rv;
    tmp_guard *g;
    int seen_eos = 0, existed;
    char *tmp;

    if (clen && apr_atoi64(clen) > limit) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0710) "upload of %s refused: %s bytes over "
                      "the limit", name, clen);
        return live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
                          "the file is larger than BroadcastLiveMaxUpload");
    }

    tmp = apr_pstrcat(r->pool, dir, "/.upload-XXXXXX", NULL);
    rv = apr_file_mktemp(&f, tmp, APR_CREATE | APR_WRITE | APR_EXCL
                         | APR_BINARY, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0711) "cannot create a file in %s", dir);
        return store_error(r, rv);
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
            apr_file_close(f);
            ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r,
                          MBLOGNO(0712) "upload of %s cut off after %"
                          APR_OFF_T_FMT " bytes: nothing stored", name, total);
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
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
                    return live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                      "too_large", "the file is larger "
                                      "than BroadcastLiveMaxUpload");
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

    /* durable before visible; a full disk can also show up here */
    rv = apr_file_flush(f);
    if (rv == APR_SUCCESS) {
        rv = apr_file_close(f);
    }
    else {
        apr_file_close(f);
    }
    if (rv == APR_SUCCESS) {
        apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE
                           | APR_FPROT_GREAD | APR_FPROT_WREAD);
        existed = apr_stat(&fi, final, APR_FINFO_TYPE, r->pool) == APR_SUCCESS;
        rv = apr_file_rename(tmp, final, r->pool);
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0715) "cannot store %s in %s", name, dir);
        return store_error(r, rv);
    }
    g->path = NULL;     /* in place: nothing to clean up */

    if (mb_hls_is_playlist(name) && strcmp(name, "vod.m3u8") != 0) {
        journal_playlist(r, dir, final);
    }
    r->status = existed ? HTTP_NO_CONTENT : HTTP_CREATED;
    if (!existed) {
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->uri, r));
    }
    return OK;
}

static int live_delete(request_rec *r, const char *dir, const char *name)
{
    const char *path = apr_pstrcat(r->pool, dir, "/", name, NULL);
    apr_status_t rv = apr_file_remove(path, r->pool);

    if (APR_STATUS_IS_ENOENT(rv)) {
        return live_error(r, HTTP_NOT_FOUND, "not_found", "no such file");
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0716) "cannot delete %s", path);
        return live_error(r, HTTP_INTERNAL_SERVER_ERROR, "io_error",
                          "cannot delete the file");
    }
    r->status = HTTP_NO_CONTENT;
    return OK;
}

/* ---- playback ----------------------------------------------------------- */

static int live_player(request_rec *r, const mb_dir_conf *conf,
                       const char *dir, const char *id)
{
    apr_finfo_t fi;
    const char *script = conf->player_script ? conf->player_script
                                             : MB_DEFAULT_PLAYER_SCRIPT;
    const char *src;

    r->filename = apr_pstrcat(r->pool, dir, "/", NULL);  /* for the log */
    if (apr_stat(&fi, dir, APR_FINFO_TYPE, r->pool) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        return HTTP_NOT_FOUND;
    }
    src = apr_stat(&fi, apr_pstrcat(r->pool, dir, "/vod.m3u8", NULL),
                   APR_FINFO_TYPE, r->pool) == APR_SUCCESS
              ? "vod.m3u8" : "index.m3u8";
    ap_set_content_type(r, "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'self'; media-src 'self' blob:; "
                   "worker-src 'self' blob:; style-src 'unsafe-inline'; "
                   "script-src 'self' 'unsafe-inline'");
    if (r->header_only) {
        return OK;
    }
    ap_rprintf(r,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<title>Live stream %s</title>\n"
        "<style>body{font-family:sans-serif;margin:2em;background:#111;"
        "color:#eee}video{width:100%%;max-width:960px;background:#000}"
        "</style></head>\n<body>\n<h1>Stream <code>%s</code></h1>\n"
        "<video id=\"video\" controls muted autoplay playsinline></video>\n"
        "<p id=\"status\">loading %s</p>\n"
        "<script src=\"%s\"></script>\n"
        "<script>\n"
        "var v=document.getElementById('video'),s=document.getElementById('status');\n"
        "var src='%s';\n"
        "if (window.Hls && Hls.isSupported()) {\n"
        "  var h=new Hls({liveSyncDurationCount:2});\n"
        "  h.on(Hls.Events.ERROR,function(e,d){if(d.fatal){"
        "s.textContent='error: '+d.details;}});\n"
        "  h.loadSource(src); h.attachMedia(v);\n"
        "} else if (v.canPlayType('application/vnd.apple.mpegurl')) {\n"
        "  v.src=src;\n"
        "} else { s.textContent='this browser cannot play HLS'; }\n"
        "v.addEventListener('timeupdate',function(){s.textContent="
        "'playing '+src+' at '+v.currentTime.toFixed(1)+' s';});\n"
        "v.play().catch(function(){});\n"
        "</script>\n</body></html>\n",
        id, id, src, ap_escape_html(r->pool, script), src);
    return OK;
}

static int live_get(request_rec *r, const mb_dir_conf *conf, const char *dir,
                    const char *name)
{
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);
    const char *real = NULL;
    apr_file_t *fd = NULL;
    apr_status_t rv = APR_SUCCESS;
    mb_path_e pe;

    /* what the watch log records, found or not: "<id>/<name>" */
    r->filename = apr_pstrcat(r->pool, dir, "/", name, NULL);
    if (mb_hls_check_name(name) != MB_HLS_NAME_OK) {
        return HTTP_NOT_FOUND;
    }
    /* confined to the stream's own directory, and what is served is what
     * was checked (mb_path_open) */
    pe = mb_path_open(r->pool, dir, r->filename,
                      APR_FOPEN_READ | APR_FOPEN_BINARY
                      | AP_SENDFILE_ENABLED(core->enable_sendfile),
                      &real, &fd, &rv);
    if (pe == MB_PATH_OUTSIDE) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1105) "refused: %s leads outside its stream's "
                      "directory", name);
    }
    else if (pe == MB_PATH_ERROR) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1106) "cannot open %s", r->filename);
    }
    if (pe != MB_PATH_OK
        || apr_file_info_get(&r->finfo, APR_FINFO_MIN | APR_FINFO_IDENT, fd)
               != APR_SUCCESS) {
        return HTTP_NOT_FOUND;
    }
    r->filename = (char *)real;
    r->finfo.fname = real;
    r->content_type = NULL;
    ap_run_type_checker(r);
    apr_table_setn(r->headers_out, "Cache-Control",
                   mb_hls_is_playlist(name) ? "no-cache"
                                            : "public, max-age=3600");
    return mb_serve_file(r, fd, conf->max_chunk == MB_UNSET
                                    ? MB_DEFAULT_MAX_CHUNK : conf->max_chunk);
}

/* ---- the handler ---------------------------------------------------------- */

int mb_live_handler(request_rec *r)
{
    const mb_dir_conf *conf;
    const char *slash, *name, *id, *dir;
    char *idbuf;
    size_t idlen;
    mb_hls_name_e nk;
    int status;

    if (strcmp(r->handler, MB_HANDLER_LIVE)) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    if (conf->live_root == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0717) "broadcast-live without BroadcastLiveRoot");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ap_allow_standard_methods(r, MERGE_ALLOW, M_GET, M_PUT, M_DELETE,
                              M_OPTIONS, -1);
    if (r->method_number == M_OPTIONS) {
        return DECLINED;
    }

    /* .../<id>/<name> : the last two segments of the URL path */
    slash = strrchr(r->uri, '/');
    if (slash == NULL || slash == r->uri) {
        return HTTP_NOT_FOUND;
    }
    name = slash + 1;
    idlen = 0;
    for (id = slash; id > r->uri && id[-1] != '/'; id--) {
        idlen++;
    }
    idbuf = apr_pstrmemdup(r->pool, id, idlen);
    if (!mb_uuid_valid(idbuf)) {
        return HTTP_NOT_FOUND;
    }
    id = idbuf;
    dir = mb_live_dir(r->pool, conf->live_root, id);
    apr_table_setn(r->notes, "mb-stream-id", id);

    switch (r->method_number) {
    case M_GET:
        if (*name == '\0') {
            return live_player(r, conf, dir, id);
        }
        return live_get(r, conf, dir, name);
    case M_PUT:
    case M_DELETE:
        status = authorize_upload(r, id);
        if (status != DECLINED) {
            return status;
        }
        nk = mb_hls_check_name(name);
        if (nk == MB_HLS_NAME_BAD) {
            return live_error(r, HTTP_BAD_REQUEST, "bad_name",
                              "file names are [A-Za-z0-9._-], no leading dot");
        }
        if (nk == MB_HLS_NAME_BAD_EXT) {
            return live_error(r, HTTP_UNSUPPORTED_MEDIA_TYPE, "bad_extension",
                              "allowed: .m3u8 .ts .m4s .mp4 .aac .vtt .jpg");
        }
        if (r->method_number == M_DELETE) {
            return live_delete(r, dir, name);
        }
        return live_put(r, conf, dir, name);
    default:
        return HTTP_METHOD_NOT_ALLOWED;
    }
}
