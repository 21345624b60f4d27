# Journal updates survive graceful restarts (issue 9 section 3): while
# ffmpeg pushes a short stream, the suite's Apache is restarted gracefully
# twice (old and new children then serve the same stream's PUTs side by
# side); at stop the recording lists every segment that was uploaded, in
# order, and nothing else.  Ten runs in a row.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Time::HiRes qw(sleep time);
use lib 't/lib';
use MB::API qw(engines api);
use MB::Test qw(slurp);
use MB::Live qw(start_stream stop_stream ffmpeg_push playlist_uris live_dir settle);

my ($engine, $port) = @{ (engines())[0] };
my $RUNS = 10;
my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';

sub graceful {
    my $pid = slurp($pidfile);
    chomp $pid;
    return kill 'USR1', $pid;
}

my $good = 0;
for my $run (1 .. $RUNS) {
    my ($id, $H) = start_stream($port, "graceful $run");
    my $t0 = time;
    my $pid = ffmpeg_push($H, seconds => 3, args => ['-hls_time', '0.5', '-g', '12'],
                          log => "$ENV{MB_T_DIR}/state/ffmpeg-graceful.log");
    my $restarts = 0;
    for my $at (1.0, 2.0) {
        sleep 0.05 while time - $t0 < $at;
        $restarts++ if graceful();
    }
    waitpid $pid, 0;
    my $rc = $? >> 8;
    settle(live_dir($id));
    my $stopped = stop_stream($port, $id);
    my $vod = api(port => $port, path => "/live/$id/vod.m3u8")->content;
    opendir my $d, live_dir($id);
    my @files = sort { ($a =~ /(\d+)\.ts$/)[0] <=> ($b =~ /(\d+)\.ts$/)[0] } grep { /\.ts$/ } readdir $d;
    my @rec = playlist_uris($vod);
    my $index = slurp(live_dir($id) . '/index.m3u8');
    my @live = playlist_uris($index);
    # the live playlist agrees with the recording: its segments that were
    # stored are a run of the recording's (its end, unless the final
    # playlist was overtaken by an older one of the same last segment)
    my @stored = grep { -e live_dir($id) . "/$_" } @live;
    my $agrees = @stored && index(" @rec ", " @stored ") >= 0;
    my $same = "@rec" eq "@files" && $agrees;
    ok $rc == 0 && $restarts == 2 && $stopped == 200 && $same && @files >= 3,
        "run $run: 2 graceful restarts during the push; the recording is every uploaded segment, in order, and agrees with the live playlist ("
        . scalar(@rec) . ' of ' . scalar(@files) . ')'
        or diag "ffmpeg $rc, restarts $restarts, stop $stopped\nrecording: @rec\nuploaded:  @files\nlive:      @live\n"
              . `cat $ENV{MB_T_DIR}/state/ffmpeg-graceful.log`;
    $good++ if $same;
}
is $good, $RUNS, "$RUNS runs in a row: nothing lost";

done_testing();
