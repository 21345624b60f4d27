# Playback of S3 streams (issue 11): broadcast-live with BroadcastStorage S3
# reads the stream's objects from its prefix in the (private) bucket of the
# suite's Ceph RGW.  The API starts an S3 stream, ffmpeg writes a real HLS
# stream to local files, the aws CLI uploads them with the temporary
# credentials; then the playlist and segments are read through Apache:
# bytes identical to the objects, Range 206/416, HEAD, 304, 404, S3's
# refusals and silence mapped to 502/504, ffprobe reads the playlist, a
# large segment streams with flat worker memory, and a viewer who leaves
# aborts the read from S3.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use File::Temp ();
use IO::Socket::INET;
use LWP::UserAgent;
use MB::API qw(engines api form note_secret rgw_env);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
my $ua = LWP::UserAgent->new(timeout => 30);
my $T = $ENV{MB_T_DIR} // 't';
my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
my $errlog = Apache::Test::vars('t_logs') . '/error_log';

sub get { my ($path, @h) = @_; $ua->get("$base$path", @h) }
sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or die "$f: $!"; local $/; <$fh> }
sub log_size { -s $errlog // 0 }
sub log_since { my ($off) = @_; my $all = slurp($errlog); substr($all, $off) }

# ---- an S3 stream, its HLS files uploaded by a real client -----------------
my $r = api(port => $port, method => 'POST', user => 'alice', path => '/stream/start',
            query => form(type => 'hls', name => 's3play'));
is $r->code, 200, 'start an S3 stream';
my $id = $r->{json}{stream}{id};
my $S3 = $r->{json}{endpoint}{S3};
note_secret($S3->{aws_secret_access_key});
note_secret($S3->{aws_session_token});

my $dir = File::Temp::tempdir(CLEANUP => 1);
system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
       '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4', '-c:v', 'libx264',
       '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac',
       '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
       '-hls_segment_filename', "$dir/seg%d.ts", "$dir/index.m3u8") == 0
    or die 'ffmpeg could not write the test stream';
# a large segment (random bytes: its content is compared, not played)
{
    open my $fh, '>:raw', "$dir/big.ts" or die;
    open my $rnd, '<:raw', '/dev/urandom' or die;
    for (1 .. 48) { read $rnd, my $buf, 1024 * 1024; print $fh $buf }
    close $fh;
}
{
    local $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    local $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    local $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    local $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    local $ENV{AWS_CONFIG_FILE} = '/dev/null';
    local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}";
    my $out = `/usr/bin/aws --endpoint-url $ENV{MB_RGW_ENDPOINT} s3 cp --recursive $dir $dest --no-progress 2>&1`;
    is $?, 0, 'aws s3 cp uploads the HLS stream with the temporary credentials' or diag $out;
}
my $L = "/live-s3/$id";

# ---- the bucket is private: straight to RGW without a signature is 403 ----
{
    my $direct = $ua->get("$ENV{MB_RGW_ENDPOINT}/$S3->{s3_bucket_name}/$S3->{s3_bucket_path}index.m3u8");
    is $direct->code, 403, 'an anonymous GET straight to RGW is refused (private bucket)';
}

# ---- playlists and segments: the objects' bytes -----------------------------
my $pl = get("$L/index.m3u8");
is $pl->code, 200, 'the playlist through Apache: 200';
is $pl->content, slurp("$dir/index.m3u8"), '... the bytes of the uploaded playlist';
is $pl->header('Cache-Control'), 'no-cache', '... not cached (no-cache)';
like $pl->header('ETag') // '', qr/^"[0-9a-f]+"$/, "... S3's ETag: " . ($pl->header('ETag') // '');
ok $pl->header('Last-Modified'), "... S3's Last-Modified";
is $pl->header('Content-Length'), length $pl->content, '... Content-Length exact';

my $seg = slurp("$dir/seg1.ts");
my $g = get("$L/seg1.ts");
is $g->code, 200, 'a segment: 200';
ok $g->content eq $seg, '... the bytes of the uploaded segment (' . length($seg) . ')';
is $g->header('Content-Length'), length $seg, '... Content-Length exact';
like $g->header('Cache-Control') // '', qr/max-age=\d+/, '... cacheable';
like $g->header('Content-Type') // '', qr{^video/mp2t}i, '... typed by its extension';
is $g->header('Accept-Ranges'), 'bytes', '... Accept-Ranges: bytes';

