# A database that is locked or down costs log rows, never a viewer's
# request: video keeps streaming (200/206, no waiting), the rows that could
# not be written are counted and reported in the error log, and the log
# resumes by itself when the database is back.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use IO::Handle;
use Time::HiRes qw(time sleep);
use lib 't/lib';
use MB::Test qw(error_log_mark error_log_since);
use MB::Watch qw(watch_request sql wait_count tag quote as_nobody sqlite_db
                 dropped_since);

# One viewer request; returns [status, seconds].
sub view {
    my ($engine, $ua, $i) = @_;
    my $t0 = time();
    my $r = watch_request($engine, '/api/stream?path=random.bin',
                          'User-Agent' => $ua,
                          $i % 2 ? (Range => 'bytes=0-65535') : ());
    return [ $r->code, time() - $t0 ];
}

sub check_viewers {
    my ($name, @v) = @_;
    my @bad = grep { $_->[0] != 200 && $_->[0] != 206 } @v;
    my ($slowest) = sort { $b <=> $a } map { $_->[1] } @v;
    is scalar @bad, 0, "$name: every request answered 200/206 ("
                       . scalar(@v) . " requests)";
    ok $slowest < 1, sprintf "$name: no viewer waited (slowest %.3f s)",
                             $slowest;
}

sub rows { sql($_[0], "SELECT COUNT(*) FROM watch_log WHERE user_agent = "
                      . quote($_[1])) }

# ---- SQLite: the database locked by another writer ----------------------
{
    my $mark = error_log_mark();
    my $tag = tag('locked-sqlite');
    open my $locker, '|-', as_nobody('sqlite3', sqlite_db())
        or die "sqlite3: $!";
    $locker->autoflush(1);
    # wait for a transaction of the writer still under way (the rows of
    # the test before); without a timeout the lock itself may fail
    print $locker ".timeout 5000\nBEGIN EXCLUSIVE;\n";
    my $locked;
    for (1 .. 50) {
        my $rc = system(as_nobody('sqlite3', sqlite_db(),
                                  'BEGIN IMMEDIATE; ROLLBACK;')) >> 8;
        last if $rc != 0 && ($locked = 1);
        sleep 0.1;
    }
    ok $locked, 'sqlite: another process holds the write lock';

    # keep watching until the writer has given up on some rows
    my @v;
    my $end = time() + 20;
    while (time() < $end) {
        push @v, view('sqlite', $tag, scalar @v);
        last if @v >= 10 && dropped_since($mark) > 0;
        sleep 0.05;
    }
    check_viewers('sqlite, locked', @v);
    print $locker "COMMIT;\n";
    close $locker;

    my $sent = @v;
    my ($dropped, $written);
    $end = time() + 15;
    do {
        sleep 0.2;
        $dropped = dropped_since($mark);
        $written = rows('sqlite', $tag);
    } while ($written + $dropped < $sent && time() < $end);
    ok $dropped > 0, "sqlite: rows dropped while locked ($dropped)";
    is $written + $dropped, $sent,
       "sqlite: written ($written) + reported dropped ($dropped) = sent";
    like error_log_since($mark),
         qr/MB0510: watch log: \d+ rows dropped .*database is locked/,
         'sqlite: the error log says why';

    my $tag2 = tag('unlocked-sqlite');
    my @w = map { view('sqlite', $tag2, $_) } 1 .. 10;
    check_viewers('sqlite, unlocked', @w);
    is wait_count('sqlite', "user_agent = " . quote($tag2), 10, 15), 10,
       'sqlite: logging resumes once the lock is gone';
}

# ---- PostgreSQL: the server stopped --------------------------------------
{
    my ($bin) = sort { $b cmp $a } glob '/usr/lib/postgresql/*/bin';
    my $pgdata = Apache::Test::vars('serverroot') . '/state/pg-watch/data';
    my @pg_ctl = ('runuser', '-u', 'postgres', '--', "$bin/pg_ctl", '-D',
                  $pgdata, '-w');
    my $tag = tag('down-pgsql');
    my $n = 20;

    # the writer is idle: earlier rows are in
    my $before = tag('before-pgsql');
    view('pgsql', $before, 0);
    is wait_count('pgsql', "user_agent = " . quote($before), 1, 10), 1,
       'pgsql: logging works before the outage';

    my $mark = error_log_mark();
    is system(@pg_ctl, '-m', 'fast', 'stop'), 0, 'pgsql: server stopped';
    my @v = map { view('pgsql', $tag, $_) } 1 .. $n;
    check_viewers('pgsql, down', @v);
    my $end = time() + 15;
    sleep 0.2 while dropped_since($mark) < $n && time() < $end;
    is dropped_since($mark), $n, "pgsql: all $n rows reported dropped";

    is system(@pg_ctl, '-l', "$pgdata/../server.log", 'start'), 0,
       'pgsql: server started again';
    is rows('pgsql', $tag), 0, 'pgsql: nothing of the outage was written';
    my $tag2 = tag('up-pgsql');
    my @w = map { view('pgsql', $tag2, $_) } 1 .. 10;
    check_viewers('pgsql, back', @w);
    is wait_count('pgsql', "user_agent = " . quote($tag2), 10, 15), 10,
       'pgsql: logging resumes when the server is back';

    # A restart between two requests: the pooled connections are dropped
    # by the server without anybody noticing, and a reconnected session
    # has lost its prepared statements.  Nothing may be lost for that.
    my $mark2 = error_log_mark();
    is system(@pg_ctl, '-m', 'fast', '-l', "$pgdata/../server.log",
              'restart'), 0, 'pgsql: server restarted';
    my $tag3 = tag('restarted-pgsql');
    my @x = map { view('pgsql', $tag3, $_) } 1 .. 10;
    check_viewers('pgsql, restarted', @x);
    is wait_count('pgsql', "user_agent = " . quote($tag3), 10, 15), 10,
       'pgsql: every row of after the restart is written';
    is dropped_since($mark2), 0, 'pgsql: none dropped';
    my $st = watch_request('pgsql', '/status?format=json',
                           Authorization => 'Basic YWxpY2U6YWxpY2UtcHc=');
    is $st->code, 200, 'pgsql: the status page reads after the restart';
}

done_testing();
