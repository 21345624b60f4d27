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
#include "video/video.h"
#include "live/live.h"
#include "guard/guard.h"
#include "mb_hls.h"
#include "live/journal.h"
#include "mb_path.h"
#include "mb_size.h"
#include "mb_json.h"
#include "mb_uuid.h"
#include "mb_quota.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <apr_escape.h>
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

const char *mb_cmd_live_quota(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_dir_conf *conf = dcfg;
    int64_t v;

    if (mb_size_parse(arg, &v) != 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a size (e.g. 2G, 512M; 0 for no limit)",
                           NULL);
    }
    conf->live_quota = (apr_off_t)v;
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
    unsigned int n = 0;

    if (!EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL)) {
        return NULL;
    }
    return apr_pescape_hex(p, md, n, 0); /* lowercase, no colons */
}

const char *mb_live_dir(apr_pool_t *p, const char *live_root, const char *id)
{
    return apr_pstrcat(p, live_root, "/", id, NULL);
}

int mb_live_dir_here(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *dir = conf->live_root
                          ? mb_live_dir(r->pool, conf->live_root, id)
                          : "(no BroadcastLiveRoot)";
    apr_finfo_t fi;
    apr_status_t rv = conf->live_root
                          ? apr_stat(&fi, dir, APR_FINFO_TYPE, r->pool)
                          : APR_ENOENT;

    if (rv == APR_SUCCESS && fi.filetype == APR_DIR) {
        return 1;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                  MBLOGNO(1700) "live stream %s has no directory %s on this "
                  "server: every server that shares the stream table needs "
                  "the same BroadcastLiveRoot (one shared file system), or "
                  "each stream must be routed to the server that started it",
                  id, dir);
    return 0;
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
    int found;
    apr_pool_t *pool;
} live_stream;

/* The row of mb_live_stream (copied: an entry lives only until the next
 * row is read). */
static int live_row(void *baton, const apr_dbd_driver_t *drv,
                    apr_dbd_row_t *row)
{
    live_stream *st = baton;
    const char *v;

    v = apr_dbd_get_entry(drv, row, 0);
    st->is_live = v && (v[0] == '1' || v[0] == 't');
    v = apr_dbd_get_entry(drv, row, 1);
    st->token_hash = v ? apr_pstrdup(st->pool, v) : NULL;
    v = apr_dbd_get_entry(drv, row, 2);
    st->expires_us = v ? apr_atoi64(v) : 0;
    st->found = 1;
    return 0;
}

static stream_e load_stream(request_rec *r, ap_dbd_t *dbd, const char *id,
                            live_stream *st)
{
    st->pool = r->pool;
    st->found = 0;
    if (mb_dbd_rselect(r, dbd, "stream lookup", "mb_live_stream", 1, &id,
                       live_row, st) != OK) {
        return STREAM_DB_ERROR;
    }
    return st->found ? STREAM_OK : STREAM_UNKNOWN;
}

typedef struct {
    const char *id;
    int other;
} other_ctx;

static int other_row(void *baton, const apr_dbd_driver_t *drv,
                     apr_dbd_row_t *row)
{
    other_ctx *c = baton;
    const char *sid = apr_dbd_get_entry(drv, row, 0);

    c->other |= sid && strcmp(sid, c->id) != 0;
    return 0;
}

/* Does this token belong to another stream?  (403 rather than 401)
 * 1 or 0, -1 if the database cannot tell. */
static int token_of_other_stream(request_rec *r, ap_dbd_t *dbd,
                                 const char *hash, const char *id)
{
    other_ctx c;

    c.id = id;
    c.other = 0;
    if (mb_dbd_rselect(r, dbd, "token lookup", "mb_live_by_token", 1, &hash,
                       other_row, &c) != OK) {
        return -1;
    }
    return c.other;
}


/* The answer to an upload refused before its body was read: the rest of
 * the body is not read (httpd's ap_discard_request_body() and a kept-alive
 * connection would wait for every byte of it); the connection is closed
 * after the answer, httpd's lingering close dropping what still arrives. */
static int refuse_unread(request_rec *r, int status)
{
    if (ap_request_has_body(r)) {
        r->connection->keepalive = AP_CONN_CLOSE;
    }
    return status;
}

/* Is this token the one of the stream `st`? */
static int token_matches(const live_stream *st, const char *hash)
{
    return st->token_hash != NULL && strlen(st->token_hash) == strlen(hash)
           && CRYPTO_memcmp(hash, st->token_hash, strlen(hash)) == 0;
}

/* 401/403/409/503 for an upload, or DECLINED (authorized).
 *
 * The token decides, before any byte of the body is read, and the same way
 * for a known and an unknown stream: no token, or a token of no stream, is
 * 401 whether the stream exists or not (no stream-id oracle); a token of
 * another stream is 403.  The database connection is mod_dbd's for just
 * these queries (ap_dbd_open/ap_dbd_close), never tied to the request
 * (ap_dbd_acquire would hold it while the body arrives). */