my $h = $ua->head("$base$L/seg1.ts");
is $h->code, 200, 'HEAD of a segment: 200';
is $h->header('Content-Length'), length $seg, '... with its Content-Length';
is length($h->content), 0, '... and no body';

# ---- ranges -----------------------------------------------------------------
my $size = length $seg;
my $rg = get("$L/seg1.ts", Range => 'bytes=100-1099');
is $rg->code, 206, 'Range bytes=100-1099: 206';
is $rg->header('Content-Range'), "bytes 100-1099/$size", '... Content-Range exact';
is $rg->header('Content-Length'), 1000, '... Content-Length 1000';
ok $rg->content eq substr($seg, 100, 1000), '... the bytes of that range';
$rg = get("$L/seg1.ts", Range => 'bytes=-10');
is $rg->code, 206, 'suffix range bytes=-10: 206';
ok $rg->content eq substr($seg, -10), '... the last 10 bytes';
$rg = get("$L/seg1.ts", Range => "bytes=$size-");
is $rg->code, 416, 'a range past the end: 416';
is $rg->header('Content-Range'), "bytes */$size", '... Content-Range bytes */size';

# ---- conditionals -----------------------------------------------------------
my $etag = $g->header('ETag');
my $c = get("$L/seg1.ts", 'If-None-Match' => $etag);
is $c->code, 304, 'If-None-Match with the ETag: 304';
is $c->header('ETag'), $etag, '... with the ETag';
is length($c->content), 0, '... and no body';
$c = get("$L/seg1.ts", 'If-Modified-Since' => $g->header('Last-Modified'));
is $c->code, 304, 'If-Modified-Since its Last-Modified: 304';
$c = get("$L/seg1.ts", 'If-None-Match' => '"0123456789abcdef"');
is $c->code, 200, 'If-None-Match with another ETag: 200';
ok $c->content eq $seg, '... the whole segment';

# ---- what is not there ------------------------------------------------------
is get("$L/seg999.ts")->code, 404, 'a missing segment: 404';
is get("/live-s3/00000000-0000-4000-8000-000000000000/index.m3u8")->code, 404,
    'a stream that does not exist: 404';
is get("$L/..%2findex.m3u8")->code, 404, 'a name the live handler refuses: 404';
is get("$L/notes.txt")->code, 404, 'an extension the live handler refuses: 404';
{
    my $put = HTTP::Request->new(PUT => "$base$L/seg9.ts", ['Content-Length' => 3], 'abc');
    is $ua->request($put)->code, 405, 'PUT to an S3 stream through Apache: 405';
}

# ---- connections to S3 are reused (one curl share per process) -------------------
{
    my $off = log_size();
    my $n = 12;
    is get("$L/seg1.ts")->code, 200, "read $_ of $n" for 1 .. $n;
    my $log = '';
    for (1 .. 50) {
        $log = log_since($off);
        last if (() = $log =~ /MB3108/g) >= $n;
        select undef, undef, undef, 0.1;
    }
    my $new = () = $log =~ /MB3108: read of \S+ from S3: HTTP 200, new connection/g;
    my $reused = () = $log =~ /MB3108: read of \S+ from S3: HTTP 200, reused connection/g;
    my $children = () = split ' ', `pgrep -P \$(cat $pidfile)`;
    is $new + $reused, $n, "each read logged (debug): $new new, $reused reused";
    ok $new <= $children, "at most one new connection per child ($children children): $new";
}

# ---- the player page ----------------------------------------------------------
{
    my $page = get("$L/");
    is $page->code, 200, 'the player page of an S3 stream: 200';
    like $page->header('Content-Type') // '', qr{^text/html}, '... HTML';
    like $page->content, qr/var src='index\.m3u8'/, '... playing the live playlist while live';
    is get("/live-s3/00000000-0000-4000-8000-000000000000/")->code, 404,
        'the player page of no stream: 404';
}

