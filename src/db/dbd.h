/*
 * mb_dbd.h -- mod_broadcast's use of mod_dbd: the optional functions,
 * looked up once at configuration time, and the module's prepared
 * statements, registered per server under "mb_" labels.
 *
 * Each feature (streams, watch log, ...) owns a NULL-terminated table of
 * statements and calls mb_dbd_require() from the directive that enables
 * it, so that a server which does not use a feature never prepares (and
 * never fails on) its SQL.  SQL is written once in apr_dbd's portable
 * form (%s, %d, ... placeholders) for SQLite and PostgreSQL alike.
 */
#ifndef MB_DBD_H
#define MB_DBD_H

#include <httpd.h>
#include <http_config.h>
#include <apr_dbd.h>
#include <mod_dbd.h>

typedef struct {
    const char *label;  /* "mb_..." */
    const char *sql;
} mb_dbd_stmt;

/* From a directive handler: make sure mod_dbd is loaded and that `stmts`
 * are prepared for cmd->server.  Idempotent.  Returns a configuration
 * error message, or NULL. */
const char *mb_dbd_require(cmd_parms *cmd, const mb_dbd_stmt *stmts);

/* A connection for this request (NULL if the database is unavailable:
 * logged here, the caller answers 503).
 *
 * SQLite: apr_dbd's sqlite3 driver runs a statement that meets a lock up
 * to 16 times, 0.1 s apart, each run waiting the connection's whole
 * busy_timeout; the first time the module gets a connection, it spreads
 * the configured busy_timeout over those runs, so that a statement on a
 * locked database fails after about busy_timeout (at least 1.6 s). */
ap_dbd_t *mb_dbd_acquire(request_rec *r);

/* A connection outside any request (a background writer); release it with
 * mb_dbd_close(). NULL if unavailable. */
ap_dbd_t *mb_dbd_open(apr_pool_t *p, server_rec *s);
void mb_dbd_close(server_rec *s, ap_dbd_t *dbd);

/* The prepared statement `label` of this connection, or NULL (logged). */
apr_dbd_prepared_t *mb_dbd_statement(server_rec *s, ap_dbd_t *dbd,
                                     const char *label);

/* The database engine's name ("sqlite3", "pgsql") of this connection. */
const char *mb_dbd_engine(ap_dbd_t *dbd);

/* ---- running statements: every reader and writer goes through these ---
 *
 * A failed statement is never taken for "no rows": selects are random
 * access (apr_dbd's pgsql driver reports a failed sequential select only
 * at apr_dbd_get_row, as the -1 that also means "no more rows"), and the
 * rows are read until apr_dbd_get_row says -1; anything else is an error.
 *
 * Recovery, each at most once per statement:
 * - a statement the session lost (a PostgreSQL session that was
 *   reconnected, by mod_dbd or by us, has none; an SQLite statement dies
 *   at any change of the schema) is prepared again from the SQL that
 *   mb_dbd_require() registered, and run again;
 * - on an engine with a server (not SQLite), a failed statement may mean
 *   a connection the server dropped (a restart): apr_dbd_check_conn()
 *   reconnects it (PQreset) and the statement runs once more.
 * Nothing else is retried: an SQLite database locked by another process
 * costs one busy wait (see mb_dbd_acquire()), not several. */

/* Called for each row of a select; the entries live until the next row:
 * copy them.  Non-zero stops the reading (counted as a failure). */
typedef int mb_dbd_row_fn(void *baton, const apr_dbd_driver_t *driver,
                          apr_dbd_row_t *row);

/* Run the statement `label` with `nargs` string arguments on `dbd`: a
 * select when `fn` is given (each row to fn), else a query (*nrows, if
 * given, the rows it changed).  0, or non-zero with *why (pool p). */
int mb_dbd_run(apr_pool_t *p, server_rec *s, ap_dbd_t *dbd, const char *label,
               int nargs, const char **args, mb_dbd_row_fn *fn, void *baton,
               int *nrows, const char **why);

/* The same for a request: OK, or HTTP_SERVICE_UNAVAILABLE (logged once
 * at error level with `what` and the database's reason). */
int mb_dbd_rselect(request_rec *r, ap_dbd_t *dbd, const char *what,
                   const char *label, int nargs, const char **args,
                   mb_dbd_row_fn *fn, void *baton);
int mb_dbd_rquery(request_rec *r, ap_dbd_t *dbd, const char *what,
                  const char *label, int nargs, const char **args, int *nrows);

/* Whether the failure of a prepared statement (its error text `err`)
 * means the statement is gone and must be prepared again. */
int mb_dbd_stmt_lost(ap_dbd_t *dbd, const char *err);

/* Prepare `label` again on `dbd` (the SQL registered by mb_dbd_require).
 * 0, or non-zero with *why. */
int mb_dbd_prepare_again(apr_pool_t *p, ap_dbd_t *dbd, const char *label,
                         const char **why);

#endif /* MB_DBD_H */
