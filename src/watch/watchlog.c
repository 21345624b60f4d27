/*
 * watchlog.c -- recording the watch log (BroadcastWatchLog).
 *
 * The path of a row, from the request to the database:
 *
 *   handler hook (first)  a request for a playback handler, in a location
 *                         with the log on, is marked: the Range it asked
 *                         for is kept (the video handler may remove the
 *                         header) and a counting output filter is added.
 *   output filter         counts the body bytes of a 2xx response that
 *                         the network layer accepted (after the headers,
 *                         so HEAD and error pages count 0).
 *   log_transaction       the response is gone: the row is copied into
 *                         the queue of this child process, or dropped and
 *                         counted when the queue is full.  Never waits for
 *                         the database.
 *   writer thread         one per child: takes the queued rows as one
 *                         batch, writes each server's rows in one
 *                         transaction through mod_dbd, drops (and counts)
 *                         what fails, and reports drops in the error log
 *                         at most once per BroadcastWatchLogReport.
 *   child pool cleanup    stops the writer after it has written what is
 *                         still queued (graceful stop, restart, exit).
 *
 * Memory: the queue owns two batch pools (the one being filled and the one
 * being written), each cleared after its batch; a mutex-protected
 * allocator lets request threads fill one while the writer clears the
 * other.  Rows in memory are bounded by BroadcastWatchLogQueue.
 */
#include "watch/watch.h"
#include "live/live.h"
#include "mb_dbfault.h"
#include "mb_number.h"
#include "mb_query.h"
#include "mb_text.h"

#include <http_protocol.h>
#include <http_request.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <unistd.h>

APLOG_USE_MODULE(broadcast);

/* The statements of the watch log.  Written once for SQLite and
 * PostgreSQL; times are microseconds since 1970 (UTC) in a 64-bit
 * integer, so that minutes and periods are integer arithmetic in both. */
#define VIEWER "COALESCE('u:' || user_name, 'a:' || client_ip)"
#define FILTERS                                                           \
    "(%s IS NULL OR path = %s) AND (%s IS NULL OR user_name = %s) "      \
    "AND (%s IS NULL OR stream_id = %s)"

#define INSERT_INTO                                                       \
    "INSERT INTO watch_log (time_us, method, path, stream_id, user_name, " \
    "authenticated, client_ip, range_header, status, bytes_sent, "         \
    "user_agent) VALUES "
#define ROW_VALUES "(%lld, %s, %s, %s, %s, %d, %s, %s, %d, %lld, %s)"
#define ROW_ARGS 11

/* The insert of MULTI rows at once (one round trip, one statement to run
 * for SQLite): built by build_multi_insert() before it is prepared. */
#define MULTI 128
static char multi_insert[sizeof(INSERT_INTO)
                        + MULTI * sizeof(ROW_VALUES ", ")];

static void build_multi_insert(void)
{
    static int built;
    char *o = multi_insert;
    int i;

    if (built) {
        return;
    }
    built = 1;
    memcpy(o, INSERT_INTO, sizeof(INSERT_INTO) - 1);
    o += sizeof(INSERT_INTO) - 1;
    for (i = 0; i < MULTI; i++) {
        if (i) {
            *o++ = ',';
            *o++ = ' ';
        }
        memcpy(o, ROW_VALUES, sizeof(ROW_VALUES) - 1);
        o += sizeof(ROW_VALUES) - 1;
    }
    *o = '\0';
}

