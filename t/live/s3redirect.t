# BroadcastS3Playback redirect (issue 11): the playlists of an S3 stream are
# still read, validated and sent by broadcast-live, but every segment URI in
# them is an absolute URL of the suite's Ceph RGW pre-signed with SigV4 query
# parameters (src/core/s3presign.c), which a client without credentials may
# GET for BroadcastS3PresignLifetime seconds: tampered or expired, RGW says
# 403.  A segment or thumb.jpg asked of the module is a 302 to such a URL.
# ffprobe plays the live playlist and the recording that way, and the watch
# log has their playlist requests only (the segments go straight to S3).
# On the ingest test host (t/conf/ingest-vhost.inc), whose database holds
# the streams and the watch log.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use File::Temp ();
use LWP::UserAgent;
use MB::API qw(api form note_secret rgw_env);

my $port = rgw_env('MB_API_PORT_INGEST');
my $db = rgw_env('MB_INGEST_DB');
my $rgw = rgw_env('MB_RGW_ENDPOINT');
my $bucket = rgw_env('MB_RGW_BUCKET');
my $ak = rgw_env('MB_RGW_ACCESS_KEY');
my $sk = rgw_env('MB_RGW_SECRET_KEY');
my $ua = LWP::UserAgent->new(timeout => 30, max_redirect => 0);
my $base = "http://127.0.0.1:$port";
my $tag = "mb-test/s3redirect-$$-" . time;
my $errlog = Apache::Test::vars('t_logs') . '/error_log';

sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or die "$f: $!"; local $/; <$fh> }
sub spew { my ($f, $t) = @_; open my $fh, '>:raw', $f or die "$f: $!"; print $fh $t; close $fh }
sub get { my ($url, @h) = @_; $ua->get($url =~ m{^http} ? $url : "$base$url", @h) }

sub rows {
    my ($sql) = @_;
    open my $fh, '-|', 'runuser', '-u', 'nobody', '--', 'sqlite3', '-separator', '|', $db, $sql
        or die "sqlite3: $!";
    my @r = map { chomp; [split /\|/, $_, -1] } grep { /\S/ } <$fh>;
    close $fh or die "sqlite3 '$sql' failed";
    return @r;
}

# the files of $dir uploaded into the stream's prefix by the aws CLI
sub upload {
    my ($S3, $dir) = @_;
    local $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    local $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    local $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    local $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    local $ENV{AWS_CONFIG_FILE} = '/dev/null';
    local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}";
    my $out = `/usr/bin/aws --endpoint-url $rgw s3 cp --recursive $dir $dest --no-progress 2>&1`;
    die "aws s3 cp: $out" if $?;
}

sub ffprobe_duration {
    my ($url, $who) = @_;
    my $out = `timeout 60 ffprobe -v error -user_agent '$tag $who' -show_entries format=duration -of csv=p=0 '$url' 2>&1`;
    return ($?, $out);
}

# ---- an S3 stream: a real HLS stream, a thumbnail, a master playlist -------
my $r = api(port => $port, method => 'POST', user => 'alice', path => '/s3/start',
            query => form(type => 'hls', name => 's3redirect'));
is $r->code, 200, 'start an S3 stream';
my $id = $r->{json}{stream}{id};
my $S3 = $r->{json}{endpoint}{S3};
note_secret($S3->{aws_secret_access_key});
note_secret($S3->{aws_session_token});
my $prefix = $S3->{s3_bucket_path};

my $dir = File::Temp::tempdir(CLEANUP => 1);
system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
       '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4', '-c:v', 'libx264',
       '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac',
       '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
       '-hls_segment_filename', "$dir/seg%d.ts", "$dir/index.m3u8") == 0
    or die 'ffmpeg could not write the test stream';
system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120',
       '-frames:v', '1', "$dir/thumb.jpg") == 0 or die 'ffmpeg could not write the thumbnail';
spew("$dir/multi.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nindex.m3u8\n");
my @segs = slurp("$dir/index.m3u8") =~ /^(seg\d+\.ts)$/mg;
ok @segs >= 3, 'ffmpeg wrote ' . scalar(@segs) . ' segments';
upload($S3, $dir);

