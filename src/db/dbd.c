/*
 * dbd.c -- mod_broadcast's use of mod_dbd (see src/db/dbd.h).
 */
#include "mb_private.h"
#include "db/dbd.h"
#include "metrics/metrics.h"
#include "mb_dbfault.h"

#include <http_log.h>
#include <apr_hash.h>
#include <apr_optional.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *dbd_prepare;
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire;
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close;

/* Which (server, statement table) pairs are already registered, and the
 * SQL of every label (to prepare a lost statement again); they live in
 * the configuration pool, so a restart starts afresh. */
static apr_hash_t *registered;
static apr_hash_t *sql_of;

static apr_status_t forget_registered(void *data)
{
    (void)data;
    registered = NULL;
    sql_of = NULL;
    return APR_SUCCESS;
}

const char *mb_dbd_require(cmd_parms *cmd, const mb_dbd_stmt *stmts)
{
    const char *key;

    if (dbd_prepare == NULL) {
        dbd_prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
        dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
        dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
        dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
        if (dbd_prepare == NULL || dbd_acquire == NULL
            || dbd_open == NULL || dbd_close == NULL) {
            dbd_prepare = NULL;
            return apr_pstrcat(cmd->pool, cmd->cmd->name,
                               " needs mod_dbd: load it (LoadModule "
                               "dbd_module) before mod_broadcast", NULL);
        }
    }
    if (registered == NULL) {
        registered = apr_hash_make(cmd->pool);
        sql_of = apr_hash_make(cmd->pool);
        apr_pool_cleanup_register(cmd->pool, NULL, forget_registered,
                                  apr_pool_cleanup_null);
    }
    key = apr_psprintf(cmd->pool, "%pp/%pp", (void *)cmd->server,
                       (const void *)stmts);
    if (apr_hash_get(registered, key, APR_HASH_KEY_STRING) == NULL) {
        for (; stmts->label; stmts++) {
            dbd_prepare(cmd->server, stmts->sql, stmts->label);
            apr_hash_set(sql_of, stmts->label, APR_HASH_KEY_STRING, stmts->sql);
        }
        apr_hash_set(registered, key, APR_HASH_KEY_STRING, "");
    }
    return NULL;
}

/* apr_dbd's sqlite3 driver (APR-util 1.6) runs a statement that meets
 * SQLITE_BUSY up to 16 times, 0.1 s apart, and each run waits the whole
 * busy_timeout of the connection: with DBDInitSQL "PRAGMA busy_timeout =
 * 1000" a locked database answered after 16 x 1.1 s = 17.6 s.  So the
 * configured timeout is spread over those runs, once per connection
 * (mb_dbfault_busy_each_ms), and a statement on a locked database fails
 * after about the configured busy_timeout (at least the driver's own
 * 1.6 s of pauses). */
#define BUSY_SPREAD_KEY "mb_dbd_busy_spread"

static void busy_spread(server_rec *s, ap_dbd_t *dbd)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL;
    void *done = NULL;
    long configured, each;
    int nrows;

    if (strcmp(mb_dbd_engine(dbd), "sqlite3") != 0) {
        return;
    }
    apr_pool_userdata_get(&done, BUSY_SPREAD_KEY, dbd->pool);
    if (done) {
        return;
    }
    apr_pool_userdata_setn("", BUSY_SPREAD_KEY, NULL, dbd->pool);
    if (apr_dbd_select(dbd->driver, dbd->pool, dbd->handle, &res,
                       "PRAGMA busy_timeout", 1) != 0 ||
        apr_dbd_get_row(dbd->driver, dbd->pool, res, &row, -1) != 0 ||
        (v = apr_dbd_get_entry(dbd->driver, row, 0)) == NULL) {
        return;
    }
    configured = atol(v);
    each = mb_dbfault_busy_each_ms(configured);
    if (apr_dbd_query(
            dbd->driver, dbd->handle, &nrows,
            apr_psprintf(dbd->pool, "PRAGMA busy_timeout = %ld", each)) == 0) {
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                     MBLOGNO(1402) "SQLite busy_timeout %ld ms spread over "
                                   "the driver's %d runs: %ld ms each",
                     configured, MB_SQLITE_DRIVER_RUNS, each);
    }
}

