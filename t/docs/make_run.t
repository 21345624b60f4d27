# `make run` and the shell blocks of README.md and docs/*.md work as written (issue 9
# section 5).  conf/run.sh (what `make run` runs) is started on a port of
# this suite's own, in a scratch directory: it says "open <url>/ a page
# that plays the sample", and / is that page (headless Chromium plays it).
# Then every block marked "```sh run" is run, README.md first, then docs/*.md, in
# one shell in a scratch directory, against that server (its
# http://127.0.0.1:8080), with /var/lib/broadcast under the scratch
# directory and PostgreSQL's host "db" the suite's PostgreSQL (a database
# of its own); what the blocks claim is then checked.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Readme qw(fences readme_path);
use File::Path qw(make_path remove_tree);
use POSIX qw(setsid);
use IO::Socket::INET;
use LWP::UserAgent;

my $TOP = "$ENV{MB_T_DIR}/..";
my $S = "$ENV{MB_T_DIR}/state/make-run";
my $port = 10000 + ($ENV{TEST_PORT} // 8529) % 1000 * 20 + 9;
my $URL = "http://127.0.0.1:$port";
remove_tree($S);
make_path("$S/paste");
chmod 0755, $S;

# ---- make run, in the background
my $log = "$S/run.log";
my $pid = fork // die "fork: $!";
if ($pid == 0) {
    setsid();
    open STDOUT, '>', $log or die; open STDERR, '>&', \*STDOUT;
    $ENV{RUN_PORT} = $port;
    $ENV{MB_RUN_DIR} = "$S/run";
    exec "$TOP/conf/run.sh";
    exit 127;
}
sub stop_run {
    return unless $pid;
    kill 'TERM', -$pid;
    waitpid $pid, 0;
    $pid = 0;
}
END { stop_run() }

my $up = 0;
for (1 .. 240) {   # a first run makes the sample video
    last if waitpid($pid, POSIX::WNOHANG()) == $pid;
    if (IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 1)) { $up = 1; last }
    select undef, undef, undef, 0.5;
}
ok $up, "make run (conf/run.sh) serves on $URL" or diag `cat $log`;
my $said = do { local (@ARGV, $/) = $log; <> } // '';
like $said, qr{open\s+\Q$URL\E/\s+a page that plays the sample}, 'it says: open <url>/, a page that plays the sample';

my $ua = LWP::UserAgent->new(timeout => 30);
my $r = $ua->get("$URL/");
is $r->code, 200, '/ answers 200';
like $r->header('Content-Type') // '', qr{^text/html}, '/ is an HTML page';
like $r->content, qr{<video src="/videos/sample\.mp4"[^>]*\bautoplay\b}, '/ has a video element playing the sample';
$r = $ua->get("$URL/videos/sample.mp4", Range => 'bytes=0-99');
is $r->code, 206, 'the sample is served with ranges';

my $out = `node --experimental-websocket $ENV{MB_T_DIR}/lib/play-in-chromium.js '$URL/' 20 2>/dev/null`;
my ($times) = $out =~ /"times":\[([^\]]*)\]/;
my @t = split /,/, $times // '';
ok @t >= 2 && $t[-1] > 1.0 && $t[-1] > $t[0], "Chromium plays the sample at / (currentTime: @t)"
    or diag $out;

# ---- the README's "sh run" blocks, against it
my $pg = $ENV{MB_PG_PORT} // die 'MB_PG_PORT';
my $pgdb = 'mb_readme';
my $psql = "PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -p $pg -U postgres -v ON_ERROR_STOP=1";
system("$psql -c 'DROP DATABASE IF EXISTS $pgdb' -c 'CREATE DATABASE $pgdb OWNER broadcast' >/dev/null") == 0
    or die 'cannot create the scratch PostgreSQL database';
symlink "$TOP/conf", "$S/paste/conf" or die "symlink: $!";

my @blocks = fences(qr/^sh run$/);
ok @blocks >= 5, scalar(@blocks) . ' "sh run" blocks in ' . readme_path();
my $script = "set -euo pipefail\n";
for my $b (@blocks) {
    my $text = $b->{text};
    $text =~ s{http://127\.0\.0\.1:8080}{$URL}g;
    $text =~ s{(?<![\w/.])/var/lib/broadcast}{$S/paste/var/lib/broadcast}g;
    $text =~ s{-h db -U broadcast -d broadcast}{-h 127.0.0.1 -p $pg -U broadcast -d $pgdb}g;
    # the build in the source tree; installed under the scratch directory
    $text =~ s{^make install\b}{make -s -C '$TOP' install DESTDIR='$S/root'}mg;
    $text =~ s{^make\b(?! -s -C)}{make -s -C '$TOP'}mg;
    $script .= "echo '#### $b->{file} line $b->{line}' >&2\n$text\n";
}
open my $fh, '>', "$S/paste.sh" or die; print $fh $script; close $fh;
my $ran = `cd '$S/paste' && PGPASSWORD=broadcast bash '$S/paste.sh' 2>&1`;
is $? >> 8, 0, 'every "sh run" block runs without error' or diag $ran;

my $moddir = `apxs -q LIBEXECDIR`; chomp $moddir;
ok -s "$S/root$moddir/mod_broadcast.so", 'make install installs the module';
ok -s "$S/root/usr/share/mod_broadcast/assets/hls.min.js", "... and the player's hls.min.js";
my $db = "$S/paste/var/lib/broadcast/broadcast.sqlite";
my $tables = `sqlite3 '$db' '.tables' 2>&1`;
like $tables, qr/\bmb_stream\b/, 'the SQLite stream table exists';
like $tables, qr/\bwatch_log\b/, 'the SQLite watch log table exists';
is `stat -c %U '$S/paste/var/lib/broadcast'`, "www-data\n", "... in a directory that Apache's user owns";
my $pgt = `$psql -d $pgdb -At -c "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"`;
like $pgt, qr/mb_stream/, 'the PostgreSQL stream table exists';
like $pgt, qr/watch_log/, 'the PostgreSQL watch log table exists';

my ($id) = (do { local (@ARGV, $/) = "$S/paste/start.json"; <> } // '') =~ /"id":"([0-9a-f-]{36})"/;
ok $id, 'the start answer holds the stream id';
$id //= 'none';
my $vod = "$S/run/live/$id/vod.m3u8";
ok -s $vod, 'the stop wrote the recording playlist';
my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '$URL/live/$id/vod.m3u8' 2>&1`;
chomp $dur;
ok $dur =~ /^[\d.]+$/ && abs($dur - 10) < 1, "the recording plays whole through make run's server ($dur s)";
$r = $ua->get("$URL/stream/$id", Authorization => 'Basic ZGVtbzpkZW1v');   # demo:demo
like $r->content, qr/"stop_date":"\d{4}-/, 'the stream is stopped';

stop_run();
ok !IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 1), 'make run stopped';
system("$psql -c 'DROP DATABASE IF EXISTS $pgdb' >/dev/null");
done_testing();