static int authorize_upload(request_rec *r, const char *id)
{
    const char *auth = apr_table_get(r->headers_in, "Authorization");
    const char *token = NULL, *hash;
    ap_dbd_t *dbd;
    live_stream st;
    stream_e found;
    int other = 0;

    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
        while (*token == ' ') {
            token++;
        }
    }
    if (token == NULL || *token == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1200) "upload to %s without a bearer token", id);
        return unauthorized(r, 0, "unauthorized",
                            "an upload token is required (Authorization: Bearer)");
    }
    if ((hash = mb_live_token_hash(r->pool, token)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    dbd = mb_dbd_open(r->pool, r->server);
    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1201) "database unavailable (mod_dbd gave no "
                      "connection)");
        return live_error(r, HTTP_SERVICE_UNAVAILABLE, "database_unavailable",
                          "the stream database is unavailable");
    }
    found = load_stream(r, dbd, id, &st);
    if (found != STREAM_DB_ERROR
        && !(found == STREAM_OK && token_matches(&st, hash))) {
        other = token_of_other_stream(r, dbd, hash, id);
    }
    mb_dbd_close(r->server, dbd);

    if (found == STREAM_DB_ERROR || other < 0) {
        return live_error(r, HTTP_SERVICE_UNAVAILABLE, "database_unavailable",
                          "the stream database is unavailable");
    }
    if (found != STREAM_OK || !token_matches(&st, hash)) {
        if (other) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1202) "upload to %s with another stream's "
                          "token", id);
            return live_error(r, HTTP_FORBIDDEN, "forbidden",
                              "this token is for another stream");
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1203) "upload to %s with a token of no stream "
                      "(%s)", id, found == STREAM_OK ? "a known stream"
                                                     : "an unknown stream");
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

/* ---- BroadcastStorage local: provisioning for the API -------------------- */

static const char *new_token(apr_pool_t *p)
{
    unsigned char b[32];
    const char *hex;

    if (RAND_bytes(b, sizeof(b)) != 1) {
        return NULL;
    }
    hex = apr_pescape_hex(p, b, sizeof(b), 0); /* lowercase, no colons */
    OPENSSL_cleanse(b, sizeof(b)); /* the token's only copy is its hex */
    return hex;
}

static mb_json *http_endpoint(request_rec *r, const mb_dir_conf *conf,
                              const char *id, const char *token, int lifetime)
{
    const char *base = conf->live_url ? conf->live_url : MB_DEFAULT_LIVE_URL;
    const char *url = apr_pstrcat(r->pool, base, "/", id, "/", NULL);
    mb_json *ep = mb_json_object(r->pool);

    if (base[0] == '/') {
        url = ap_construct_url(r->pool, url, r);
    }
    mb_json_set_str(ep, "upload_url", url);
    mb_json_set_str(ep, "upload_token", token);
    mb_json_set_int(ep, "expiration", lifetime);
    mb_json_set_str(ep, "playlist_url",
                    apr_pstrcat(r->pool, url, "index.m3u8", NULL));
    return ep;
}

static const char *us_arg(apr_pool_t *p, apr_time_t t)
{
    return apr_psprintf(p, "%" APR_TIME_T_FMT, t);
}

int mb_live_start(request_rec *r, ap_dbd_t *dbd, const char *id,
                  const char *owner, const char *name, apr_time_t start,
                  int lifetime, mb_json **endpoint)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *dir, *token, *hash, *args[6];
    apr_status_t rv;
    int nrows = 0, err;

    if (conf->live_root == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0718) "BroadcastStorage local needs "
                      "BroadcastLiveRoot");
        return HTTP_INTERNAL_SERVER_ERROR;
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
    args[0] = id;
    args[1] = owner;
    args[2] = name;
    args[3] = us_arg(r->pool, start);
    args[4] = hash;
    args[5] = us_arg(r->pool, start + apr_time_from_sec(lifetime));
    err = mb_dbd_rquery(r, dbd, "recording a stream", "mb_live_insert", 6, args,
                        &nrows);
    if (err != OK || nrows != 1) {
        if (err == OK) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          MBLOGNO(0721) "cannot record stream %s: no row", id);
        }
        apr_dir_remove(dir, r->pool);   /* nothing left behind */
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *endpoint = http_endpoint(r, conf, id, token, lifetime);
    return OK;
}

