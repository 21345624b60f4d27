# Viewer links for S3 streams (issue 12): an S3 stream (BroadcastStorage
# S3, its HLS files uploaded into the suite's Ceph RGW by the aws CLI with
# the stream's temporary credentials) is played from the bucket through
# /live-s3-private (Require broadcast-viewer): private, 403 without a link
# on the playlist, a segment, the player page and the recording; through a
# link the playlist, every segment by its relative URI (bytes identical to
# the objects), ranges and ffprobe; an altered, another stream's and a
# revoked link: 403; made public, it plays without a link.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use File::Temp ();
use MB::API qw(engines api form note_secret);
use MB::Live qw(playlist_uris);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
sub get { my ($path, %o) = @_; api(port => $port, path => $path, %o) }
sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or die "$f: $!"; local $/; <$fh> }
sub post { my ($path, %f) = @_; api(port => $port, method => 'POST', user => 'alice', path => $path, body => form(%f)) }

# ---- two private S3 streams, their files uploaded by a real client ----------
sub s3_stream {
    my ($name) = @_;
    my $r = post('/stream/start', type => 'hls', name => $name, visibility => 'private');
    die 'start: ' . $r->code . ' ' . $r->content unless $r->code == 200;
    my $S3 = $r->{json}{endpoint}{S3};
    note_secret($S3->{aws_secret_access_key});
    note_secret($S3->{aws_session_token});
    my $dir = File::Temp::tempdir(CLEANUP => 1);
    system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
           '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '3', '-c:v', 'libx264',
           '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac',
           '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
           '-hls_segment_filename', "$dir/seg%d.ts", "$dir/index.m3u8") == 0
        or die 'ffmpeg could not write the test stream';
    system('cp', "$dir/index.m3u8", "$dir/vod.m3u8");
    local $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    local $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    local $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    local $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    local $ENV{AWS_CONFIG_FILE} = '/dev/null';
    local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}";
    my $out = `/usr/bin/aws --endpoint-url $ENV{MB_RGW_ENDPOINT} s3 cp --recursive $dir $dest --no-progress 2>&1`;
    is $?, 0, "aws s3 cp uploads $name" or diag $out;
    return ($r->{json}{stream}{id}, $dir);
}
my ($id, $dir) = s3_stream('s3-private');
my ($id2) = s3_stream('s3-private-other');
is api(port => $port, user => 'alice', path => "/stream/$id")->{json}{stream}{visibility},
   'private', 'the S3 stream is private';

my $P = "/live-s3-private/$id";
is get("$P/index.m3u8")->code, 403, 'no link: the playlist is 403';
is get("$P/seg1.ts")->code, 403, 'no link: a segment is 403';
is get("$P/")->code, 403, 'no link: the player page is 403';
is get("$P/vod.m3u8")->code, 403, 'no link: the recording is 403';

# ---- a link from the API of S3 streams ------------------------------------------
my $r = post("/stream/$id/viewer-link", lifetime => 600);
is $r->code, 200, 'the owner of an S3 stream gets a viewer link' or diag $r->content;
my ($token) = ($r->{json}{url} // '') =~ m{/t/([A-Za-z0-9_-]{86})/\Q$id\E/$};
ok $token, '... url <live>/t/<token>/<id>/';
my $tid = $r->{json}{token_id};
my $LP = "/live-s3-private/t/$token/$id/";

my $pl = get("${LP}index.m3u8");
is $pl->code, 200, 'through the link: the playlist from the bucket';
is $pl->content, slurp("$dir/index.m3u8"), '... the bytes of the uploaded object';
my @uris = playlist_uris($pl->content);
ok @uris >= 2, 'it lists segments';
my @bad = grep { my $g = get("$LP$_"); $g->code != 200 || $g->content ne slurp("$dir/$_") } @uris;
is scalar(@bad), 0, 'every segment by its relative URI keeps the token (bytes identical)';
my $rg = get("${LP}seg1.ts", headers => [Range => 'bytes=100-1099']);
is $rg->code, 206, 'a range through the link: 206';
is length($rg->content), 1000, '... 1000 bytes';
is get($LP)->code, 200, 'the player page through the link';
is get("${LP}vod.m3u8")->code, 200, 'the recording through the link';
my $probe = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '$base${LP}index.m3u8' 2>&1`;
like $probe, qr/h264/, 'ffprobe plays the private S3 stream through the link';

# ---- refused links ------------------------------------------------------------------
my ($other) = post("/stream/$id2/viewer-link")->{json}{url} =~ m{/t/([^/]+)/};
is get("/live-s3-private/t/$other/$id/index.m3u8")->code, 403, 'another stream\'s link: 403';
(my $altered = $token) =~ s/^(.{20})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
is get("/live-s3-private/t/$altered/$id/seg1.ts")->code, 403, 'an altered link: 403';
is post("/stream/$id/viewer-link/revoke", token_id => $tid)->code, 200, 'the link revoked';
is get("${LP}index.m3u8")->code, 403, 'a revoked link: 403';
is get("${LP}seg1.ts")->code, 403, '... on its segments too';

# ---- public: no link needed ----------------------------------------------------------
is post("/stream/$id/visibility", visibility => 'public')->code, 200, 'made public';
is get("$P/index.m3u8")->code, 200, 'a public S3 stream plays without a link';
is get("$P/seg1.ts")->code, 200, '... its segments too';

for my $sid ($id, $id2) { post('/stream/stop', id => $sid) }

done_testing();
