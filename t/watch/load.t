# No row is lost under load while the database is healthy: some thousands
# of ranged requests over several connections give exactly that many rows,
# in SQLite and in PostgreSQL.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Temp qw(tempfile);
use Time::HiRes qw(time);
use lib 't/lib';
use MB::Test qw(error_log_mark);
use MB::Watch qw(engines vhost sql wait_count tag quote dropped_since);

my $N = $ENV{MB_WATCH_LOAD_N} || 5000;      # requests per engine
my $PARALLEL = 8;                           # connections at once

my $mark = error_log_mark();
for my $engine (engines()) {
    my $tag = tag("load-$engine");
    my ($fh, $cfg) = tempfile(UNLINK => 1);
    my $base = 'http://' . Apache::TestRequest::hostport();
    for my $i (1 .. $N) {
        # the files alternate; each answer is a 1 KiB range
        my $file = $i % 2 ? 'random.bin' : 'movies/a.mp4';
        print $fh "url = \"$base/api/stream?path=$file&i=$i\"\n",
                  "output = \"/dev/null\"\n";
    }
    close $fh;
    my $t0 = time();
    open my $curl, '-|', 'curl', '-s', '--parallel', '--parallel-max',
         $PARALLEL, '-K', $cfg, '-H', 'Host: ' . vhost($engine), '-H',
         'Range: bytes=0-1023', '-A', $tag, '-w', '%{http_code}\n'
        or die "curl: $!";
    my %codes;
    $codes{$_}++ for map { chomp; $_ } <$curl>;
    close $curl;
    my $secs = time() - $t0;
    is_deeply \%codes, { 206 => $N },
        sprintf("$engine: %d ranged requests over %d connections, all 206 "
                . "(%.1f s)", $N, $PARALLEL, $secs);

    my $where = "user_agent = " . quote($tag);
    my $n = wait_count($engine, $where, $N, 30);
    is $n, $N, "$engine: exactly $N rows";
    is sql($engine, "SELECT COUNT(*) FROM watch_log WHERE $where AND "
                  . "status = 206 AND bytes_sent = 1024 AND "
                  . "range_header = 'bytes=0-1023'"), $N,
       "$engine: each row a 206 of 1024 bytes";
    is sql($engine, "SELECT COUNT(DISTINCT path) FROM watch_log WHERE "
                  . $where), 2, "$engine: both files";
}
is dropped_since($mark), 0, 'no row reported dropped';

done_testing();