ap_dbd_t *mb_dbd_acquire(request_rec *r)
{
    ap_dbd_t *dbd = dbd_acquire ? dbd_acquire(r) : NULL;

    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0201) "database unavailable (mod_dbd gave no "
                      "connection)");
        mb_metrics_count(MB_M_DB_ERRORS, 1);
        return NULL;
    }
    busy_spread(r->server, dbd);
    return dbd;
}

ap_dbd_t *mb_dbd_open(apr_pool_t *p, server_rec *s)
{
    ap_dbd_t *dbd = dbd_open ? dbd_open(p, s) : NULL;

    if (dbd) {
        busy_spread(s, dbd);
    }
    return dbd;
}

void mb_dbd_close(server_rec *s, ap_dbd_t *dbd)
{
    if (dbd_close && dbd) {
        dbd_close(s, dbd);
    }
}

apr_dbd_prepared_t *mb_dbd_statement(server_rec *s, ap_dbd_t *dbd,
                                     const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(dbd->prepared, label,
                                          APR_HASH_KEY_STRING);
    if (st == NULL) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     MBLOGNO(0202) "prepared statement %s is missing: is the "
                     "schema from conf/ installed?", label);
    }
    return st;
}

const char *mb_dbd_engine(ap_dbd_t *dbd)
{
    return apr_dbd_name(dbd->driver);
}

/* ---- running statements ------------------------------------------------ */

int mb_dbd_stmt_lost(ap_dbd_t *dbd, const char *err)
{
    return mb_dbfault_stmt_lost(mb_dbd_engine(dbd), err);
}

int mb_dbd_prepare_again(apr_pool_t *p, ap_dbd_t *dbd, const char *label,
                         const char **why)
{
    const char *sql =
        sql_of ? apr_hash_get(sql_of, label, APR_HASH_KEY_STRING) : NULL;
    apr_dbd_prepared_t *ps = NULL;
    int rc;

    if (sql == NULL) {
        *why = apr_pstrcat(p, "no SQL registered for ", label, NULL);
        return -1;
    }
    /* in the connection's pool: the statement lives as long as it */
    rc = apr_dbd_prepare(dbd->driver, dbd->pool, dbd->handle, sql, label, &ps);
    if (rc != 0) {
        const char *err = apr_dbd_error(dbd->driver, dbd->handle, rc);

        if (mb_dbfault_stmt_exists(mb_dbd_engine(dbd), err)) {
            /* the session has it under its label (prepared again on this
             * session by another caller; PREPARE is not transactional):
             * keep the handle that names it (mod_dbd's, else the one the
             * driver filled in) */
            apr_dbd_prepared_t *had =
                apr_hash_get(dbd->prepared, label, APR_HASH_KEY_STRING);
            if (had || ps) {
                apr_hash_set(dbd->prepared, label, APR_HASH_KEY_STRING,
                             had ? had : ps);
                return 0;
            }
        }
        *why = apr_pstrcat(p, "cannot prepare ", label, " again: ", err, NULL);
        return rc;
    }
    apr_hash_set(dbd->prepared, label, APR_HASH_KEY_STRING, ps);
    return 0;
}

