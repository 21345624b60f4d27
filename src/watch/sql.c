/*
 * watch/sql.c -- all the SQL of the watch log's writer: the inserts of 1,
 * 8, 32 and 256 rows at once, and how a batch of one server's
 * rows is written with them in one transaction (BEGIN, the inserts,
 * COMMIT), recovering from a dropped connection or a lost statement.
 * The table: conf/schema/<engine>/watch_log.sql.  The status page's reads
 * of it are src/status/queries.c.
 */
#include "watch/queue.h"
#include "db/dbd.h"
#include "mb_dbfault.h"

#include <apr_hash.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

/* Written once for SQLite and PostgreSQL; times are microseconds since
 * 1970 (UTC) in a 64-bit integer. */
#define INSERT_INTO                                                       \
    "INSERT INTO watch_log (time_us, method, path, stream_id, user_name, " \
    "authenticated, client_ip, range_header, status, bytes_sent, "         \
    "user_agent, token_id) VALUES "
#define ROW_VALUES "(%lld, %s, %s, %s, %s, %d, %s, %s, %d, %lld, %s, %s)"
#define ROW_ARGS 12

/* The inserts of SIZES[i] rows at once (one round trip, one statement to
 * run), largest first: a batch goes out in as many of the largest as fit,
 * then the next size down, so that its last rows cost at most 7 + 3 + 3
 * statements instead of one each (104 of them for a batch of 1000 rows
 * written 128 at a time, as before).  The texts are built by build_inserts() before they
 * are prepared. */
#define MULTI 256
#define N_SIZES 4
static const int SIZES[N_SIZES] = { MULTI, 32, 8, 1 };
static const char *const LABELS[N_SIZES] = {
    "mb_watch_insert_multi", "mb_watch_insert_32", "mb_watch_insert_8",
    "mb_watch_insert"
};
static char insert_text[N_SIZES][sizeof(INSERT_INTO)
                                 + MULTI * sizeof(ROW_VALUES ", ")];
static mb_dbd_stmt watch_stmts[N_SIZES + 1];

static void build_inserts(void)
{
    static int built;
    int k, i;

    if (built) {
        return;
    }
    built = 1;
    for (k = 0; k < N_SIZES; k++) {
        char *o = insert_text[k];

        memcpy(o, INSERT_INTO, sizeof(INSERT_INTO) - 1);
        o += sizeof(INSERT_INTO) - 1;
        for (i = 0; i < SIZES[k]; i++) {
            if (i) {
                *o++ = ',';
                *o++ = ' ';
            }
            memcpy(o, ROW_VALUES, sizeof(ROW_VALUES) - 1);
            o += sizeof(ROW_VALUES) - 1;
        }
        *o = '\0';
        watch_stmts[k].label = LABELS[k];
        watch_stmts[k].sql = insert_text[k];
    }
}

const char *mb_watch_sql_require(cmd_parms *cmd)
{
    build_inserts();
    return mb_dbd_require(cmd, watch_stmts);
}

/* The index in LABELS of `label`. */
static int size_index(const char *label)
{
    int k;

    for (k = 0; k < N_SIZES - 1 && strcmp(label, LABELS[k]); k++) {
    }
    return k;
}

/* Whether the failure `rc` of a prepared statement on `dbd` means that
 * the statement is gone and must be prepared again: a PostgreSQL session
 * that mod_dbd reconnected (PQreset) lost its statements; SQLite's die at
 * any change of the schema. */
static int stmt_lost(ap_dbd_t *dbd, int rc)
{
    return mb_dbd_stmt_lost(dbd, apr_dbd_error(dbd->driver, dbd->handle, rc));
}

/* Prepare the statement `label` again on `dbd`, the session that lost it
 * and will run it (logged).  0 or -1. */
static int reprepare(server_rec *s, ap_dbd_t *dbd, const char *label)
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
    apr_dbd_prepared_t *st[N_SIZES];
    watch_row *row;
    int rc, nrows, k, left = 0;

    for (k = 0; k < N_SIZES; k++) {
        st[k] = apr_hash_get(dbd->prepared, LABELS[k], APR_HASH_KEY_STRING);
        if (st[k] == NULL) {
            *lost = LABELS[k];
            *why = apr_pstrcat(p, *lost, " is not prepared", NULL);
            return WRITE_LOST;
        }
    }
    for (row = b->head; row; row = row->next) {
        left += row->s == s;
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
    /* the largest statement that the rows left fill, again and again */
    row = b->head;
    for (k = 0; left > 0; ) {
        const char *args[MULTI * ROW_ARGS];
        int i = 0;

        while (SIZES[k] > left) {
            k++;
        }
        while (row && i < SIZES[k]) {
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
                a[11] = row->token_id;
                i++;
            }
            row = row->next;
        }
        left -= i;
        rc = apr_dbd_pquery(dbd->driver, p, dbd->handle, &nrows, st[k],
                            SIZES[k] * ROW_ARGS, args);
        if (rc != 0) {
            int gone = stmt_lost(dbd, rc);

            *why = apr_pstrcat(p, "insert failed: ",
                               apr_dbd_error(dbd->driver, dbd->handle, rc),
                               NULL);
            /* PostgreSQL refuses everything but ROLLBACK in a failed
             * transaction, PREPARE included */
            apr_dbd_query(dbd->driver, dbd->handle, &nrows, "ROLLBACK");
            *lost = LABELS[k];
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
int mb_watch_write_rows(watch_batch *b, server_rec *s, int *n_rows,
                        const char **why)
{
    apr_pool_t *p = b->pool;
    ap_dbd_t *dbd;
    watch_row *row;
    int n = 0, step = -1, reconnected = 0;
    int lost_once[N_SIZES] = { 0 };     /* prepared again on this session */

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
            once = &lost_once[size_index(lost)];
            if (*once || reprepare(s, dbd, lost) != 0) {
                break;
            }
            *once = 1;
        }
        else if ((step == WRITE_BEGIN || step == WRITE_INSERT) &&
                 !reconnected && mb_dbfault_may_reconnect(mb_dbd_engine(dbd))) {
            reconnected = 1;
            memset(lost_once, 0, sizeof(lost_once)); /* a new one has none */
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
