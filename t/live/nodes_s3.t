# Several nodes with S3 storage (issue 11, "Several nodes"): two whole
# Apache servers of their own (t/conf/nodes-s3.conf, ports
# MB_NODE_S3_A_PORT and MB_NODE_S3_B_PORT), sharing one PostgreSQL database
# (stream table and watch log) and the suite's RGW, nothing else.
# A stream started on node A is uploaded by the broadcaster with the
# temporary credentials (aws CLI, a real HLS stream made by ffmpeg), watched
# on node B (ffprobe reads its playlist, headless Chromium plays its player
# page), stopped on B; its recording (the vod.m3u8 the broadcaster uploads)
# plays from A; the watch log rows of both nodes land in one table and each
# node's status page shows both.  Then node A is killed with SIGKILL in the
# middle of a broadcast: B serves the rest of it, its stop and its
# recording.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use File::Path qw(make_path remove_tree);
use File::Temp ();
use IO::Socket::INET;
use JSON::PP ();
use LWP::UserAgent;
use MIME::Base64 qw(encode_base64);
use POSIX qw(setsid WNOHANG);
use MB::API qw(api form note_secret rgw_env);

my $T = rgw_env('MB_T_DIR');
my $S = "$T/state/nodes-s3";
my %port = (A => rgw_env('MB_NODE_S3_A_PORT'), B => rgw_env('MB_NODE_S3_B_PORT'));
my $httpd = $ENV{HTTPD} // '/usr/sbin/apache2';
my $ua = LWP::UserAgent->new(timeout => 30);
my $tag = "mb-test/nodes_s3-$$";
my $alice = 'Basic ' . encode_base64('alice:alice-pw', '');

# ---- the shared database: a PostgreSQL database of this test's own --------
my $pg = rgw_env('MB_PG_PORT');
my $db = 'mb_nodes';
my $psql = "PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -p $pg -v ON_ERROR_STOP=1";
system("$psql -U postgres -c 'DROP DATABASE IF EXISTS $db' -c 'CREATE DATABASE $db OWNER broadcast' >/dev/null") == 0
    or die 'cannot create the nodes database';
system("PGPASSWORD=broadcast $psql -U broadcast -d $db -f $T/../conf/schema/pgsql/streams.sql "
       . "-f $T/../conf/schema/pgsql/watch_log.sql >/dev/null") == 0
    or die 'cannot create the schema of the nodes database';
sub sql {
    my ($q) = @_;
    my @out = `PGPASSWORD=broadcast psql -h 127.0.0.1 -p $pg -U broadcast -d $db -At -F '|' -c "$q"`;
    chomp @out;
    return @out;
}

# ---- the nodes: each an Apache of its own, in a process group of its own --
my %pid;
sub start_node {
    my ($n) = @_;
    my $dir = "$S/$n";
    remove_tree($dir);
    make_path($dir);
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        setsid();
        open STDOUT, '>', "$dir/stdout" or die; open STDERR, '>&', \*STDOUT;
        $ENV{MB_NODE} = $n;
        $ENV{MB_NODE_DIR} = $dir;
        $ENV{MB_NODE_PORT} = $port{$n};
        $ENV{MB_NODES_PG_PARAMS} = "host=127.0.0.1 port=$pg dbname=$db user=broadcast password=broadcast";
        exec $httpd, '-f', "$T/conf/nodes-s3.conf", '-DFOREGROUND';
        exit 127;
    }
    $pid{$n} = $pid;
    for (1 .. 120) {
        return 1 if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port{$n}", Timeout => 1);
        last if waitpid($pid, WNOHANG) == $pid;
        select undef, undef, undef, 0.25;
    }
    diag `cat $dir/stdout $dir/error_log 2>/dev/null`;
    return 0;
}
# the whole node at once, parent and children, as when its machine dies
sub kill_node {
    my ($n, $sig) = @_;
    return unless $pid{$n};
    kill $sig, -$pid{$n};
    waitpid $pid{$n}, 0;
    delete $pid{$n};
}
END { kill_node($_, 'TERM') for keys %pid }

