# Signed links for video on demand (issue 12) with real clients: links
# minted by tools/mb-link from the suite's secret (t/conf/video-secret*)
# open /signed/s/<token>/<file> (t/conf/extra.conf.in: Require
# broadcast-signed): curl with ranges, HEAD, 304, ffprobe of an HLS VOD
# folder whose relative segment URIs keep the token; expired, altered,
# another path's, '..' and '/a/b' for '/a/bc' are the same 403, logged
# once without the token; the watch log records the path without the
# token.  A viewer link minted by the tool plays a live stream (ffprobe).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(base_url slurp error_log_mark error_log_since);
use MB::API qw(engines);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);
use MB::Watch qw(watch_request sql_rows wait_count quote);

my $BASE = base_url();
my $T    = $ENV{MB_T_DIR};
my $TOOL = 'build/mb-link';
my $DATA = "$T/data/videos";
my $SECRET = "file:$T/conf/video-secret";

# mb-link's output (the URL, or with --json its object)
sub mint {
    my (@args) = @_;
    my $out = `$TOOL @args 2>&1`;
    my $rc  = $? >> 8;
    chomp $out;
    return wantarray ? ($out, $rc) : $out;
}
sub video_link {
    my ($prefix, @more) = @_;
    my ($loc) = $prefix =~ m{^(/[^/]+)};
    return mint('video', '--secret', $SECRET, '--base', "$BASE$loc", '--prefix', $prefix, @more);
}
# curl: (status, headers, body)
sub curl {
    my ($url, @opts) = @_;
    my $h = "/tmp/mb-signed-h.$$";
    my $body = `curl -s --path-as-is -D $h @opts '$url'`;
    my $head = slurp($h) // '';
    unlink $h;
    my ($code) = $head =~ m{^HTTP/\S+ (\d+)}m;
    return ($code // 0, $head, $body);
}
sub code { (curl(@_))[0] }
sub header { my ($head, $name) = @_; $head =~ /^\Q$name\E:\s*(.*?)\r?$/mi ? $1 : undef }

# ---- the tool -----------------------------------------------------------
like scalar(mint('--help')), qr/SYNOPSIS.*mb-link video.*mb-link viewer/s, 'mb-link --help is a manual';
my ($o, $rc) = mint(qw(video --secret literal-secret-1234567 --base http://h/signed --prefix /signed/a));
is $rc, 2, 'a literal secret is refused (exit 2)';
unlike $o, qr/literal-secret/, '... and not repeated';
(undef, $rc) = mint('video', '--secret', $SECRET, '--base', "$BASE/signed", '--prefix', '/videos/a.mp4');
is $rc, 2, 'a prefix outside the base is refused';
(undef, $rc) = mint('video', '--secret', $SECRET, '--base', "$BASE/signed", '--prefix', '/signed/../etc/');
is $rc, 2, "a prefix with '..' is refused";

my $json = video_link('/signed/talk/', '--lifetime', 600, '--json');
my ($url)  = $json =~ /"url":"([^"]+)"/;
my ($tid)  = $json =~ /"token_id":"([0-9a-f]{16})"/;
my ($exp)  = $json =~ /"expires":(\d+)/;
like $url, qr{^\Q$BASE\E/signed/s/[A-Za-z0-9_-]{67}/talk/$}, 'a folder link: <base>/s/<token>/talk/';
ok $tid && abs($exp - time - 600) < 60, 'its id and expiry (lifetime from now)';
my ($tok) = $url =~ m{/s/([^/]+)/};

# ---- through the link, as without it ------------------------------------
my ($c, $head, $body) = curl("${url}index.m3u8");
is $c, 200, 'the playlist through the folder link';
is $body, slurp("$DATA/talk/index.m3u8"), '... byte for byte';
like header($head, 'Content-Type'), qr{mpegurl}, '... as an HLS playlist';
my @segs = grep { length && !/^#/ } split /\n/, $body;
ok @segs >= 2 && !grep(m{/}, @segs), 'its segment URIs are relative: '. scalar(@segs);

my $probe = `timeout 30 ffprobe -v error -show_entries format=duration -show_entries stream=codec_name -of csv=p=0 '${url}index.m3u8' 2>&1`;
like $probe, qr/h264/, 'ffprobe plays the HLS folder through the link (segments keep the token)';
like $probe, qr/^\s*[34]\.\d+/m, '... all of it (about 4 s)';

my $seg  = "$DATA/talk/seg1.ts";
my $size = -s $seg;
($c, $head, $body) = curl("${url}seg1.ts", '-H', "'Range: bytes=100-20099'");
is $c, 206, 'a range of a segment through the link';
is header($head, 'Content-Range'), "bytes 100-20099/$size", '... its Content-Range';
is $body, substr(slurp($seg), 100, 20000), '... the right bytes';
my ($c2, $head2) = curl("$BASE/videos/talk/seg1.ts");
is header($head, 'ETag'), header($head2, 'ETag'), '... the ETag of the file without a link';
($c, $head) = curl("${url}seg1.ts", '-H', "'If-None-Match: " . header($head2, 'ETag') . "'");
is $c, 304, 'If-None-Match through the link: 304';
($c, $head, $body) = curl("${url}seg1.ts", '-I');
is $c, 200, 'HEAD through the link';
is header($head, 'Content-Length'), $size, '... with the length';
is $body, $head, '... and no body (curl -I prints only the header)';
is code("${url}sub/../seg1.ts"), 200, "a '..' that stays inside the folder is the file inside it";

# ---- refused: the same 403 for every kind of bad link --------------------
my %bad;
$bad{'no link'} = "$BASE/signed/talk/seg1.ts";
{
    my $t = $tok;
    substr($t, 20, 1) = substr($t, 20, 1) eq 'A' ? 'B' : 'A';
    $bad{'an altered token'} = "$BASE/signed/s/$t/talk/seg1.ts";
}
$bad{'an expired link'} = video_link('/signed/talk/', '--expires', time - 1) . 'seg1.ts';
$bad{'another folder'} = "$BASE/signed/s/$tok/movies/a.mp4";
$bad{'a sibling starting like the folder'} = "$BASE/signed/s/$tok/talks/seg0.ts";
$bad{'a file above the folder'} = "$BASE/signed/s/$tok/sample.mp4";
$bad{"'..' out of the folder"} = "$BASE/signed/s/$tok/talk/../sample.mp4";
$bad{"'%2e%2e' out of the folder"} = "$BASE/signed/s/$tok/talk/%2e%2e/sample.mp4";
$bad{'a link signed with another secret'} =
    mint('video', '--secret', "file:$T/conf/viewer-secret", '--base', "$BASE/signed",
         '--prefix', '/signed/talk/') . 'seg1.ts';
my %bodies;
for my $what (sort keys %bad) {
    my ($code, undef, $b) = curl($bad{$what});
    is $code, 403, "$what: 403";
    $bodies{$b}++;
}
is scalar(keys %bodies), 1, 'the same answer for all of them (no oracle)';

my $file = video_link('/signed/talk/seg0.ts');
is code($file), 200, 'a file link opens its file';
(my $f2 = $file) =~ s{/seg0\.ts$}{/seg0.tsx};
is code($f2), 403, "... not '/a/b' + 'x'";
(my $f3 = $file) =~ s{/seg0\.ts$}{/seg1.ts};
is code($f3), 403, '... nor its neighbour';
is code(mint('video', '--secret', "file:$T/conf/video-secret-old", '--base', "$BASE/signed",
             '--prefix', '/signed/talk/') . 'seg0.ts'), 200,
   'a link signed with the previous secret still opens (rotation)';
is code("$BASE/videos/s/$tok/talk/seg1.ts"), 404,
   'a location without BroadcastVideoSecret takes no link out of the path';

# logged once, at info, with the link's id, never the token or the secret
{
    my $t = $tok;
    substr($t, 30, 1) = substr($t, 30, 1) eq 'A' ? 'B' : 'A';
    my $mark = error_log_mark();
    is code("$BASE/signed/s/$t/talk/seg1.ts"), 403, 'an altered link';
    select undef, undef, undef, 0.3;
    my $log = error_log_since($mark);
    my @lines = grep /MB3601/, split /\n/, $log;
    is scalar(@lines), 1, '... is logged once (MB3601)';
    like $lines[0] // '', qr/:info\].*signed link $tid refused/, '... at info, with its id';
    my $secret = slurp("$T/conf/video-secret");
    $secret =~ s/\s+$//;
    ok index($log, $t) < 0 && index($log, $secret) < 0, '... never the token nor the secret';
}

# composes with other Require lines
{
    my $l = video_link('/signed-or-alice/talk/');
    is code("${l}seg0.ts"), 200, '<RequireAny>: a link';
    is code("$BASE/signed-or-alice/talk/seg0.ts", '-u', 'alice:alice-pw'), 200, '... or alice';
    is code("$BASE/signed-or-alice/talk/seg0.ts"), 401, '... or else a challenge';
}

# the watch log: the path without the token, the link's id
for my $engine ('sqlite', 'pgsql') {
    my $tag = "mb-test/signed-$engine-$$-" . time;
    is watch_request($engine, "/signed/s/$tok/talk/seg0.ts", 'User-Agent' => $tag)->code, 200,
       "[$engine] the watch log's server takes the link";
    is wait_count($engine, 'user_agent = ' . quote($tag), 1), 1, "[$engine] one row";
    my ($row) = sql_rows($engine, 'SELECT path, token_id FROM watch_log WHERE user_agent = ' . quote($tag));
    is $row->[0], 'talk/seg0.ts', "[$engine] its path below the folder, without the token";
    is $row->[1], $tid, "[$engine] the link's id";
}

# ---- a viewer link minted by the tool plays a live stream ----------------
{
    my ($engine, $port) = @{ (engines())[0] };
    my $live = "http://127.0.0.1:$port/live";
    my ($id, $H) = start_stream($port, 'mb-link viewer');
    is ffmpeg_push($H, seconds => 4, wait => 1, dir => live_dir($id)), 0, 'ffmpeg pushed 4 s';
    my $vl = mint('viewer', '--secret', "file:$T/conf/viewer-secret", '--base', $live,
                  '--stream', $id, '--lifetime', 600);
    like $vl, qr{^\Q$live\E/t/[A-Za-z0-9_-]{86}/\Q$id\E/$}, 'mb-link viewer: <base>/t/<token>/<id>/';
    my $p = `timeout 30 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '${vl}index.m3u8' 2>&1`;
    like $p, qr/h264/, 'ffprobe plays the live stream through it';
    my $vx = mint('viewer', '--secret', "file:$T/conf/viewer-secret", '--base', $live,
                  '--stream', $id, '--expires', time - 1);
    is code("${vx}index.m3u8"), 403, 'an expired one is refused';
    my $vo = mint('viewer', '--secret', "file:$T/conf/video-secret", '--base', $live,
                  '--stream', $id);
    is code("${vo}index.m3u8"), 403, 'one signed with another secret is refused';
    is stop_stream($port, $id), 200, 'stop';
}

done_testing();
