/*
 * watch/queue.c -- the watch log's queue in each child process and its
 * writer thread (BroadcastWatchLog; the path of a row is told in
 * src/watch/record.c).
 *
 *   the queue      rows arrive from log_transaction (src/watch/record.c),
 *                  or are dropped and counted when it is full.
 *   writer thread  one per child: takes the queued rows as one batch,
 *                  writes each server's rows in one transaction
 *                  (src/watch/sql.c), drops (and counts) what fails, and
 *                  reports drops in the error log at most once per
 *                  BroadcastWatchLogReport.
 *   child pool cleanup  stops the writer after it has written what is
 *                  still queued (graceful stop, restart, exit).
 *
 * Memory: the queue owns two batch pools (the one being filled and the one
 * being written), each cleared after its batch; a mutex-protected
 * allocator lets request threads fill one while the writer clears the
 * other.  Rows in memory are bounded by BroadcastWatchLogQueue.
 */
#include "watch/watch.h"
#include "watch/queue.h"
#include "metrics/metrics.h"

#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <unistd.h>

APLOG_USE_MODULE(broadcast);

#define BATCH_EARLY     1024    /* rows that start a write at once (4 x 256) */
#define RETRY_PAUSE     apr_time_from_sec(1)

static struct {
    server_rec *s;              /* main server, for the writer's messages */
    apr_thread_mutex_t *mutex;
    apr_thread_cond_t *cond;
    apr_thread_t *thread;
    watch_batch batches[2];
    watch_batch *fill;          /* rows arrive here                   */
    int in_flight;              /* rows the writer is writing         */
    int stopping;
    apr_uint64_t dropped;       /* since the last report              */
    apr_uint64_t dropped_total, written_total;
    apr_time_t last_report;
    char reason[256];           /* why rows were last dropped         */
} q;

static int queue_ready;         /* this child has a running writer */

int mb_watch_queue_ready(void)
{
    return queue_ready;
}

/* Count `n` dropped rows and why (caller holds the mutex). */
static void drop_locked(apr_uint64_t n, const char *why)
{
    char *c;

    q.dropped += n;
    mb_metrics_count(MB_M_WATCH_DROPPED, (apr_int64_t)n);
    q.dropped_total += n;
    apr_cpystrn(q.reason, why, sizeof(q.reason));
    for (c = q.reason; *c; c++) {   /* database messages have newlines */
        if ((unsigned char)*c < 0x20) {
            *c = ' ';
        }
    }
}

/* Report drops if there are any and the last report is old enough (or
 * `force`).  Takes the mutex; logs outside of it. */
static void maybe_report(int force)
{
    apr_uint64_t n, total;
    char reason[sizeof(q.reason)];
    apr_time_t now = apr_time_now();
    apr_interval_time_t every = mb_watch_settings_get()->report_every;

    apr_thread_mutex_lock(q.mutex);
    if (q.dropped == 0
        || (!force && q.last_report && now - q.last_report < every)) {
        apr_thread_mutex_unlock(q.mutex);
        return;
    }
    n = q.dropped;
    total = q.dropped_total;
    q.dropped = 0;
    q.last_report = now;
    memcpy(reason, q.reason, sizeof(reason));
    apr_thread_mutex_unlock(q.mutex);

    ap_log_error(APLOG_MARK, APLOG_ERR, 0, q.s,
                 MBLOGNO(0510) "watch log: %" APR_UINT64_T_FMT " rows "
                 "dropped (%" APR_UINT64_T_FMT " since this process "
                 "started, pid %" APR_PID_T_FMT "): %s", n, total,
                 getpid(), reason);
}

/* ---- rows arriving ------------------------------------------------------ */

apr_pool_t *mb_watch_queue_open(void)
{
    watch_batch *b;

    apr_thread_mutex_lock(q.mutex);
    b = q.fill;
    if (q.stopping
        || b->count + q.in_flight >= mb_watch_settings_get()->queue_max) {
        drop_locked(1, q.stopping ? "the process is stopping"
                                  : "the queue is full (database slow or "
                                    "unavailable)");
        apr_thread_mutex_unlock(q.mutex);
        maybe_report(0);
        return NULL;
    }
    return b->pool;
}

void mb_watch_queue_append(watch_row *row)
{
    watch_batch *b = q.fill;

    if (b->tail) {
        b->tail->next = row;
    }
    else {
        b->head = row;
        b->first = apr_time_now();
    }
    b->tail = row;
    b->count++;
    mb_metrics_count(MB_M_WATCH_QUEUED, 1);
    if (b->count == 1 || b->count == BATCH_EARLY) {
        apr_thread_cond_signal(q.cond);
    }
    apr_thread_mutex_unlock(q.mutex);
}

/* ---- the writer -------------------------------------------------------- */

/* Write a whole batch, one transaction per server.  Returns the rows that
 * could not be written. */
static int write_batch(watch_batch *b)
{
    watch_row *row;
    int lost = 0, written = 0;
    const char *why = NULL;

    for (row = b->head; row; row = row->next) {
        if (row->s != NULL) {
            int n = 0, w = mb_watch_write_rows(b, row->s, &n, &why);
            written += w;
            lost += n - w;
        }
    }
    apr_thread_mutex_lock(q.mutex);
    q.written_total += (apr_uint64_t)written;
    mb_metrics_count_watch_batch(written, lost);
    if (lost) {
        drop_locked((apr_uint64_t)lost, why ? why : "unknown error");
    }
    apr_thread_mutex_unlock(q.mutex);
    return lost;
}

