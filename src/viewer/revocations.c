/*
 * revocations.c -- the per-process caches of viewer links: what the
 * database says of a link's revocation (src/db/viewer_links.c), kept for
 * BroadcastViewerRevocationCache seconds: a link revoked on any node is
 * refused by every process within that time; and the tokens already
 * verified, so that a player's every request does not pay the HMAC again
 * (a hit still checks the stream and the expiry).  Hashes under one mutex,
 * created at child init from the child's pool; both emptied when either
 * holds CACHE_MAX links, so they never grow past that.  A database that
 * cannot be read is never cached: with the entry expired, the request
 * fails closed (503).  A token is looked up by its whole text: only a
 * token that was valid can be found, so the lookup tells a forger nothing
 * the HMAC's constant-time check would not.
 */
#include "viewer/viewer.h"
#include "mb_uuid.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <string.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

#define CACHE_MAX 4096   /* links remembered per process */

typedef struct {
    mb_viewer_revocation rev;
    apr_time_t read_at;
} cache_entry;

typedef struct {
    char id[MB_UUID_LEN + 1];       /* the stream it is valid for */
    mb_viewer_token t;
} verified_entry;

static apr_pool_t *cache_pool;      /* NULL: no cache in this process */
static apr_hash_t *cache;
static apr_hash_t *verified;        /* token text -> verified_entry */
#if APR_HAS_THREADS
static apr_thread_mutex_t *cache_lock;
#endif

void mb_viewer_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv;

    if ((rv = apr_pool_create(&cache_pool, pchild)) != APR_SUCCESS) {
        cache_pool = NULL;
    }
#if APR_HAS_THREADS
    else if ((rv = apr_thread_mutex_create(&cache_lock,
                                           APR_THREAD_MUTEX_DEFAULT,
                                           pchild)) != APR_SUCCESS) {
        cache_pool = NULL;
    }
#endif
    if (cache_pool == NULL) {
        /* every read then goes to the database: slower, still correct */
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     MBLOGNO(3651) "no revocation cache of viewer links in "
                     "this process");
        return;
    }
    apr_pool_tag(cache_pool, "mb_viewer_revocations");
    cache = apr_hash_make(cache_pool);
    verified = apr_hash_make(cache_pool);
}

static void lock(void)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache_lock);
#endif
}

static void unlock(void)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache_lock);
#endif
}

/* The cached entry of `key` read after `since`: 1 with *out, else 0. */
static int cached(const char *key, apr_time_t since, mb_viewer_revocation *out)
{
    cache_entry *e;
    int hit = 0;

    lock();
    e = apr_hash_get(cache, key, APR_HASH_KEY_STRING);
    if (e != NULL && e->read_at > since) {
        *out = e->rev;
        hit = 1;
    }
    unlock();
    return hit;
}

/* Room for one more entry in `h` (the lock held): both caches emptied
 * when it is full. */
static void make_room(apr_hash_t *h)
{
    if (apr_hash_count(h) >= CACHE_MAX) {
        apr_pool_clear(cache_pool);          /* the keys and entries too */
        cache = apr_hash_make(cache_pool);
        verified = apr_hash_make(cache_pool);
    }
}

static void remember(const char *key, const mb_viewer_revocation *rev,
                     apr_time_t now)
{
    cache_entry *e;

    lock();
    e = apr_hash_get(cache, key, APR_HASH_KEY_STRING);
    if (e == NULL) {
        make_room(cache);
        e = apr_palloc(cache_pool, sizeof(*e));
        apr_hash_set(cache, apr_pstrdup(cache_pool, key), APR_HASH_KEY_STRING,
                     e);
    }
    e->rev = *rev;
    e->read_at = now;
    unlock();
}

int mb_viewer_revocation_of(request_rec *r, const char *id,
                            const char *token_id, mb_viewer_revocation *out)
{
    int secs = mb_viewer_revocation_cache(&mb_dir_conf_of(r)->viewer);
    apr_time_t now = apr_time_now();
    const char *key = NULL;
    ap_dbd_t *dbd;
    int rv;

    if (secs > 0 && cache_pool != NULL) {
        key = apr_pstrcat(r->pool, id, "/", token_id, NULL);
        if (cached(key, now - apr_time_from_sec(secs), out)) {
            return OK;
        }
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;    /* logged by the db layer */
    }
    if ((rv = mb_viewer_link_revoked(r, dbd, id, token_id, out)) != OK) {
        return rv;                          /* logged; not cached */
    }
    if (key != NULL) {
        remember(key, out, now);
    }
    return OK;
}

int mb_viewer_verified(const char *tok, apr_size_t len, const char *id,
                       apr_int64_t now, mb_viewer_token *out)
{
    verified_entry *e;
    int hit = 0;

    if (cache_pool == NULL) {
        return 0;
    }
    lock();
    e = apr_hash_get(verified, tok, (apr_ssize_t)len);
    if (e != NULL && strcmp(e->id, id) == 0 && now < e->t.expires) {
        *out = e->t;
        hit = 1;
    }
    unlock();
    return hit;
}

void mb_viewer_verified_put(const char *tok, apr_size_t len, const char *id,
                            const mb_viewer_token *t)
{
    verified_entry *e;

    if (cache_pool == NULL || strlen(id) != MB_UUID_LEN) {
        return;
    }
    lock();
    if (apr_hash_get(verified, tok, (apr_ssize_t)len) == NULL) {
        make_room(verified);
        e = apr_palloc(cache_pool, sizeof(*e));
        memcpy(e->id, id, MB_UUID_LEN + 1);
        e->t = *t;
        apr_hash_set(verified, apr_pstrmemdup(cache_pool, tok, len),
                     (apr_ssize_t)len, e);
    }
    unlock();
}