# ---- S3 refusing, unreachable, silent ----------------------------------------
{
    my $off = log_size();
    my $b = get("/live-s3-badkey/$id/index.m3u8");
    is $b->code, 502, 'keys S3 does not know: 502';
    like $b->content, qr/"code":"s3_refused"/, '... with the JSON error s3_refused';
    my $log = log_since($off);
    my @lines = grep { /MB3106/ } split /\n/, $log;
    is scalar @lines, 1, '... logged once';
    unlike $log, qr/not-a-valid-secret-key-9f3e1/, '... without the secret key';
    my $d = get("/live-s3-down/$id/index.m3u8");
    is $d->code, 502, 'S3 unreachable: 502';
    like $d->content, qr/"code":"s3_unreachable"/, '... s3_unreachable';
    my $hole = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                     LocalPort => rgw_env('MB_STS_BLACKHOLE_PORT'),
                                     Listen => 5, ReuseAddr => 1) or die "blackhole: $!";
    my $s = get("/live-s3-slow/$id/index.m3u8");
    is $s->code, 504, 'S3 silent past BroadcastS3Timeout: 504';
    like $s->content, qr/"code":"s3_timeout"/, '... s3_timeout';
    close $hole;
}

# ---- a real player: ffprobe reads the playlist through Apache ----------------
{
    my $out = `timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 '$base$L/index.m3u8' 2>&1`;
    is $?, 0, 'ffprobe reads the S3 stream through Apache' or diag $out;
    ok $out =~ /^([\d.]+)/m && $1 > 3, "... its duration is the stream's (about 4 s): $out";
}

# ---- a large segment: streamed, worker memory flat -----------------------------
# VmHWM is a worker's peak: a handler that held a whole segment before
# sending it would raise it by the segment's size, even if it gave the
# memory back after each request (as APR's allocators do).
sub workers_kib {
    my ($field) = @_;
    open my $pf, '<', $pidfile or die "pid file: $!";
    chomp(my $parent = <$pf>);
    my $sum = 0;
    for my $pid (split ' ', `pgrep -P $parent`) {
        open my $st, '<', "/proc/$pid/status" or next;
        while (<$st>) { $sum += $1 if /^$field:\s+(\d+) kB/ }
    }
    return $sum;
}
{
    my $big = slurp("$dir/big.ts");
    my ($rss0, $peak0) = (workers_kib('VmRSS'), workers_kib('VmHWM'));
    ok $rss0 > 0 && $peak0 > 0, "workers' RSS ($rss0 KiB) and peak ($peak0 KiB) measured";
    my $first = get("$L/big.ts");
    ok $first->code == 200 && $first->content eq $big, 'a 48 MiB segment: every byte, in order';
    for (1 .. 6) {
        my $out = `curl -s -o /dev/null -w '%{http_code} %{size_download}' '$base$L/big.ts'`;
        is $out, '200 ' . length($big), "48 MiB segment, read $_: 200, every byte";
    }
    my ($rss1, $peak1) = (workers_kib('VmRSS'), workers_kib('VmHWM'));
    diag "workers' RSS $rss0 -> $rss1 KiB, peak $peak0 -> $peak1 KiB, after 336 MiB served from S3";
    ok $rss1 - $rss0 < 16 * 1024, 'workers\' memory flat (RSS grew ' . ($rss1 - $rss0) . ' KiB, limit 16 MiB)';
    ok $peak1 - $peak0 < 16 * 1024,
        'workers\' peak memory flat: no segment held whole (grew ' . ($peak1 - $peak0) . ' KiB, limit 16 MiB)';
}

# ---- a viewer who leaves aborts the read from S3 --------------------------------
{
    my $off = log_size();
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die $!;
    print $sock "GET $L/big.ts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    my $got = 0;
    while ($got < 256 * 1024) { my $n = sysread $sock, my $buf, 65536; last unless $n; $got += $n }
    close $sock;
    my $log = '';
    for (1 .. 100) {
        $log = log_since($off);
        last if $log =~ /MB3102/;
        select undef, undef, undef, 0.1;
    }
    like $log, qr/MB3102.*viewer gone: read of \S+big\.ts from S3 aborted after \d+ bytes/,
        'a viewer who leaves mid-segment aborts the read from S3';
    my ($after) = $log =~ /aborted after (\d+) bytes/;
    ok defined $after && $after < 48 * 1024 * 1024, '... before the whole segment was read';
}

# ---- stopped: the player page plays the recording -----------------------------------
{
    my $st = api(port => $port, method => 'POST', user => 'alice', path => '/stream/stop',
                 query => form(id => $id));
    is $st->code, 200, 'stop the S3 stream';
    like get("$L/")->content, qr/var src='vod\.m3u8'/, '... its player page then plays vod.m3u8';
}

done_testing();
