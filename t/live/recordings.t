# Recordings that always play (issue 9 section 3): ffmpeg pushes fMP4,
# several renditions (-var_stream_map and a master playlist) and audio
# only over HTTP PUT; at stop the recording keeps every tag playback needs
# and plays from start to end, and seeks, in ffmpeg and in headless
# Chromium (hls.js on the player page).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api);
use MB::Live qw(start_stream stop_stream ffmpeg_push playlist_uris live_dir
                play_in_chromium);

my ($engine, $port) = @{ (engines())[0] };
my $SECONDS = 4;

sub get { my $r = api(port => $port, path => $_[0]); ($r->code, $r->content) }

# ffprobe's duration and ffmpeg's decoded frames, whole and from the middle
sub ffmpeg_checks {
    my ($what, $url, %o) = @_;
    my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '$url' 2>&1`;
    chomp $dur;
    ok $dur =~ /^[\d.]+$/ && abs($dur - $SECONDS) < 0.6, "$what: ffprobe reads the whole recording ($dur s)";
    my $sel = $o{audio} ? 'a' : 'v';
    my ($all) = `ffprobe -v error -count_frames -select_streams $sel:0 -show_entries stream=nb_read_frames -of csv=p=0 '$url' 2>&1` =~ /(\d+)/;
    $all //= 0;
    my $want = $o{audio} ? $SECONDS * 48000 / 1024 : $SECONDS * 25;
    ok abs($all - $want) <= $want * 0.06, "$what: ffmpeg decodes every frame ($all of about " . int($want) . ')';
    # ffmpeg 5.1's HLS demuxer cannot seek in fMP4 playlists at all (not
    # even in a VOD playlist it wrote itself): there, only Chromium seeks
    return if $o{fmp4};
    my $half = `ffmpeg -nostdin -v error -ss 2 -i '$url' -map 0:$sel:0 -f null - -progress - 2>&1`;
    my $t = ($half =~ /out_time_us=(\d+)/g)[-1] // 0;
    ok $? == 0 && $half =~ /progress=end/ && $t > 0.5e6 && $t < ($SECONDS - 0.5) * 1e6,
        "$what: ffmpeg seeks into the recording and decodes to the end (" . $t / 1e6 . ' s after the seek)';
}

sub chromium_checks {
    my ($what, $id) = @_;
    my $p = play_in_chromium("http://127.0.0.1:$port/live/$id/", 30);
    diag "$what: Chromium " . join(' ', map { "$_=" . (ref $p->{$_} ? JSON::PP::encode_json($p->{$_}) : $p->{$_} // '') } qw(status duration ended seeks error));
    ok !defined $p->{error} && ($p->{status} // '') =~ /^playing vod\.m3u8/, "$what: Chromium plays the recording";
    ok abs(($p->{duration} // 0) - $SECONDS) < 0.6, "$what: ... its whole duration";
    my @s = @{ $p->{seeks} // [] };
    ok @s == 2 && $s[0]{at} >= $s[0]{to} - 0.1 && $s[1]{at} >= $s[1]{to} - 0.1,
        "$what: ... seeks to the middle and to the end";
    ok $p->{ended}, "$what: ... and plays to the end";
}

# ---- fMP4 ------------------------------------------------------------------
{
    my ($id, $H) = start_stream($port, 'fmp4');
    is ffmpeg_push($H, wait => 1, dir => live_dir($id), seconds => $SECONDS, args => ['-hls_segment_type', 'fmp4']), 0,
        'fMP4: ffmpeg pushed';
    is stop_stream($port, $id), 200, 'fMP4: stop';
    my ($st, $vod) = get("/live/$id/vod.m3u8");
    is $st, 200, 'fMP4: vod.m3u8';
    like $vod, qr/^#EXT-X-VERSION:6$/m, 'fMP4: EXT-X-VERSION 6 (EXT-X-MAP)';
    like $vod, qr/^#EXT-X-MAP:URI="init\.mp4"\n#EXTINF/m, 'fMP4: EXT-X-MAP before the first segment';
    my @segs = grep { /\.m4s$/ } playlist_uris($vod);
    opendir my $d, live_dir($id);
    my @files = sort { ($a =~ /(\d+)/)[0] <=> ($b =~ /(\d+)/)[0] } grep { /\.m4s$/ } readdir $d;
    is_deeply \@segs, \@files, 'fMP4: every uploaded segment, in order (' . scalar(@files) . ')';
    ffmpeg_checks('fMP4', "http://127.0.0.1:$port/live/$id/vod.m3u8", fmp4 => 1);
    chromium_checks('fMP4', $id);
}

# ---- several renditions: two video variants and an audio group --------------
{
    my ($id, $H) = start_stream($port, 'renditions');
    (my $url = $H->{playlist_url}) =~ s/index\.m3u8$/stream_%v.m3u8/;
    is ffmpeg_push($H, wait => 1, dir => live_dir($id), seconds => $SECONDS, url => $url,
                   map => ['-map', '0:v', '-map', '0:v', '-map', '1:a', '-s:v:1', '160x120',
                           '-b:v:0', '400k', '-b:v:1', '150k', '-b:a', '64k'],
                   args => ['-master_pl_name', 'master.m3u8', '-var_stream_map',
                            'v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud']), 0,
        'renditions: ffmpeg pushed three media playlists and a master';
    is stop_stream($port, $id), 200, 'renditions: stop';
    my ($st, $vod) = get("/live/$id/vod.m3u8");
    is $st, 200, 'renditions: vod.m3u8';
    like $vod, qr/^#EXT-X-STREAM-INF:.*RESOLUTION=320x240.*\nvod\.stream_0\.m3u8$/m,
        'renditions: the master recording names the first variant\'s recording';
    like $vod, qr/^#EXT-X-STREAM-INF:.*RESOLUTION=160x120.*\nvod\.stream_1\.m3u8$/m, '... the second';
    like $vod, qr/^#EXT-X-MEDIA:TYPE=AUDIO.*URI="vod\.stream_2\.m3u8"/m, '... and the audio rendition';
    unlike $vod, qr/^stream_\d\.m3u8$/m, '... and no live playlist';
    opendir my $d, live_dir($id);
    my @all = readdir $d;
    for my $v (0 .. 2) {
        my ($s2, $media) = get("/live/$id/vod.stream_$v.m3u8");
        my @files = sort { ($a =~ /(\d+)\.ts$/)[0] <=> ($b =~ /(\d+)\.ts$/)[0] }
                    grep { /^stream_$v\d+\.ts$/ } @all;
        is $s2, 200, "renditions: vod.stream_$v.m3u8";
        is_deeply [playlist_uris($media)], \@files,
            "renditions: stream_$v: its own segments only, all of them (" . scalar(@files) . ')';
    }
    ffmpeg_checks('renditions', "http://127.0.0.1:$port/live/$id/vod.m3u8");
    chromium_checks('renditions', $id);
}

# ---- audio only ----------------------------------------------------------------
{
    my ($id, $H) = start_stream($port, 'audio');
    is ffmpeg_push($H, wait => 1, dir => live_dir($id), seconds => $SECONDS, input => 'audio'), 0, 'audio: ffmpeg pushed';
    is stop_stream($port, $id), 200, 'audio: stop';
    my ($st, $vod) = get("/live/$id/vod.m3u8");
    is $st, 200, 'audio: vod.m3u8';
    opendir my $d, live_dir($id);
    my @files = sort { ($a =~ /(\d+)/)[0] <=> ($b =~ /(\d+)/)[0] } grep { /\.ts$/ } readdir $d;
    is_deeply [playlist_uris($vod)], \@files, 'audio: every segment (' . scalar(@files) . ')';
    ffmpeg_checks('audio', "http://127.0.0.1:$port/live/$id/vod.m3u8", audio => 1);
    chromium_checks('audio', $id);
}

done_testing();