const mb_dbd_stmt mb_watch_stmts[] = {
    { MB_SQL_WATCH_INSERT, INSERT_INTO ROW_VALUES },
    { MB_SQL_WATCH_INSERT_MULTI, multi_insert },
    { MB_SQL_WATCH_TOTALS,
      "SELECT COUNT(*), COUNT(DISTINCT " VIEWER "), "
      "COALESCE(SUM(bytes_sent), 0) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS },
    { MB_SQL_WATCH_TOP,
      "SELECT path, COUNT(*), COUNT(DISTINCT " VIEWER "), "
      "COALESCE(SUM(bytes_sent), 0) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS " "
      "GROUP BY path ORDER BY COUNT(*) DESC, path LIMIT 20" },
    { MB_SQL_WATCH_CHART,
      "SELECT time_us / 60000000, COUNT(*) FROM watch_log "
      "WHERE time_us >= %lld AND " FILTERS " GROUP BY time_us / 60000000" },
    { MB_SQL_WATCH_RECENT,
      "SELECT id, time_us, method, path, stream_id, user_name, "
      "authenticated, client_ip, range_header, status, bytes_sent, "
      "user_agent FROM watch_log WHERE " FILTERS " "
      "ORDER BY time_us DESC, id DESC LIMIT %d OFFSET %d" },
    { MB_SQL_WATCH_VIEWERS,
      "SELECT stream_id, COUNT(DISTINCT " VIEWER "), COUNT(*) "
      "FROM watch_log WHERE stream_id IS NOT NULL AND time_us >= %lld "
      "GROUP BY stream_id" },
    { NULL, NULL }
};

/* Handlers whose requests are logged. */
static const char *const logged_handlers[] = {
    MB_HANDLER_VIDEO,
    MB_HANDLER_LIVE,            /* live playback (GET/HEAD only)      */
    NULL
};

#define DEFAULT_QUEUE   10000   /* rows per child                     */
#define DEFAULT_FLUSH   500     /* ms a row may wait for its batch    */
#define DEFAULT_REPORT  60      /* s between two reports of drops     */
#define BATCH_EARLY     1000    /* rows that start a write at once    */
#define RETRY_PAUSE     apr_time_from_sec(1)

#define CTX_KEY "mb_watch_ctx"

/* ---- configuration (process-wide, main server) ------------------------ */

static int watch_used;                  /* some BroadcastWatchLog On */
static int queue_max = DEFAULT_QUEUE;
static apr_interval_time_t flush_wait;  /* set in pre_config */
static apr_interval_time_t report_every;

int mb_watch_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                        apr_pool_t *ptemp)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    watch_used = 0;
    queue_max = DEFAULT_QUEUE;
    flush_wait = apr_time_from_msec(DEFAULT_FLUSH);
    report_every = apr_time_from_sec(DEFAULT_REPORT);
    return OK;
}

const char *mb_cmd_watch_log(cmd_parms *cmd, void *dcfg, int on)
{
    mb_dir_conf *conf = dcfg;

    conf->watch_log = on ? 1 : 0;
    if (on) {
        watch_used = 1;
        build_multi_insert();
        return mb_dbd_require(cmd, mb_watch_stmts);
    }
    return NULL;
}

/* A whole number in [lo, hi] for a global directive. */
static const char *global_number(cmd_parms *cmd, const char *arg, long lo,
                                 long hi, long *out)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_int64_t v;

    if (err) {
        return err;
    }
    if (mb_int_parse(arg, lo, hi, &v)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from %ld "
                            "to %ld", cmd->cmd->name, arg, lo, hi);
    }
    *out = (long)v;
    return NULL;
}

const char *mb_cmd_watch_queue(cmd_parms *cmd, void *dcfg, const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 10, 1000000, &v);

    (void)dcfg;
    if (!err) {
        queue_max = (int)v;
    }
    return err;
}

const char *mb_cmd_watch_flush(cmd_parms *cmd, void *dcfg, const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 0, 600000, &v);

    (void)dcfg;
    if (!err) {
        flush_wait = apr_time_from_msec(v);
    }
    return err;
}

const char *mb_cmd_watch_report(cmd_parms *cmd, void *dcfg,
                                const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 1, 86400, &v);

    (void)dcfg;
    if (!err) {
        report_every = apr_time_from_sec(v);
    }
    return err;
}