int mb_live_refresh(request_rec *r, ap_dbd_t *dbd, const char *id,
                    int lifetime, mb_json **endpoint)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *token = new_token(r->pool), *hash, *args[3];
    int nrows = 0;

    if (token == NULL || (hash = mb_live_token_hash(r->pool, token)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    args[0] = hash;
    args[1] = us_arg(r->pool, apr_time_now() + apr_time_from_sec(lifetime));
    args[2] = id;
    if (mb_dbd_rquery(r, dbd, "renewing an upload token", "mb_live_token", 3,
                      args, &nrows) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (nrows != 1) {
        return HTTP_CONFLICT;
    }
    *endpoint = http_endpoint(r, conf, id, token, lifetime);
    return OK;
}

void mb_live_finish(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    apr_status_t rv;

    if (conf->live_root == NULL) {
        return;
    }
    rv = mb_live_write_vod(r->pool, mb_live_dir(r->pool, conf->live_root, id),
                           mb_journal_sync_on(conf));
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

/* ---- BroadcastLiveQuota: the stream's running byte count (src/core/quota.c) -- */

static int quota_exceeded(request_rec *r, const char *name, apr_off_t quota)
{
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(1209) "upload of %s refused: the stream would hold "
                  "more than its quota (%" APR_OFF_T_FMT " bytes)", name,
                  quota);
    return live_error(r, HTTP_INSUFFICIENT_STORAGE, "quota_exceeded",
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
    if (rv == APR_SUCCESS && mb_journal_sync_on(pl->conf)) {
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
        return live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
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
    return live_error(r, HTTP_BAD_REQUEST, "bad_playlist",
                      apr_psprintf(r->pool, "line %d: %s", line, why));
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
    apr_off_t total = 0;
    apr_status_t rv;
    apr_off_t quota = conf->live_quota != MB_UNSET ? conf->live_quota
                                                   : MB_DEFAULT_LIVE_QUOTA;
    apr_off_t room;
    tmp_guard *g;
    placing pl = {conf, dir, name, NULL, 0, OK, {NULL, NULL}};
    int seen_eos = 0, existed = 0, over = 0, status;
    char *tmp;

    if (clen && apr_atoi64(clen) > limit) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0710) "upload of %s refused: %s bytes over "
                      "the limit", name, mb_log_excerpt(r->pool, clen));
        return refuse_unread(r, live_error(
            r, HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
            "the file is larger than BroadcastLiveMaxUpload"));
    }
    rv = quota_room(r, dir, final, quota, &room);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1211) "cannot read the byte count of %s", dir);
        return refuse_unread(r, store_error(r, rv));
    }
    if (clen && room >= 0 && apr_atoi64(clen) > room) {
        return refuse_unread(r, quota_exceeded(r, name, quota));
    }

    tmp = apr_pstrcat(r->pool, dir, "/.upload-XXXXXX", NULL);
    rv = apr_file_mktemp(&f, tmp, APR_CREATE | APR_WRITE | APR_EXCL
                         | APR_BINARY, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0711) "cannot create a file in %s", dir);
        return refuse_unread(r, store_error(r, rv));
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
                       ? live_error(r, st, "timeout", "the body arrived too "
                                    "slowly (see RequestReadTimeout)")
                       : live_error(r, st, "bad_request",
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
                    return live_error(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
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
    rv = mb_journal_sync_on(conf) ? apr_file_sync(f) : apr_file_flush(f);
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
            return live_error(r, pl.status, pl.jerr.code, pl.jerr.message);
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

    r->status = existed ? HTTP_NO_CONTENT : HTTP_CREATED;
    if (!existed) {
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->uri, r));
    }
    return OK;
}

/* The space of a deleted file is given back, under the quota lock. */
static int live_delete(request_rec *r, const char *dir, const char *name)
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
    if ((status = mb_cors_guard(r, &mb_cors_ingest)) != DECLINED) {
        return status;  /* a cross-site PUT/DELETE, or a CORS preflight */
    }
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
        if (r->method_number == M_PUT || r->method_number == M_DELETE) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1214) "%s refused: \"%s\" is not a stream "
                          "id", r->method, mb_log_excerpt(r->pool, idbuf));
            return refuse_unread(r, live_error(r, HTTP_NOT_FOUND, "not_found",
                                               "no such stream"));
        }
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
            return refuse_unread(r, status);
        }
        nk = mb_hls_check_name(name);
        if (nk != MB_HLS_NAME_OK) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1204) "%s to %s refused: the name \"%s\" "
                          "is not allowed", r->method, id,
                          mb_log_excerpt(r->pool, name));
        }
        if (nk == MB_HLS_NAME_BAD) {
            return refuse_unread(r, live_error(
                r, HTTP_BAD_REQUEST, "bad_name",
                "file names are [A-Za-z0-9._-], no leading dot"));
        }
        if (nk == MB_HLS_NAME_BAD_EXT) {
            return refuse_unread(r, live_error(
                r, HTTP_UNSUPPORTED_MEDIA_TYPE, "bad_extension",
                "allowed: .m3u8 .ts .m4s .mp4 .aac .vtt .jpg"));
        }
        if (!mb_live_dir_here(r, id)) {
            return refuse_unread(r, live_error(r, HTTP_INTERNAL_SERVER_ERROR,
                                               "misconfigured",
                                               MB_LIVE_NOT_HERE));
        }
        if (r->method_number == M_DELETE) {
            return refuse_unread(r, live_delete(r, dir, name));
        }
        if (apr_table_get(r->headers_in, "Content-Range") != NULL) {
            /* a part of a file stored as the whole of it (RFC 9110 14.5) */
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1205) "PUT of %s/%s with Content-Range "
                          "refused", id, name);
            return refuse_unread(r, live_error(
                r, HTTP_BAD_REQUEST, "partial_put",
                "PUT with Content-Range is not supported: upload the "
                "whole file"));
        }
        return live_put(r, conf, dir, name);
    default:
        return HTTP_METHOD_NOT_ALLOWED;
    }
}