my $L = "/live-s3-redirect/$id";
my $signed = qr{^\Q$rgw/$bucket/$prefix\E(seg\d+\.ts)\?X-Amz-Algorithm=AWS4-HMAC-SHA256
                &X-Amz-Credential=\Q$ak\E%2F\d{8}%2F[a-z0-9-]+%2Fs3%2Faws4_request
                &X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=(\d+)&X-Amz-SignedHeaders=host
                &X-Amz-Signature=[0-9a-f]{64}$}x;

# ---- the live playlist: served by the module, segment URIs pre-signed -------
my $pl = get("$L/index.m3u8");
is $pl->code, 200, 'the live playlist through the module: 200';
my @uris = grep { !/^#/ && /\S/ } split /\n/, $pl->content;
is scalar @uris, scalar @segs, '... one URI per segment';
my @names = map { /$signed/ ? $1 : '(not pre-signed)' } @uris;
is_deeply \@names, \@segs, '... each an absolute pre-signed RGW URL of its segment, in order'
    or diag $pl->content;
is +($uris[0] =~ /$signed/)[1], 300, '... valid 300 s (BroadcastS3PresignLifetime default)';
(my $rest = $pl->content) =~ s/^http\S+$//mg;
(my $orig = slurp("$dir/index.m3u8")) =~ s/^seg\d+\.ts$//mg;
is $rest, $orig, '... the rest of the playlist as uploaded';
is $pl->header('Content-Length'), length $pl->content, '... Content-Length of the rewritten text';
is $pl->header('Cache-Control'), 'no-cache', '... not cached';
is $pl->header('ETag'), undef, "... no ETag (S3's is not the rewritten text's)";
ok index($pl->content, $sk) < 0, '... the secret key is not in it';
{
    my $c = get("$L/index.m3u8", 'If-None-Match' => '*');
    is $c->code, 200, "... the viewer's conditionals are not passed to S3 (rewritten text)";
    my $h = $ua->head("$base$L/index.m3u8");
    is $h->code, 200, 'HEAD of the playlist: 200';
    is $h->header('Content-Length'), length $pl->content,
        '... with the length of the rewritten playlist';
}

# ---- the pre-signed URLs: no credentials needed; tampered: 403 ---------------
{
    my $bare = LWP::UserAgent->new(timeout => 30);
    my $g = $bare->get($uris[0]);
    is $g->code, 200, 'a pre-signed URL straight from RGW, no credentials: 200';
    ok $g->content eq slurp("$dir/$segs[0]"), '... the bytes of the segment';
    my $rg = $bare->get($uris[1], Range => 'bytes=10-19');
    is $rg->code, 206, '... a Range of it: 206 from RGW';
    is $rg->content, substr(slurp("$dir/$segs[1]"), 10, 10), '... those bytes';
    (my $bad = $uris[0]) =~ s/(X-Amz-Signature=)(.)/$1 . ($2 eq '0' ? '1' : '0')/e;
    is $bare->get($bad)->code, 403, 'a signature changed: 403 from RGW';
    (my $other = $uris[0]) =~ s/\Q$segs[0]\E\?/$segs[1]?/;
    is $bare->get($other)->code, 403, 'the signature of another object: 403 from RGW';
    (my $longer = $uris[0]) =~ s/X-Amz-Expires=300/X-Amz-Expires=3000/;
    is $bare->get($longer)->code, 403, 'a longer lifetime written in: 403 from RGW';
    my $direct = $bare->get("$rgw/$bucket/$prefix$segs[0]");
    is $direct->code, 403, 'the same object without the signature: 403 (private bucket)';
}

# ---- a segment or thumb.jpg asked of the module: 302 to S3 ------------------
{
    my $g = get("$L/$segs[0]");
    is $g->code, 302, 'a segment through the module: 302';
    my $loc = $g->header('Location') // '';
    like $loc, $signed, '... to its pre-signed URL';
    is $g->header('Cache-Control'), 'no-store', '... not kept by caches (it expires)';
    my $f = LWP::UserAgent->new(timeout => 30)->get("$base$L/$segs[0]");
    is $f->code, 200, '... a client that follows it gets 200';
    ok $f->content eq slurp("$dir/$segs[0]"), '... and the bytes of the segment';
    my $t = get("$L/thumb.jpg");
    is $t->code, 302, 'thumb.jpg: 302';
    my $tl = $t->header('Location') // '';
    like $tl, qr{^\Q$rgw/$bucket/${prefix}thumb.jpg?X-Amz-Algorithm=\E}, '... to its pre-signed URL';
    my $thumb = LWP::UserAgent->new(timeout => 30)->get($tl);
    ok $thumb->content eq slurp("$dir/thumb.jpg"), '... which gives the thumbnail';
    is $ua->head("$base$L/$segs[0]")->code, 302, 'HEAD of a segment: 302';
    is get("/live-s3-redirect/00000000-0000-4000-8000-000000000000/seg0.ts")->code, 404,
        'a stream that does not exist: 404 (no redirect)';
    is get("$L/notes.txt")->code, 404, 'a name the live handler refuses: 404';
}

# ---- a master playlist: its media playlists stay with the module ------------
{
    my $m = get("$L/multi.m3u8");
    is $m->code, 200, 'a master playlist: 200';
    is $m->content, slurp("$dir/multi.m3u8"), '... its variant URIs kept relative (the module serves them)';
}

# ---- expired: RGW refuses ---------------------------------------------------
{
    my $s = get("/live-s3-redirect-short/$id/index.m3u8");
    is $s->code, 200, 'the playlist with BroadcastS3PresignLifetime 1';
    my ($u) = grep { /$signed/ } split /\n/, $s->content;
    is +(($u // '') =~ /$signed/)[1], 1, '... its URLs valid 1 s';
    sleep 3;
    my $late = LWP::UserAgent->new(timeout => 30)->get($u // $rgw);
    is $late->code, 403, '... 3 s later such a URL is refused by RGW: 403';
}

# ---- ffprobe plays it; the watch log sees its playlist requests only --------
{
    my ($rc, $out) = ffprobe_duration("$base$L/index.m3u8", 'live');
    is $rc, 0, 'ffprobe plays the live playlist through redirect mode' or diag $out;
    ok $out =~ /^([\d.]+)/m && $1 > 3, "... the stream's duration (about 4 s): $out";
}

my $st = api(port => $port, method => 'POST', user => 'alice', path => '/s3/stop',
             query => form(id => $id));
is $st->code, 200, 'stop the stream (its recording written into the bucket)';
{
    my $vod = get("$L/vod.m3u8");
    is $vod->code, 200, 'the recording through the module: 200';
    like $vod->content, qr/^#EXT-X-ENDLIST/m, '... a VOD playlist';
    my @v = map { /$signed/ ? $1 : '(not pre-signed)' } grep { !/^#/ && /\S/ } split /\n/, $vod->content;
    is_deeply \@v, \@segs, '... its segment URIs pre-signed';
    my ($rc, $out) = ffprobe_duration("$base$L/vod.m3u8", 'vod');
    is $rc, 0, 'ffprobe plays the recording through redirect mode' or diag $out;
    ok $out =~ /^([\d.]+)/m && $1 > 3, "... its duration (about 4 s): $out";
    like get("$L/")->content, qr/var src='vod\.m3u8'/, 'the player page plays it';
}

my @rows;
for (1 .. 100) {
    @rows = rows("SELECT user_agent, path, stream_id, status FROM watch_log "
                 . "WHERE user_agent LIKE '$tag %' ORDER BY id");
    last if grep({ $_->[0] =~ /vod$/ } @rows) && grep({ $_->[0] =~ /live$/ } @rows);
    select undef, undef, undef, 0.1;
}
my @live = grep { $_->[0] =~ /live$/ } @rows;
my @vodr = grep { $_->[0] =~ /vod$/ } @rows;
ok @live >= 1, 'the watch log has the live playlist requests of ffprobe (' . scalar(@live) . ')';
is_deeply [map { $_->[1] } @live], [("$id/index.m3u8") x @live], '... and only playlist rows (segments went to S3)';
ok @vodr >= 1, 'the watch log has the recording playlist requests (' . scalar(@vodr) . ')';
is_deeply [map { $_->[1] } @vodr], [("$id/vod.m3u8") x @vodr], '... and only playlist rows';
is_deeply [map { $_->[2] . ' ' . ($_->[3] =~ /^20[06]$/ ? 'ok' : $_->[3]) } @rows], [("$id ok") x @rows],
    '... with the stream id and 200 or 206 (ffprobe asks ranges of playlists)';

# ---- the secret key nowhere in the log --------------------------------------
ok index(slurp($errlog), $sk) < 0, 'the secret key is not in the error log';

done_testing();
