# At a graceful stop of a child process, whatever is still queued is
# written: rows pile up while the database makes the writer wait (a table
# lock), the server is restarted gracefully, the lock goes away, and every
# row is there.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use IO::Handle;
use Time::HiRes qw(time sleep);
use lib 't/lib';
use MB::Test qw(error_log_mark error_log_since slurp);
use MB::Watch qw(watch_request sql wait_count tag quote pg_params
                 dropped_since forget_connections);

my $N = 30;
my $tag = tag('stop-pgsql');

open my $locker, '|-', 'psql', '-X', '-q', '-d', pg_params()
    or die "psql: $!";
$locker->autoflush(1);
print $locker "BEGIN;\nLOCK TABLE watch_log IN ACCESS EXCLUSIVE MODE;\n";
my $held;
for (1 .. 50) {
    last if $held = sql('pgsql', "SELECT COUNT(*) FROM pg_locks WHERE "
                                 . "relation = 'watch_log'::regclass AND "
                                 . "mode = 'AccessExclusiveLock' AND granted");
    sleep 0.1;
}
ok $held, 'another session locks the watch_log table';

my $mark = error_log_mark();
my ($bad, $slowest) = (0, 0);
for my $i (1 .. $N) {
    my $t0 = time();
    my $r = watch_request('pgsql', '/api/stream?path=random.bin',
                          'User-Agent' => $tag, Range => 'bytes=0-999');
    $bad++ if $r->code != 206;
    $slowest = time() - $t0 if time() - $t0 > $slowest;
}
is $bad, 0, "$N viewers served while the writer waits for the lock";
ok $slowest < 1, sprintf 'none of them waited (slowest %.3f s)', $slowest;

my $waiting;
for (1 .. 50) {
    last if $waiting = sql('pgsql', "SELECT COUNT(*) FROM pg_stat_activity "
                                    . "WHERE wait_event_type = 'Lock' AND "
                                    . "usename = 'broadcast'");
    sleep 0.1;
}
ok $waiting, 'the writer is stuck behind the lock';

# graceful restart: the children finish their requests and exit
my $pid = slurp(Apache::Test::vars('t_logs') . '/httpd.pid');
chomp $pid;
ok kill('USR1', $pid), 'graceful restart';
sleep 1;
print $locker "COMMIT;\n";
close $locker;

is wait_count('pgsql', "user_agent = " . quote($tag), $N, 20), $N,
   "all $N rows written once the lock is gone";
my $log;
my $end = time() + 10;
do {
    sleep 0.2;
    $log = error_log_since($mark);
} until ($log =~ /MB0512: watch log writer of pid \d+ stopped/
         || time() > $end);
like $log, qr/MB0512: watch log writer of pid \d+ stopped: \d+ rows written/,
     'an exiting child stopped its writer after writing';
is dropped_since($mark), 0, 'nothing dropped';

forget_connections();
my $after = tag('after-restart');
is watch_request('pgsql', '/api/stream?path=random.bin',
                 'User-Agent' => $after)->code, 200,
   'the restarted server serves';
is wait_count('pgsql', "user_agent = " . quote($after), 1, 10), 1,
   'and logs';

done_testing();
