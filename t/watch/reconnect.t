# The watch log writer on a PostgreSQL session that was dropped and
# reconnected (issue 9, section 2): a lost statement is prepared again on
# the session that runs it, one the session still has is kept, and no row
# is dropped when the database is back within the writer's own retries.
#
# 1. Every pooled session of the watch log's database is terminated; the
#    status page then reconnects one (mod_dbd's PQreset) and prepares its
#    own statements again on it.  The writer, given that session back,
#    finds its insert gone: preparing every watch log statement again hit
#    "prepared statement ... already exists" and dropped the batch (the
#    flaky t/watch/stop.t after t/db/faults.t).
# 2. The writer's own session is terminated while it waits behind a table
#    lock with rows queued: the INSERT fails on the dropped connection; the
#    writer must reconnect, prepare its insert again and write them all.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use IO::Handle;
use Time::HiRes qw(time sleep);
use lib 't/lib';
use MB::Test qw(error_log_mark error_log_since);
use MB::Watch qw(watch_request sql wait_count tag quote pg_params
                 dropped_since);

my $N = 30;
my $auth = 'Basic YWxpY2U6YWxpY2UtcHc=';    # alice:alice-pw

sub status {
    watch_request('pgsql', '/status?format=json', Authorization => $auth)->code;
}

sub view {
    my ($tag) = @_;
    my $bad = 0;
    for (1 .. $N) {
        my $r = watch_request('pgsql', '/api/stream?path=random.bin',
                              'User-Agent' => $tag, Range => 'bytes=0-999');
        $bad++ if $r->code != 206;
    }
    return $bad;
}

# Wait (at most 5 s) until `query` counts at least one row.
sub wait_for {
    my ($query) = @_;
    my $n;
    for (1 .. 50) {
        last if $n = sql('pgsql', $query);
        sleep 0.1;
    }
    return $n;
}

# ---- 1. a reconnected session on which the status page prepared its own --
{
    # the pooled sessions exist and have served the status page and the
    # writer (one keep-alive connection: one child, its pool)
    my $warm = tag('reconnect-warm');
    is status(), 200, 'status page before';
    is view($warm), 0, 'viewers before';
    is wait_count('pgsql', 'user_agent = ' . quote($warm), $N, 10), $N,
       'their rows written';

    my $mark = error_log_mark();
    ok sql('pgsql', "SELECT COUNT(pg_terminate_backend(pid)) FROM "
                    . "pg_stat_activity WHERE usename = current_user AND "
                    . "pid <> pg_backend_pid()") > 0,
       'every pooled session of the watch database terminated';
    # the status page reconnects a session and prepares what it runs again
    is status(), 200, 'the status page answers on a reconnected session';

    my $tag = tag('reconnect-reader-first');
    is view($tag), 0, "$N viewers served";
    is wait_count('pgsql', 'user_agent = ' . quote($tag), $N, 15), $N,
       "all $N rows written on the reconnected session";
    sleep 0.5;
    is dropped_since($mark), 0, 'nothing dropped';
    unlike error_log_since($mark), qr/already exists/,
       'no statement prepared twice on one session';
}

# ---- 2. the writer's session terminated while rows wait for a lock -------
{
    my $mark = error_log_mark();
    my $tag = tag('reconnect-writer-killed');
    open my $locker, '|-', 'psql', '-X', '-q', '-d', pg_params()
        or die "psql: $!";
    $locker->autoflush(1);
    print $locker "BEGIN;\nLOCK TABLE watch_log IN ACCESS EXCLUSIVE MODE;\n";
    ok wait_for("SELECT COUNT(*) FROM pg_locks WHERE relation = "
                . "'watch_log'::regclass AND mode = 'AccessExclusiveLock' "
                . "AND granted"),
       'another session locks the watch_log table';

    is view($tag), 0, "$N viewers served while the writer waits";
    ok wait_for("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                . "wait_event_type = 'Lock' AND usename = current_user"),
       'the writer waits behind the lock';
    ok sql('pgsql', "SELECT COUNT(pg_terminate_backend(pid)) FROM "
                    . "pg_stat_activity WHERE wait_event_type = 'Lock' "
                    . "AND usename = current_user") > 0,
       "the writer's session terminated in the middle of its transaction";
    sleep 0.5;
    print $locker "COMMIT;\n";
    close $locker;

    is wait_count('pgsql', 'user_agent = ' . quote($tag), $N, 15), $N,
       "all $N rows written once the writer has reconnected";
    sleep 0.5;
    is dropped_since($mark), 0, 'nothing dropped';
    is status(), 200, 'the status page answers afterwards';
}

done_testing();
