# Several Apache servers with local storage (issue 9 section 6), on both
# engines.  Node A (the API's virtual host) and node B (t/conf/nodes.inc)
# share the stream table and the live root: a stream started on A takes
# ffmpeg's PUTs on B, plays on A while live, stops on B, and its recording
# is complete.  A node that does not share the live root refuses ingest
# and stop with a clear 500 "misconfigured" (logged once) and leaves the
# stream as it was; nothing is created under its own root.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form note_secret rgw_env);
use MB::Test qw(error_log_mark error_log_since);
use MB::Live qw(settle);

my $LIVE = "$ENV{MB_T_DIR}/data/live";
my $APART = "$ENV{MB_T_DIR}/state/apart-live";
my %node_b = (sqlite => rgw_env('MB_NODE_B_PORT_SQLITE'),
              pgsql => rgw_env('MB_NODE_B_PORT_PGSQL'));

sub start_on {
    my ($port) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/start',
                body => form(name => 'two nodes'));
    die 'start: ' . $r->code . ' ' . $r->content unless $r->code == 200;
    note_secret($r->{json}{endpoint}{HTTP}{upload_token});
    return ($r->{json}{stream}{id}, $r->{json}{endpoint}{HTTP}{upload_token});
}

sub put {
    my ($port, $path, $token, $data) = @_;
    my $out = `curl -s -o - -w '\\n%{http_code}' --max-time 30 -X PUT -H 'Authorization: Bearer $token' --data-binary '$data' 'http://127.0.0.1:$port$path'`;
    $out =~ s/\n(\d{3})\z// or return (0, $out);
    return ($1, $out);
}

for my $e (engines()) {
    my ($engine, $a) = @$e;
    my $b = $node_b{$engine};

    # ---- shared live root: start on A, push to B, watch on A, stop on B
    my ($id, $token) = start_on($a);
    my $log = "$ENV{MB_T_DIR}/state/ffmpeg-nodes-$id.log";
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $log; open STDERR, '>&', \*STDOUT;
        exec 'ffmpeg', '-nostdin', '-v', 'warning', '-re',
             '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
             '-f', 'lavfi', '-i', 'sine=frequency=440',
             '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
             '-g', '25', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '3',
             '-method', 'PUT', '-headers', "Authorization: Bearer $token\r\n",
             "http://127.0.0.1:$b/live/$id/index.m3u8";
        exit 127;
    }
    sleep 3;
    my $live = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 'http://127.0.0.1:$a/live/$id/index.m3u8' 2>&1`;
    like $live, qr/h264/, "[$engine] node A plays the live stream that ffmpeg pushes to node B";
    waitpid $pid, 0;
    is $? >> 8, 0, "[$engine] ffmpeg pushed 5 s to node B without error" or diag `cat $log`;
    # ffmpeg does not wait for the answers to its PUTs: let node B finish them
    settle("$LIVE/$id");
    my @segs = glob "$LIVE/$id/index*.ts";

    my $r = api(port => $b, method => 'POST', user => 'alice', path => '/local/stop',
                body => form(id => $id));
    is $r->code, 200, "[$engine] stop on node B";
    ok -s "$LIVE/$id/vod.m3u8", "[$engine] ... writes the recording playlist";
    my $vod = "http://127.0.0.1:$a/live/$id/vod.m3u8";
    my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '$vod' 2>&1`;
    chomp $dur;
    ok $dur =~ /^[\d.]+$/ && abs($dur - 5) < 0.6, "[$engine] node A plays the whole recording ($dur s)";
    my $listed = () = (`curl -s '$vod'` =~ /^index\d+\.ts$/mg);
    is $listed, scalar(@segs), "[$engine] the recording lists every segment stored ($listed)";
    $r = api(port => $a, user => 'alice', path => "/local/$id");
    like $r->{json}{stream}{stop_date} // '', qr/^\d{4}-/, "[$engine] node A sees the stream stopped";

    # ---- a node without the shared live root
    ($id, $token) = start_on($a);
    my $mark = error_log_mark();
    my ($st, $body) = put($b, "/apart/live/$id/seg0.ts", $token, 'TS0');
    is $st, 500, "[$engine] PUT to a node without the stream's directory: 500";
    like $body, qr/"code":"misconfigured".*shared BroadcastLiveRoot/, "[$engine] ... with a JSON error that says why";
    ok !-e "$APART/$id", "[$engine] ... and creates nothing there";
    ok !-e "$LIVE/$id/seg0.ts", "[$engine] ... nor on node A";
    select undef, undef, undef, 0.3;
    my @lines = grep { /MB1700: .*\Q$id\E/ } split /\n/, error_log_since($mark);
    is scalar(@lines), 1, "[$engine] ... logged once" or diag error_log_since($mark);
    like $lines[0] // '', qr/\[broadcast:error\].*same BroadcastLiveRoot/, "[$engine] ... at error level, naming the cure";

    my $del = `curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Authorization: Bearer $token' 'http://127.0.0.1:$b/apart/live/$id/seg0.ts'`;
    is $del, 500, "[$engine] DELETE there: 500 too";

    $mark = error_log_mark();
    $r = api(port => $b, method => 'POST', user => 'alice', path => '/apart/local/stop',
             body => form(id => $id));
    is $r->code, 500, "[$engine] stop on that node: 500";
    is $r->{json}{error}{code}, 'misconfigured', "[$engine] ... misconfigured";
    select undef, undef, undef, 0.3;
    is scalar(grep { /MB1700: .*\Q$id\E/ } split /\n/, error_log_since($mark)), 1, "[$engine] ... logged once";
    $r = api(port => $a, user => 'alice', path => "/local/$id");
    is $r->{json}{stream}{stop_date}, undef, "[$engine] ... and the stream is still live";
    ($st) = put($a, "/live/$id/seg0.ts", $token, 'TS0');
    is $st, 201, "[$engine] node A still takes its uploads";
    $r = api(port => $a, method => 'POST', user => 'alice', path => '/local/stop',
             body => form(id => $id));
    is $r->code, 200, "[$engine] stop on node A";
    ok -e "$LIVE/$id/vod.m3u8", "[$engine] ... writes the recording playlist";
}

done_testing();
