/*
 * dbfault.c -- the db layer's decisions about a failed statement (see
 * include/mb_dbfault.h).
 */
#include "mb_dbfault.h"

#include <string.h>

int mb_dbfault_stmt_lost(const char *engine, const char *err)
{
    if (engine == NULL || err == NULL) {
        return 0;
    }
    if (!strcmp(engine, "sqlite3")) {
        /* apr_dbd_sqlite3 prepares with the legacy sqlite3_prepare(): a
         * statement fails once with "database schema has changed" after
         * any change of the schema, and with "not an error" ever after */
        return strstr(err, "schema has changed") != NULL ||
               !strcmp(err, "not an error");
    }
    return strstr(err, "prepared statement") && strstr(err, "does not exist");
}

int mb_dbfault_stmt_exists(const char *engine, const char *err)
{
    /* PREPARE of a name the session already has (SQLSTATE 42P05); SQLite
     * statements have no names */
    return engine && err && strcmp(engine, "sqlite3") != 0 &&
           strstr(err, "prepared statement") && strstr(err, "already exists");
}

int mb_dbfault_may_reconnect(const char *engine)
{
    return engine && strcmp(engine, "sqlite3") != 0;
}

long mb_dbfault_busy_each_ms(long configured_ms)
{
    long each =
        configured_ms / MB_SQLITE_DRIVER_RUNS - MB_SQLITE_DRIVER_PAUSE_MS;

    return each > 0 ? each : 0;
}