/* ---- the queue of one child process ----------------------------------- */

typedef struct watch_row {
    struct watch_row *next;
    server_rec *s;              /* whose database; NULL once handled */
    apr_int64_t time_us;
    apr_off_t bytes;
    int status, auth;
    const char *method, *path, *stream, *user, *ip, *range, *ua;
} watch_row;

typedef struct {
    apr_pool_t *pool;
    watch_row *head, *tail;
    int count;
    apr_time_t first;           /* when its first row arrived */
} watch_batch;

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

/* Count `n` dropped rows and why (caller holds the mutex). */
static void drop_locked(apr_uint64_t n, const char *why)
{
    char *c;

    q.dropped += n;
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

    apr_thread_mutex_lock(q.mutex);
    if (q.dropped == 0
        || (!force && q.last_report && now - q.last_report < report_every)) {
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

/* ---- marking and counting ---------------------------------------------- */

typedef struct {
    const char *range;          /* the Range header as asked */
    apr_off_t bytes;            /* body bytes accepted by the network */
} watch_ctx;

static ap_filter_rec_t *count_filter_handle;

static apr_status_t count_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    watch_ctx *ctx = f->ctx;
    request_rec *r = f->r;
    apr_off_t n = 0;
    apr_status_t rv;

    /* The headers pass before sent_bodyct is set; error pages and the
     * bodies of HEAD, 304 and friends are not video. */
    if (r->sent_bodyct && !r->header_only && r->status >= 200
        && r->status < 300) {
        apr_bucket *b;

        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            if (b->length == (apr_size_t)-1) {
                const char *data;
                apr_size_t len;

                rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
                if (rv != APR_SUCCESS) {
                    break;
                }
            }
            n += (apr_off_t)b->length;
        }
    }
    rv = ap_pass_brigade(f->next, bb);
    if (rv == APR_SUCCESS) {
        ctx->bytes += n;
    }
    return rv;
}

void mb_watch_register_filter(void)
{
    /* After the protocol filters (the headers, the byte ranges), before
     * the transfer coding. */
    count_filter_handle = ap_register_output_filter(
        "BROADCAST_WATCH_COUNT", count_filter, NULL, AP_FTYPE_PROTOCOL + 5);
}

int mb_watch_mark(request_rec *r)
{
    const mb_dir_conf *conf;
    const char *const *h;
    watch_ctx *ctx;

    if (!queue_ready || r->handler == NULL || r->main != NULL
        || r->method_number != M_GET) {     /* GET and HEAD */
        return DECLINED;
    }
    for (h = logged_handlers; *h && strcmp(*h, r->handler); h++) {
    }
    if (*h == NULL) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    if (conf->watch_log != 1) {
        return DECLINED;
    }
    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ctx->range = apr_table_get(r->headers_in, "Range");
    apr_pool_userdata_setn(ctx, CTX_KEY, NULL, r->pool);
    ap_add_output_filter_handle(count_filter_handle, ctx, r, r->connection);
    return DECLINED;
}

/* The file below `root` ("dir/file"), or NULL. */
static const char *below(const char *file, const char *root)
{
    size_t n = root ? strlen(root) : 0;

    if (file && n && !strncmp(file, root, n) && file[n] == '/') {
        return file + n + 1;
    }
    return NULL;
}

/* The asked file relative to its root: the query parameter in query mode
 * (whatever it held, even when refused), the file below the live root
 * ("<stream id>/<file>"), the mapped file below its <Directory>, or the
 * URL when it is none of these. */
static const char *asked_path(request_rec *r, const mb_dir_conf *conf)
{
    const char *name = NULL;

    if (conf->video_root && !strcmp(r->handler, MB_HANDLER_VIDEO)) {
        const char *param = conf->path_param ? conf->path_param
                                             : MB_DEFAULT_PATH_PARAM;
        return mb_query_get(r->pool, r->args, param, &name) == MB_QUERY_OK
                   ? name : "";
    }
    if ((name = below(r->filename, conf->live_root)) != NULL
        || (name = below(r->filename, conf->dir_path)) != NULL) {
        return name;
    }
    return r->uri ? r->uri : "";
}