sub url { my ($n, $path) = @_; "http://127.0.0.1:$port{$n}$path" }
# the same URL on another node
sub on { my ($n, $url) = @_; $url =~ s{^http://[^/]+}{http://127.0.0.1:$port{$n}}r }
sub call {
    my ($n, $method, $path, $query) = @_;
    return api(port => $port{$n}, method => $method, user => 'alice', path => $path,
               query => $query);
}
sub segments { my ($text) = @_; return ($text // '') =~ /^(seg\d+\.ts)$/mg }

# ---- the broadcaster: ffmpeg writes HLS, the aws CLI uploads it -----------
# Segments first, then the playlist that lists them, every half second
# while ffmpeg runs (or until the stop file appears); at the end the final
# playlist as the recording, vod.m3u8, as the seed's clients do.
sub broadcaster {
    my ($S3, $seconds, $stopfile) = @_;
    my $dir = File::Temp::tempdir(CLEANUP => 0, DIR => $S);
    my $log = "$dir.log";
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    open STDOUT, '>', $log or die; open STDERR, '>&', \*STDOUT;
    $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    $ENV{AWS_CONFIG_FILE} = $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}";
    my $aws = "/usr/bin/aws --endpoint-url $ENV{MB_RGW_ENDPOINT} --only-show-errors s3";
    my $ff = fork // die;
    if ($ff == 0) {
        exec 'ffmpeg', '-nostdin', '-v', 'error', '-re',
             '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
             '-t', $seconds, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
             '-g', '25', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
             '-hls_flags', 'temp_file', '-hls_segment_filename', "$dir/seg%d.ts", "$dir/index.m3u8";
        exit 127;
    }
    # the playlist as it is now, then every segment it may list, then it
    my $upload = sub {
        my $have = -e "$dir/index.m3u8" && system('cp', "$dir/index.m3u8", "$dir.m3u8") == 0;
        system("$aws sync $dir $dest --exclude '*.tmp' --exclude '*.m3u8'") == 0 or return 0;
        return $have ? system("$aws cp $dir.m3u8 ${dest}index.m3u8") == 0 : 1;
    };
    my $ok = 1;
    while (waitpid($ff, WNOHANG) == 0) {
        kill 'INT', $ff if $stopfile && -e $stopfile;
        $ok &&= $upload->();
        select undef, undef, undef, 0.5;
    }
    $ok &&= $upload->();
    system('cp', "$dir/index.m3u8", "$dir/vod.m3u8");
    $ok &&= system("$aws cp $dir/vod.m3u8 ${dest}vod.m3u8") == 0;
    POSIX::_exit($ok ? 0 : 1);
}

# the live playlist on node $n once it lists at least $min segments
sub wait_segments {
    my ($n, $id, $min) = @_;
    my @segs;
    for (1 .. 240) {
        my $r = $ua->get(url($n, "/live/$id/index.m3u8"));
        @segs = segments($r->content) if $r->code == 200;
        return @segs if @segs >= $min;
        select undef, undef, undef, 0.25;
    }
    return @segs;
}

sub status_rows {
    my ($n, $id) = @_;
    my $r = $ua->get(url($n, "/status?format=json&stream=$id&per_page=200"), Authorization => $alice);
    return (0) unless $r->code == 200;
    my $d = eval { JSON::PP->new->decode($r->content) } || {};
    return (200, @{ $d->{log}{rows} || [] });
}

sub chromium {
    my ($page) = @_;
    my $out = `node --experimental-websocket t/lib/play-in-chromium.js '$page' 25 2>/dev/null`;
    my ($times) = $out =~ /"times":\[([^\]]*)\]/;
    my ($status) = $out =~ /"status":"([^"]*)"/;
    return ($out, $status // '', split /,/, $times // '');
}

remove_tree($S);
make_path($S);
chmod 0755, $S;
ok start_node('A'), "node A: an Apache of its own on port $port{A}";
ok start_node('B'), "node B: another on port $port{B}";

# ===== start on A, watch on B, stop on B, the recording from A ==============
my $r = call('A', 'POST', '/stream/start', form(type => 'hls', name => 'two nodes'));
is $r->code, 200, 'start an S3 stream on node A';
my $id = $r->{json}{stream}{id} // 'none';
my $S3 = $r->{json}{endpoint}{S3};
note_secret($S3->{aws_secret_access_key});
note_secret($S3->{aws_session_token});
my $P = $r->{json}{playback} // {};
like $P->{playlist_url} // '', qr{/live/\Q$id\E/index\.m3u8$}, '... its playlist_url';

my $bc = broadcaster($S3, 10);
my @segs = wait_segments('B', $id, 3);
ok @segs >= 3, 'node B serves the live playlist the broadcaster uploads (' . scalar(@segs) . ' segments)';
my $probe = `timeout 60 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '${\ on('B', $P->{playlist_url})}' 2>&1`;
like $probe, qr/h264/, 'ffprobe reads the live stream from node B\'s playlist_url (video)';
like $probe, qr/aac/, '... and audio';
for my $n ('A', 'B') {
    my $g = $ua->get(url($n, "/live/$id/$segs[0]"), 'User-Agent' => "$tag viewer on $n");
    is $g->code, 200, "node $n serves a segment of the stream";
    like $g->header('Content-Type') // '', qr{^video/mp2t}i, '... as MPEG-TS';
}
my ($out, $status, @t) = chromium(on('B', $P->{player_url}));
ok @t >= 2 && $t[-1] > 1.0 && $t[-1] > $t[0], "Chromium plays node B's player page (currentTime: @t)"
    or diag $out;
like $status, qr/^playing index\.m3u8/, "... the live playlist ($status)";

waitpid $bc, 0;
is $?, 0, 'the broadcaster uploaded the whole stream and its recording' or diag `cat $S/*.log`;
$r = call('B', 'POST', '/stream/stop', form(id => $id));
is $r->code, 200, 'stop it on node B';
like $r->{json}{playback}{recording_url} // '', qr{/live/\Q$id\E/vod\.m3u8$}, '... the answer says where the recording is';
$r = call('A', 'GET', "/stream/$id");
like $r->{json}{stream}{stop_date} // '', qr/^\d{4}-/, 'node A sees it stopped';
my $rec = on('A', $r->{json}{playback}{recording_url} // '');
my $dur = `timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 '$rec' 2>&1`;
chomp $dur;
ok $dur =~ /^[\d.]+$/ && abs($dur - 10) < 1, "the recording plays from node A, whole ($dur s)";
like $ua->get(url('A', "/live/$id/"))->content, qr/var src='vod\.m3u8'/, "node A's player page plays the recording";

# ---- the watch log: both nodes' rows in one table, on both status pages --
my @rows;
for (1 .. 100) {
    @rows = sql("SELECT user_agent, path, status FROM watch_log WHERE stream_id = '$id' "
                . "AND user_agent LIKE '$tag %' ORDER BY id");
    last if @rows >= 2;
    select undef, undef, undef, 0.1;
}
is_deeply [sort @rows], ["$tag viewer on A|$id/$segs[0]|200", "$tag viewer on B|$id/$segs[0]|200"],
    'the watch log rows of both nodes are in the one table';
# every request has had its row written once the count stays the same
my ($nall, $last) = (0, -1);
for (1 .. 100) {
    ($nall) = sql("SELECT count(*) FROM watch_log WHERE stream_id = '$id'");
    last if $nall == $last;
    $last = $nall;
    select undef, undef, undef, 0.5;
}
ok $nall > 10, "... with those of ffprobe and Chromium ($nall rows)";
for my $n ('A', 'B') {
    my ($code, @log) = status_rows($n, $id);
    is $code, 200, "node ${n}'s status page";
    my %ua = map { (($_->{user_agent} // '') => 1) } @log;
    ok $ua{"$tag viewer on A"} && $ua{"$tag viewer on B"}, "... shows the rows of both nodes";
    is scalar(@log), $nall, '... every row of the stream';
}

# ===== node A killed with SIGKILL in the middle of a broadcast ==============
$r = call('A', 'POST', '/stream/start', form(type => 'hls', name => 'node A dies'));
is $r->code, 200, 'start another S3 stream on node A';
my $id2 = $r->{json}{stream}{id} // 'none';
my $S3b = $r->{json}{endpoint}{S3};
note_secret($S3b->{aws_secret_access_key});
note_secret($S3b->{aws_session_token});
my $P2 = $r->{json}{playback} // {};
my $stop = "$S/stop-$id2";
$bc = broadcaster($S3b, 60, $stop);
my @before = wait_segments('A', $id2, 2);
ok @before >= 2, 'node A serves the live playlist';
kill_node('A', 'KILL');
# (the children are gone once the kernel has torn them down)
my $gone = 0;
for (1 .. 50) {
    last if ($gone = !IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port{A}", Timeout => 1));
    select undef, undef, undef, 0.1;
}
ok $gone, 'node A killed (SIGKILL, parent and children)';
ok waitpid($bc, WNOHANG) == 0, '... in the middle of the broadcast';
my @after = wait_segments('B', $id2, @before + 3);
ok @after >= @before + 3, 'node B serves the live playlist as it grows after A\'s death ('
    . scalar(@before) . ' -> ' . scalar(@after) . ' segments)';
my $g = $ua->get(url('B', "/live/$id2/$after[-1]"));
is $g->code, 200, "... and a segment uploaded since ($after[-1])";
$probe = `timeout 60 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '${\ on('B', $P2->{playlist_url})}' 2>&1`;
like $probe, qr/h264/, 'ffprobe reads the live stream from node B';
is $ua->get(on('B', $P2->{player_url}))->code, 200, "node B's player page";

open my $fh, '>', $stop or die; close $fh;
waitpid $bc, 0;
is $?, 0, 'the broadcaster stops and uploads its recording' or diag `cat $S/*.log`;
$r = call('B', 'POST', '/stream/stop', form(id => $id2));
is $r->code, 200, 'stop it on node B';
$r = call('B', 'GET', "/stream/$id2");
like $r->{json}{stream}{stop_date} // '', qr/^\d{4}-/, '... stopped';
$r = call('B', 'GET', '/stream/', 'state=stopped');
ok((grep { ($_->{id} // '') eq $id2 } @{ $r->{json}{streams} || [] }), '... listed with the recordings on B');
$dur = `timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 '${\ url('B', "/live/$id2/vod.m3u8")}' 2>&1`;
chomp $dur;
ok $dur =~ /^[\d.]+$/ && $dur > @after - 1, "the recording plays from node B ($dur s)";
my ($code, @log) = status_rows('B', $id);
ok $code == 200 && grep({ ($_->{user_agent} // '') eq "$tag viewer on A" } @log),
    "node B's status page still shows the rows node A wrote";

kill_node('B', 'TERM');
my $errors = `cat $S/A/error_log $S/B/error_log 2>/dev/null`;
unlike $errors, qr/\[broadcast:(error|crit|alert|emerg)\]/, 'neither node logged an error' or diag $errors;
system("$psql -U postgres -c 'DROP DATABASE IF EXISTS $db' >/dev/null");
done_testing();
