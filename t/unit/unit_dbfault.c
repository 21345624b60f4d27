/* Unit tests of the db layer's decisions about a failed statement
 * (src/core/dbfault.c), with the error texts the drivers give. */
#include "mb_dbfault.h"
#include "tap.h"

int main(void)
{
    /* PostgreSQL: a session reconnected by PQreset has no statements */
    ok(mb_dbfault_stmt_lost("pgsql", "ERROR:  prepared statement "
                                     "\"mb_stream_get\" does not exist\n"),
       "pgsql: a lost prepared statement");
    ok(!mb_dbfault_stmt_lost("pgsql", "FATAL:  terminating connection due "
                                      "to administrator command\nserver "
                                      "closed the connection unexpectedly"),
       "pgsql: a dropped connection is not a lost statement");
    ok(!mb_dbfault_stmt_lost("pgsql", "ERROR:  relation \"mb_stream\" does "
                                      "not exist"),
       "pgsql: a missing table is not a lost statement");
    ok(!mb_dbfault_stmt_lost("pgsql", NULL), "pgsql: no message");
    /* SQLite: statements die at a schema change */
    ok(mb_dbfault_stmt_lost("sqlite3", "database schema has changed"),
       "sqlite3: schema changed");
    ok(mb_dbfault_stmt_lost("sqlite3", "not an error"),
       "sqlite3: a statement dead since a schema change");
    ok(!mb_dbfault_stmt_lost("sqlite3", "database is locked"),
       "sqlite3: a lock is not a lost statement");
    ok(!mb_dbfault_stmt_lost(NULL, "not an error"), "no engine");

    /* preparing again a statement the session still has */
    ok(mb_dbfault_stmt_exists("pgsql", "ERROR:  prepared statement "
                                       "\"mb_watch_totals\" already exists\n"),
       "pgsql: the session has the statement");
    ok(!mb_dbfault_stmt_exists("pgsql", "ERROR:  prepared statement "
                                        "\"mb_watch_insert\" does not exist"),
       "pgsql: a lost statement is not one the session has");
    ok(!mb_dbfault_stmt_exists("pgsql", "ERROR:  current transaction is "
                                        "aborted, commands ignored until end "
                                        "of transaction block"),
       "pgsql: an aborted transaction is not a statement it has");
    ok(!mb_dbfault_stmt_exists("pgsql", NULL), "pgsql: no message");
    ok(!mb_dbfault_stmt_exists("sqlite3", "prepared statement already exists"),
       "sqlite3: statements have no names");
    ok(!mb_dbfault_stmt_exists(NULL, "prepared statement x already exists"),
       "no engine");

    ok(mb_dbfault_may_reconnect("pgsql"), "pgsql: reconnect");
    ok(mb_dbfault_may_reconnect("mysql"), "mysql: reconnect");
    ok(!mb_dbfault_may_reconnect("sqlite3"), "sqlite3: never retried");
    ok(!mb_dbfault_may_reconnect(NULL), "no engine: never retried");

    /* 16 runs x (each + 0.1 s) = about the configured busy_timeout */
    ok(mb_dbfault_busy_each_ms(10000) == 525, "10 s: 525 ms a run");
    ok(mb_dbfault_busy_each_ms(2000) == 25, "2 s: 25 ms a run");
    ok(mb_dbfault_busy_each_ms(1000) == 0, "1 s: 0 ms (the pauses: 1.6 s)");
    ok(mb_dbfault_busy_each_ms(0) == 0, "0: 0");
    ok(mb_dbfault_busy_each_ms(-5) == 0, "negative: 0");
    ok(MB_SQLITE_DRIVER_RUNS *
               (mb_dbfault_busy_each_ms(60000) + MB_SQLITE_DRIVER_PAUSE_MS) ==
           60000,
       "60 s: 60 s in all");
    return done_testing();
}