int mb_watch_log_transaction(request_rec *r)
{
    watch_ctx *ctx = NULL;
    request_rec *last = r;
    const mb_dir_conf *conf;
    watch_batch *b;
    watch_row *row;
    apr_pool_t *p;
    const char *user, *stream;

    if (!queue_ready || r->main != NULL) {
        return DECLINED;
    }
    apr_pool_userdata_get((void **)&ctx, CTX_KEY, r->pool);
    if (ctx == NULL) {
        return DECLINED;
    }
    while (last->next) {                /* internal redirects */
        last = last->next;
    }
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    user = last->user ? last->user : r->user;
    stream = apr_table_get(last->notes, MB_NOTE_STREAM_ID);
    if (stream == NULL) {
        stream = apr_table_get(r->notes, MB_NOTE_STREAM_ID);
    }
    if (stream == NULL) {       /* set by the configuration (SetEnv) */
        stream = apr_table_get(last->subprocess_env, MB_ENV_STREAM_ID);
    }

    apr_thread_mutex_lock(q.mutex);
    b = q.fill;
    if (q.stopping || b->count + q.in_flight >= queue_max) {
        drop_locked(1, q.stopping ? "the process is stopping"
                                  : "the queue is full (database slow or "
                                    "unavailable)");
        apr_thread_mutex_unlock(q.mutex);
        maybe_report(0);
        return OK;
    }
    p = b->pool;
    row = apr_palloc(p, sizeof(*row));
    row->next = NULL;
    row->s = r->server;
    row->time_us = (apr_int64_t)r->request_time;
    row->bytes = ctx->bytes;
    row->status = last->status;
    row->auth = user != NULL;
    row->method = r->header_only ? "HEAD" : "GET";
    row->path = mb_text_clean(p, asked_path(r, conf), MB_WATCH_MAX_PATH);
    row->stream = mb_text_clean(p, stream, 64);
    row->user = mb_text_clean(p, user, 255);
    row->ip = apr_pstrdup(p, r->useragent_ip);
    row->range = mb_text_clean(p, ctx->range, 255);
    row->ua = mb_text_clean(p, apr_table_get(r->headers_in, "User-Agent"),
                            MB_WATCH_MAX_UA);
    if (b->tail) {
        b->tail->next = row;
    }
    else {
        b->head = row;
        b->first = apr_time_now();
    }
    b->tail = row;
    b->count++;
    if (b->count == 1 || b->count == BATCH_EARLY) {
        apr_thread_cond_signal(q.cond);
    }
    apr_thread_mutex_unlock(q.mutex);
    return OK;
}

/* ---- the writer -------------------------------------------------------- */

int mb_watch_stmt_lost(ap_dbd_t *dbd, int rc)
{
    return mb_dbd_stmt_lost(dbd, apr_dbd_error(dbd->driver, dbd->handle, rc));
}

int mb_watch_reprepare(server_rec *s, ap_dbd_t *dbd, const char *label)
{
    const char *why;

    /* only the statement that was lost: the session may still have the
     * others (a reader that met the reconnected session first prepared
     * its own again) */
    if (mb_dbd_prepare_again(dbd->pool, dbd, label, &why) != 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, MBLOGNO(0503) "watch log: %s",
                     why);
        return -1;
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 MBLOGNO(0504) "watch log: %s prepared again (a "
                               "reconnected session, or a changed schema)",
                 label);
    return 0;
}

/* The failing step of one try of write_once(). */
enum {
    WRITE_OK,
    WRITE_BEGIN,  /* BEGIN failed                                */
    WRITE_INSERT, /* an INSERT failed                            */
    WRITE_COMMIT, /* COMMIT failed                               */
    WRITE_LOST    /* an INSERT whose statement the session lost  */
};