static void *APR_THREAD_FUNC writer_main(apr_thread_t *thd, void *data)
{
    apr_time_t pause_until = 0;

    (void)data;
    apr_thread_mutex_lock(q.mutex);
    for (;;) {
        watch_batch *b = q.fill;
        apr_time_t now = apr_time_now();

        if (b->count == 0) {
            if (q.stopping) {
                break;
            }
            /* idle: wake up now and then to report drops */
            apr_thread_cond_timedwait(q.cond, q.mutex,
                                      apr_time_from_sec(1));
            apr_thread_mutex_unlock(q.mutex);
            maybe_report(0);
            apr_thread_mutex_lock(q.mutex);
            continue;
        }
        /* let a batch gather rows for a while, and after a failure give
         * the database a moment, unless the queue fills or we stop */
        if (!q.stopping && b->count < BATCH_EARLY) {
            apr_time_t until =
                b->first + mb_watch_settings_get()->flush_wait;
            if (pause_until > until) {
                until = pause_until;
            }
            if (now < until) {
                apr_thread_cond_timedwait(q.cond, q.mutex, until - now);
                continue;
            }
        }
        /* take the batch; rows now go to the other one */
        q.fill = b == &q.batches[0] ? &q.batches[1] : &q.batches[0];
        q.in_flight = b->count;
        apr_thread_mutex_unlock(q.mutex);

        pause_until = write_batch(b) ? apr_time_now() + RETRY_PAUSE : 0;
        maybe_report(q.stopping);
        apr_pool_clear(b->pool);
        b->head = b->tail = NULL;
        b->count = 0;

        apr_thread_mutex_lock(q.mutex);
        q.in_flight = 0;
    }
    apr_thread_mutex_unlock(q.mutex);
    maybe_report(1);
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, q.s,
                 MBLOGNO(0512) "watch log writer of pid %" APR_PID_T_FMT
                 " stopped: %" APR_UINT64_T_FMT " rows written, %"
                 APR_UINT64_T_FMT " dropped", getpid(), q.written_total,
                 q.dropped_total);
    apr_thread_exit(thd, APR_SUCCESS);
    return NULL;
}

/* Pre-cleanup of the child pool: runs before mod_dbd's connection pools
 * (sub-pools of the child pool) go away, so the writer can still write
 * what is queued. */
static apr_status_t stop_writer(void *data)
{
    apr_status_t rv;

    (void)data;
    if (!queue_ready) {
        return APR_SUCCESS;
    }
    apr_thread_mutex_lock(q.mutex);
    q.stopping = 1;
    apr_thread_cond_signal(q.cond);
    apr_thread_mutex_unlock(q.mutex);
    apr_thread_join(&rv, q.thread);
    queue_ready = 0;
    return APR_SUCCESS;
}

void mb_watch_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_allocator_t *alloc = NULL;
    apr_thread_mutex_t *amutex = NULL;
    apr_pool_t *qpool = NULL;
    apr_status_t rv;
    int i;

    queue_ready = 0;
    if (!mb_watch_settings_get()->used) {
        return;
    }
    memset(&q, 0, sizeof(q));
    q.s = s;
    /* The batch pools get their own allocator, guarded by a mutex: a
     * request thread may allocate in one while the writer clears the
     * other. */
    if ((rv = apr_allocator_create(&alloc)) != APR_SUCCESS
        || (rv = apr_thread_mutex_create(&amutex, APR_THREAD_MUTEX_DEFAULT,
                                         pchild)) != APR_SUCCESS
        || (apr_allocator_mutex_set(alloc, amutex),
            rv = apr_pool_create_ex(&qpool, pchild, NULL, alloc))
               != APR_SUCCESS) {
        if (alloc && qpool == NULL) {
            apr_allocator_destroy(alloc);
        }
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     MBLOGNO(0501) "watch log: cannot create the queue; "
                     "nothing will be recorded by this process");
        return;
    }
    apr_allocator_owner_set(alloc, qpool);
    apr_pool_tag(qpool, "mb_watch_queue");
    for (i = 0; i < 2; i++) {
        apr_pool_create(&q.batches[i].pool, qpool);
        apr_pool_tag(q.batches[i].pool, "mb_watch_batch");
    }
    q.fill = &q.batches[0];
    if ((rv = apr_thread_mutex_create(&q.mutex, APR_THREAD_MUTEX_DEFAULT,
                                      qpool)) != APR_SUCCESS
        || (rv = apr_thread_cond_create(&q.cond, qpool)) != APR_SUCCESS
        || (rv = apr_thread_create(&q.thread, NULL, writer_main, NULL,
                                   qpool)) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     MBLOGNO(0502) "watch log: cannot start the writer "
                     "thread; nothing will be recorded by this process");
        return;
    }
    queue_ready = 1;
    apr_pool_pre_cleanup_register(pchild, NULL, stop_writer);
}
