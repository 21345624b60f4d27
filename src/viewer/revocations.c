/*
 * revocations.c -- the per-process cache of what the database says of a
 * viewer link's revocation (src/db/viewer_links.c), kept for
 * BroadcastViewerRevocationCache seconds: a link revoked on any node is
 * refused by every process within that time.  A hash under a mutex,
 * created at child init from the child's pool; emptied when it holds
 * CACHE_MAX links, so it never grows past that.  A database that cannot
 * be read is never cached: with the entry expired, the request fails
 * closed (503).
 */
#include "viewer/viewer.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <http_log.h>

APLOG_USE_MODULE(broadcast);

#define CACHE_MAX 4096   /* links remembered per process */

typedef struct {
    mb_viewer_revocation rev;
    apr_time_t read_at;
} cache_entry;

static apr_pool_t *cache_pool;      /* NULL: no cache in this process */
static apr_hash_t *cache;
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

static void remember(const char *key, const mb_viewer_revocation *rev,
                     apr_time_t now)
{
    cache_entry *e;

    lock();
    e = apr_hash_get(cache, key, APR_HASH_KEY_STRING);
    if (e == NULL) {
        if (apr_hash_count(cache) >= CACHE_MAX) {
            apr_pool_clear(cache_pool);      /* the keys and entries too */
            cache = apr_hash_make(cache_pool);
        }
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
