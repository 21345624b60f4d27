# A real non-browser player through viewer links (issue 12): mpv, headless
# (no video or audio output), plays a private stream under `Require
# broadcast-viewer` through a link: the live playlist and the recording,
# seeking into the recording (--start); without a link, with an altered
# and with a revoked link it refuses to play (the server answers 403).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
sub post { my ($path, %f) = @_; api(port => $port, method => 'POST', user => 'alice', path => $path, body => form(%f)) }

# mpv on a URL: (exit status, the position it started at or undef, output)
sub mpv {
    my ($url, @opt) = @_;
    my $out = `timeout 60 mpv --no-config --vo=null --ao=null --length=1 --term-status-msg= --term-playing-msg='MB-START \${=time-pos}' @opt '$url' 2>&1`;
    my $rc = $? >> 8;
    my ($pos) = $out =~ /^MB-START ([\d.]+)/m;
    return ($rc, $pos, $out);
}

my ($id, $H) = start_stream($port, 'viewer-mpv');
$H->{playlist_url} =~ s{/live/}{/live-private/};
is ffmpeg_push($H, seconds => 8, wait => 1, dir => live_dir($id),
               args => ['-hls_list_size', '0']), 0, 'ffmpeg pushed 8 s to /live-private';
is post("/local/$id/visibility", visibility => 'private')->code, 200, 'the stream is private';
my $r = post("/local/$id/viewer-link", lifetime => 600);
my ($token) = $r->{json}{url} =~ m{/t/([^/]+)/};
my $tid = $r->{json}{token_id};
my $link = "$base/live-private/t/$token/$id";

my ($rc, $pos, $out) = mpv("$link/index.m3u8");
is $rc, 0, 'mpv plays the live playlist through the link' or diag $out;
like $out, qr/Video --vid=1 \(h264/, '... it found the video (h264)';

is stop_stream($port, $id), 200, 'stop';
($rc, $pos, $out) = mpv("$link/vod.m3u8", '--start=5');
is $rc, 0, 'mpv plays the recording through the link' or diag $out;
ok defined $pos && $pos >= 4 && $pos < 7, 'mpv seeks into the recording (--start=5: at ' . ($pos // 'none') . ' s)'
    or diag $out;
like $out, qr/End of file/, '... and plays to the end of its second';

($rc, undef, $out) = mpv("$base/live-private/$id/vod.m3u8");
isnt $rc, 0, 'without a link mpv cannot play it';
like $out, qr/403/, '... the server said 403';
(my $altered = $token) =~ s/^(.{20})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
($rc, undef, $out) = mpv("$base/live-private/t/$altered/$id/vod.m3u8");
isnt $rc, 0, 'with an altered link neither';
is post("/local/$id/viewer-link/revoke", token_id => $tid)->code, 200, 'the link revoked';
($rc, undef, $out) = mpv("$link/vod.m3u8");
isnt $rc, 0, 'with the revoked link neither';
like $out, qr/403/, '... 403';

done_testing();