/* One run of the statement: 0 or the driver's error code. */
static int run_once(apr_pool_t *p, ap_dbd_t *dbd, apr_dbd_prepared_t *st,
                    int nargs, const char **args, mb_dbd_row_fn *fn,
                    void *baton, int *nrows, const char **why)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rc, n = 0;

    if (fn == NULL) {
        rc = apr_dbd_pquery(dbd->driver, p, dbd->handle, &n, st, nargs, args);
        if (rc == 0 && nrows) {
            *nrows = n;
        }
        return rc;
    }
    /* random access: a failed query is reported here, by every engine */
    rc = apr_dbd_pselect(dbd->driver, p, dbd->handle, &res, st, 1, nargs, args);
    if (rc != 0) {
        return rc;
    }
    while ((rc = apr_dbd_get_row(dbd->driver, p, res, &row, -1)) == 0) {
        if (fn(baton, dbd->driver, row) != 0) {
            *why = "a row could not be read";
            return -2;
        }
    }
    if (rc != -1) {
        *why = apr_psprintf(p, "reading the rows failed (%d)", rc);
        return rc;
    }
    return 0;
}

static int run_recovering(apr_pool_t *p, server_rec *s, ap_dbd_t *dbd,
                          const char *label, int nargs, const char **args,
                          mb_dbd_row_fn *fn, void *baton, int *nrows,
                          const char **why)
{
    int has_server = mb_dbfault_may_reconnect(mb_dbd_engine(dbd));
    int reprepared = 0, reconnected = 0, rc;

    *why = NULL;
    for (;;) {
        apr_dbd_prepared_t *st =
            apr_hash_get(dbd->prepared, label, APR_HASH_KEY_STRING);
        const char *err;

        if (st == NULL) {
            if (reprepared || mb_dbd_prepare_again(p, dbd, label, why) != 0) {
                return -1;
            }
            reprepared = 1;
            continue;
        }
        rc = run_once(p, dbd, st, nargs, args, fn, baton, nrows, why);
        if (rc == 0) {
            return 0;
        }
        if (*why) {
            return rc; /* the rows, not the statement, failed */
        }
        err = apr_pstrdup(p, apr_dbd_error(dbd->driver, dbd->handle, rc));
        if (!reprepared && mb_dbd_stmt_lost(dbd, err)) {
            reprepared = 1;
            if (mb_dbd_prepare_again(p, dbd, label, why) != 0) {
                return rc;
            }
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                         MBLOGNO(1403) "%s prepared again (a reconnected "
                                       "session, or a changed schema)",
                         label);
            continue;
        }
        if (has_server && !reconnected) {
            /* maybe a connection the server dropped: reconnect (a no-op
             * on a healthy one) and run once more */
            reconnected = 1;
            if (apr_dbd_check_conn(dbd->driver, p, dbd->handle) ==
                APR_SUCCESS) {
                continue;
            }
            *why = apr_pstrcat(p, err ? err : "(no message)",
                               " (reconnecting failed)", NULL);
            return rc;
        }
        *why = err ? err : "(no message)";
        return rc;
    }
}

int mb_dbd_run(apr_pool_t *p, server_rec *s, ap_dbd_t *dbd, const char *label,
               int nargs, const char **args, mb_dbd_row_fn *fn, void *baton,
               int *nrows, const char **why)
{
    int rc = run_recovering(p, s, dbd, label, nargs, args, fn, baton, nrows,
                            why);

    if (rc != 0) {
        mb_metrics_count(MB_M_DB_ERRORS, 1);
    }
    return rc;
}

int mb_dbd_rselect(request_rec *r, ap_dbd_t *dbd, const char *what,
                   const char *label, int nargs, const char **args,
                   mb_dbd_row_fn *fn, void *baton)
{
    const char *why;

    if (mb_dbd_run(r->pool, r->server, dbd, label, nargs, args, fn, baton, NULL,
                   &why) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1401) "%s failed: %s", what, why);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return OK;
}

int mb_dbd_rquery(request_rec *r, ap_dbd_t *dbd, const char *what,
                  const char *label, int nargs, const char **args, int *nrows)
{
    const char *why;

    if (mb_dbd_run(r->pool, r->server, dbd, label, nargs, args, NULL, NULL,
                   nrows, &why) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1404) "%s failed: %s", what, why);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    return OK;
}