/* One try at writing the rows of server `s` in `b` in one transaction on
 * `dbd`.  Returns WRITE_OK, or the failing step with *why (and, for
 * WRITE_LOST, the label to prepare again in *lost); the transaction is
 * over either way (rolled back), so that what follows runs outside it. */
static int write_once(watch_batch *b, server_rec *s, ap_dbd_t *dbd,
                      const char **lost, const char **why)
{
    apr_pool_t *p = b->pool;
    apr_dbd_prepared_t *st, *multi;
    watch_row *row;
    int rc, nrows;

    (void)s;
    st = apr_hash_get(dbd->prepared, MB_SQL_WATCH_INSERT, APR_HASH_KEY_STRING);
    multi = apr_hash_get(dbd->prepared, MB_SQL_WATCH_INSERT_MULTI,
                         APR_HASH_KEY_STRING);
    if (st == NULL || multi == NULL) {
        *lost = st ? MB_SQL_WATCH_INSERT_MULTI : MB_SQL_WATCH_INSERT;
        *why = apr_pstrcat(p, *lost, " is not prepared", NULL);
        return WRITE_LOST;
    }
    /* BEGIN and COMMIT as plain statements rather than
     * apr_dbd_transaction_start/end: the pgsql driver of APR-util 1.6
     * dereferences a NULL transaction when BEGIN fails on a connection
     * the server has dropped, and crashes the process. */
    rc = apr_dbd_query(dbd->driver, dbd->handle, &nrows,
                       strcmp(mb_dbd_engine(dbd), "sqlite3")
                           ? "BEGIN" : "BEGIN IMMEDIATE");
    if (rc != 0) {
        *why = apr_pstrcat(p, "cannot start a transaction: ",
                           apr_dbd_error(dbd->driver, dbd->handle, rc),
                           NULL);
        return WRITE_BEGIN;
    }
    /* MULTI rows per statement while there are that many, then one by
     * one */
    row = b->head;
    while (row) {
        const char *args[MULTI * ROW_ARGS];
        int k = 0, i = 0;
        watch_row *r;

        for (r = row; r && k < MULTI; r = r->next) {
            k += r->s == s;
        }
        if (k < MULTI) {
            k = 1;
        }
        while (row && i < k) {
            if (row->s == s) {
                const char **a = args + i * ROW_ARGS;
                a[0] = apr_psprintf(p, "%" APR_INT64_T_FMT, row->time_us);
                a[1] = row->method;
                a[2] = row->path;
                a[3] = row->stream;
                a[4] = row->user;
                a[5] = row->auth ? "1" : "0";
                a[6] = row->ip;
                a[7] = row->range;
                a[8] = apr_itoa(p, row->status);
                a[9] = apr_off_t_toa(p, row->bytes);
                a[10] = row->ua;
                i++;
            }
            row = row->next;
        }
        if (i == 0) {
            break;
        }
        rc = apr_dbd_pquery(dbd->driver, p, dbd->handle, &nrows,
                            k == MULTI ? multi : st, k * ROW_ARGS, args);
        if (rc != 0) {
            int gone = mb_watch_stmt_lost(dbd, rc);

            *why = apr_pstrcat(p, "insert failed: ",
                               apr_dbd_error(dbd->driver, dbd->handle, rc),
                               NULL);
            /* PostgreSQL refuses everything but ROLLBACK in a failed
             * transaction, PREPARE included */
            apr_dbd_query(dbd->driver, dbd->handle, &nrows, "ROLLBACK");
            *lost =
                k == MULTI ? MB_SQL_WATCH_INSERT_MULTI : MB_SQL_WATCH_INSERT;
            return gone ? WRITE_LOST : WRITE_INSERT;
        }
    }
    rc = apr_dbd_query(dbd->driver, dbd->handle, &nrows, "COMMIT");
    if (rc != 0) {
        *why = apr_pstrcat(p, "commit failed: ",
                           apr_dbd_error(dbd->driver, dbd->handle, rc),
                           NULL);
        /* SQLite keeps the transaction open after a failed COMMIT */
        apr_dbd_query(dbd->driver, dbd->handle, &nrows, "ROLLBACK");
        return WRITE_COMMIT;
    }
    return WRITE_OK;
}

