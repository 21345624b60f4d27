/*
 * mb_dbfault.h -- what the db layer (src/db/dbd.c) decides about a failed
 * statement, as pure functions of the engine's name and its error text
 * (httpd-independent, unit-tested in t/unit/unit_dbfault.c).
 */
#ifndef MB_DBFAULT_H
#define MB_DBFAULT_H

/* apr_dbd's sqlite3 driver (APR-util 1.6) runs a statement that meets
 * SQLITE_BUSY up to this many times, pausing this long after each run. */
#define MB_SQLITE_DRIVER_RUNS 16
#define MB_SQLITE_DRIVER_PAUSE_MS 100

/* Whether the failure (error text `err`) of a prepared statement on
 * engine `engine` ("sqlite3", "pgsql") means that the statement is gone
 * and must be prepared again: a reconnected PostgreSQL session has none;
 * SQLite's die at any change of the schema. */
int mb_dbfault_stmt_lost(const char *engine, const char *err);

/* Whether the failure (error text `err`) of preparing a statement again
 * means that the session still has it under that name: PostgreSQL's
 * PREPARE is not transactional and a session keeps its statements until
 * it ends, so a session that a reader reconnected and prepared some
 * statements on again has those, and only those.  The label always names
 * the same SQL in one process: the statement is there, use it. */
int mb_dbfault_stmt_exists(const char *engine, const char *err);

/* Whether a failed statement may be a connection the server dropped, to
 * be reconnected and run once more: every engine with a server (not
 * SQLite, where a retry would only wait for a lock once more). */
int mb_dbfault_may_reconnect(const char *engine);

/* The busy_timeout (ms) to give each of the sqlite3 driver's runs so that
 * together they wait about `configured_ms` (at least 0 each). */
long mb_dbfault_busy_each_ms(long configured_ms);

#endif /* MB_DBFAULT_H */
