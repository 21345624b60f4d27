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
 * logged here, the caller answers 503). */
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

#endif /* MB_DBD_H */