/* Write the rows of server `s` in `b` (and mark them handled), on one
 * connection, recovering from each of these at most once:
 * - BEGIN or an INSERT failed on an engine with a server (not SQLite,
 *   where a failed BEGIN is a lock already waited for): maybe a connection
 *   the server dropped (a restart, a terminated backend), before or in the
 *   middle of the transaction; it is reconnected (apr_dbd_check_conn, a
 *   no-op on a healthy one) and the batch written again;
 * - an insert statement the session lost (a reconnected PostgreSQL
 *   session has none, SQLite's die at a schema change): that statement,
 *   and only it, is prepared again on this session, outside the rolled
 *   back transaction, and the batch written again (once per statement
 *   and session).
 * A failed COMMIT is not tried again: the rows may be in.  Returns the
 * number written, and sets *n_rows and (on failure) *why. */
static int write_server_rows(watch_batch *b, server_rec *s, int *n_rows,
                             const char **why)
{
    apr_pool_t *p = b->pool;
    ap_dbd_t *dbd;
    watch_row *row;
    int n = 0, step = -1, reconnected = 0, lost_single = 0, lost_multi = 0;

    for (row = b->head; row; row = row->next) {
        n += row->s == s;
    }
    *n_rows = n;
    if ((dbd = mb_dbd_open(p, s)) == NULL) {
        *why = "no database connection (mod_dbd could not open one)";
    }
    while (dbd) {
        const char *lost = NULL;
        int *once;

        step = write_once(b, s, dbd, &lost, why);
        if (step == WRITE_LOST) {
            once =
                strcmp(lost, MB_SQL_WATCH_INSERT) ? &lost_multi : &lost_single;
            if (*once || mb_watch_reprepare(s, dbd, lost) != 0) {
                break;
            }
            *once = 1;
        }
        else if ((step == WRITE_BEGIN || step == WRITE_INSERT) &&
                 !reconnected && mb_dbfault_may_reconnect(mb_dbd_engine(dbd))) {
            reconnected = 1;
            lost_single = lost_multi = 0; /* a new session has none */
            if (apr_dbd_check_conn(dbd->driver, p, dbd->handle) !=
                APR_SUCCESS) {
                *why = apr_pstrcat(p, *why, " (reconnecting failed)", NULL);
                break;
            }
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                         MBLOGNO(1800) "watch log: writing again after: %s",
                         *why);
        }
        else {
            break;
        }
    }
    if (dbd) {
        mb_dbd_close(s, dbd);
    }
    for (row = b->head; row; row = row->next) {
        if (row->s == s) {
            row->s = NULL;
        }
    }
    if (step != 0) {
        *why = apr_pstrcat(p, s->server_hostname, ": ", *why, NULL);
        return 0;
    }
    return n;
}

/* Write a whole batch, one transaction per server.  Returns the rows that
 * could not be written. */
static int write_batch(watch_batch *b)
{
    watch_row *row;
    int lost = 0, written = 0;
    const char *why = NULL;

    for (row = b->head; row; row = row->next) {
        if (row->s != NULL) {
            int n = 0, w = write_server_rows(b, row->s, &n, &why);
            written += w;
            lost += n - w;
        }
    }
    apr_thread_mutex_lock(q.mutex);
    q.written_total += (apr_uint64_t)written;
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
            apr_time_t until = b->first + flush_wait;
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
    if (!watch_used) {
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
