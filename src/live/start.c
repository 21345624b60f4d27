/*
 * start.c -- BroadcastStorage local: what the broadcast API calls to start
 * a self-hosted live stream (its directory, its row and a fresh upload
 * token), to give it a new token, and after its stop (the recording);
 * and where a stream's directory is.
 */
#include "live/live_int.h"
#include "live/journal.h"
#include "db/streams.h"

#include <http_core.h>
#include <apr_file_io.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

const char *mb_live_dir(apr_pool_t *p, const char *live_root, const char *id)
{
    return apr_pstrcat(p, live_root, "/", id, NULL);
}

int mb_live_dir_here(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *dir = conf->live.root
                          ? mb_live_dir(r->pool, conf->live.root, id)
                          : "(no BroadcastLiveRoot)";
    apr_finfo_t fi;
    apr_status_t rv = conf->live.root
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

const char *mb_live_stream_url(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *base = mb_live_url(&conf->live);
    const char *url = apr_pstrcat(r->pool, base, "/", id, "/", NULL);

    /* a path: on this server, as the request reached it */
    return base[0] == '/' ? ap_construct_url(r->pool, url, r) : url;
}

static mb_json *http_endpoint(request_rec *r, const char *id,
                              const char *token, int lifetime)
{
    const char *url = mb_live_stream_url(r, id);
    mb_json *ep = mb_json_object(r->pool);

    mb_json_set_str(ep, "upload_url", url);
    mb_json_set_str(ep, "upload_token", token);
    mb_json_set_int(ep, "expiration", lifetime);
    mb_json_set_str(ep, "playlist_url",
                    apr_pstrcat(r->pool, url, "index.m3u8", NULL));
    return ep;
}

int mb_live_start(request_rec *r, ap_dbd_t *dbd, const char *id,
                  const char *owner, const char *name, apr_time_t start,
                  int is_private, int lifetime, mb_json **endpoint)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    const char *dir, *token, *hash;
    apr_status_t rv;

    if (conf->live.root == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0718) "BroadcastStorage local needs "
                      "BroadcastLiveRoot");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if ((token = mb_live_new_token(r->pool)) == NULL
        || (hash = mb_live_token_hash(r->pool, token)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0719) "the CSPRNG failed (RAND_bytes)");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    dir = mb_live_dir(r->pool, conf->live.root, id);
    rv = apr_dir_make(dir, APR_FPROT_OS_DEFAULT, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0720) "cannot create %s", dir);
        return APR_STATUS_IS_ENOSPC(rv) ? HTTP_INSUFFICIENT_STORAGE
                                        : HTTP_INTERNAL_SERVER_ERROR;
    }
    if (mb_stream_insert_local(r, dbd, id, owner, name, start, is_private,
                               hash,
                               start + apr_time_from_sec(lifetime)) != OK) {
        apr_dir_remove(dir, r->pool);   /* nothing left behind */
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *endpoint = http_endpoint(r, id, token, lifetime);
    return OK;
}

int mb_live_refresh(request_rec *r, ap_dbd_t *dbd, const char *id,
                    int lifetime, mb_json **endpoint)
{
    const char *token = mb_live_new_token(r->pool), *hash;
    int nrows = 0;

    if (token == NULL || (hash = mb_live_token_hash(r->pool, token)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (mb_stream_renew_token(r, dbd, id, hash,
                              apr_time_now() + apr_time_from_sec(lifetime),
                              &nrows) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (nrows != 1) {
        return HTTP_CONFLICT;
    }
    *endpoint = http_endpoint(r, id, token, lifetime);
    return OK;
}

void mb_live_finish(request_rec *r, const char *id)
{
    const mb_dir_conf *conf = ap_get_module_config(r->per_dir_config,
                                                   &broadcast_module);
    apr_status_t rv;

    if (conf->live.root == NULL) {
        return;
    }
    rv = mb_live_write_vod(r->pool, mb_live_dir(r->pool, conf->live.root, id),
                           mb_live_sync(&conf->live));
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(0723) "cannot write the recording playlist of "
                      "stream %s", id);
    }
}
