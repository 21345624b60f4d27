# Metrics that match the truth (issue 13 section 3), on both database
# engines: ffmpeg pushes a live stream over PUT, the audience simulator
# (build/hlsviewers: 20 viewers, each its own connection from its own
# client address) watches it for 20 s, and its own counts of viewers,
# requests and bytes are compared with what broadcast-metrics reports for
# the stream and with the status page's row for it (from the watch log):
# within 5 %.  And the live streams gauge: a stream counts while it is
# pushed or watched, and 30 s after its last file no longer.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use JSON::PP;
use Time::HiRes qw(sleep time);
use lib 't/lib';
use MB::API qw(api);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);

my $port = Apache::Test::vars('port');
my $base = "http://127.0.0.1:$port";
my $sim  = "$ENV{MB_T_DIR}/../build/hlsviewers";
my %engine = (sqlite => $ENV{MB_AUDIENCE_PORT_SQLITE}, pgsql => $ENV{MB_AUDIENCE_PORT_PGSQL});
die 'run through t/run-suite' unless $engine{sqlite} && $engine{pgsql};
ok -x $sim, 'the audience simulator is built (make unit builds build/hlsviewers)';
my ($VIEWERS, $SECONDS) = (20, 20);

sub scrape {
    my %v;
    for (split /\n/, `curl -s $base/metrics`) {
        $v{$1} = $2 if /^([^#]\S*) (\S+)$/;
    }
    return \%v;
}
sub settled {           # the watch log has written what was queued
    for (1 .. 100) {
        my $v = scrape();
        return $v if ($v->{broadcast_watch_log_rows_queued} // 1) == 0;
        sleep 0.1;
    }
    return scrape();
}
sub near {              # within 5 % of the simulator's own count
    my ($got, $want, $what) = @_;
    my $ok = defined $got && $want > 0 && abs($got - $want) <= 0.05 * $want;
    ok $ok, "$what: " . ($got // 'none') . " against the simulator's $want";
}
sub live_streams { scrape()->{broadcast_live_streams} }

# streams of earlier tests go idle 30 s after their last file
my $t0 = time;
sleep 0.5 while time - $t0 < 40 && (live_streams() // -1) != 0;
is live_streams(), 0, 'no live stream active before the test';

my $json = JSON::PP->new;
my %ended;              # engine => when its stream stopped
my $addr = 2;           # the viewers' addresses: 127.0.<addr>.1 ...
for my $e (qw(sqlite pgsql)) {
    my $p = $engine{$e};
    my ($id, $H) = start_stream($p, "audience-$e");
    my $pid = ffmpeg_push($H, seconds => $SECONDS + 60,
                          log => "$ENV{MB_T_DIR}/state/ffmpeg-audience-$e.log");
    # the live playlist with a few segments, read from the disk: only the
    # simulator watches the stream
    my ($t, $pl) = (time, '');
    while (time - $t < 30 && $pl !~ /(?:\.ts\s+.*){2}/s) {
        sleep 0.2;
        my $fh;
        $pl = open($fh, '<', live_dir($id) . '/index.m3u8') ? do { local $/; <$fh> } : '';
    }
    like $pl, qr/#EXTINF/, "$e: ffmpeg pushes the stream over PUT";
    is live_streams(), $e eq 'sqlite' ? 1 : 2,
       "$e: the stream counts as live while it is pushed";

    my $out = `$sim -u $H->{playlist_url} -n $VIEWERS -d $SECONDS -r 2 -s 127.0.$addr.1`;
    $addr++;
    my $s = eval { $json->decode($out) } // {};
    is $s->{distinct_viewers}, $VIEWERS, "$e: the simulator's $VIEWERS viewers all watched"
        or diag $out;
    is $s->{errors}, 0, "$e: no request of the simulator failed";
    cmp_ok $s->{segment_requests} // 0, '>=', $VIEWERS * 5, "$e: segments fetched as a player does";
    note "$e simulator: $out";

    my $v = settled();
    near $v->{"broadcast_live_viewers{stream=\"$id\"}"}, $VIEWERS, "$e: current viewers (metrics)";
    near $v->{"broadcast_live_requests_total{stream=\"$id\"}"}, $s->{ok_requests},
         "$e: requests (metrics)";
    near $v->{"broadcast_live_sent_bytes_total{stream=\"$id\"}"}, $s->{bytes},
         "$e: bytes (metrics)";

    # the status page: its "live now" row of the stream, from the watch log
    my $r = api(port => $p, path => '/status', query => "format=json&live=5&stream=$id",
                user => 'alice');
    is $r->code, 200, "$e: the status page answers";
    my ($row) = grep { $_->{id} eq $id } @{ $r->{json}{live}{streams} // [] };
    ok $row, "$e: the status page lists the stream as live";
    near $row->{viewers}, $s->{distinct_viewers}, "$e: viewers (status page)";
    near $row->{requests}, $s->{requests}, "$e: requests (status page)";
    near $r->{json}{period}{bytes}, $s->{bytes}, "$e: bytes (status page)";

    if ($e eq 'pgsql') {
        # 30 s after the SQLite stream's last file and request, only this
        # one (still pushed) is live
        my $wait = $ended{sqlite} + 32 - time;
        sleep $wait if $wait > 0;
        is live_streams(), 1, 'a stream idle for 30 s no longer counts as live';
    }
    kill 'TERM', $pid;
    waitpid $pid, 0;
    is stop_stream($p, $id), 200, "$e: stream stopped";
    $ended{$e} = time;      # later uploads are refused: not live
}

done_testing();
