# Self-hosted live broadcasting end to end, with real clients: the API
# starts a stream, ffmpeg pushes a generated test pattern as HLS over HTTP
# PUT, ffprobe reads the live playlist through Apache, stop writes
# vod.m3u8 and ffprobe reads it whole; headless Chromium plays the
# player page (hls.js served locally) and its video element advances.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form note_secret);
use MB::Live qw(settle);

my ($engine, $port) = @{ (engines())[0] };   # SQLite: the embedded default
my $LIVE = "$ENV{MB_T_DIR}/data/live";

my $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/start',
            query => 'type=hls&name=e2e');
is $r->code, 200, 'start a local stream';
my $id = $r->{json}{stream}{id};
my $H = $r->{json}{endpoint}{HTTP};
note_secret($H->{upload_token});

# ffmpeg's HLS muxer with -method PUT, as a broadcaster would run it
my $log = "$ENV{MB_T_DIR}/state/ffmpeg-$id.log";
my $pid = fork // die "fork: $!";
if ($pid == 0) {
    open STDOUT, '>', $log; open STDERR, '>&', \*STDOUT;
    exec 'ffmpeg', '-nostdin', '-v', 'warning', '-re',
         '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
         '-f', 'lavfi', '-i', 'sine=frequency=440',
         '-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
         '-g', '25', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '3',
         '-method', 'PUT', '-headers', "Authorization: Bearer $H->{upload_token}\r\n",
         $H->{playlist_url};
    exit 127;
}

# while it is live: ffprobe reads the live playlist through Apache
sleep 3;
my $live = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '$H->{playlist_url}' 2>&1`;
like $live, qr/h264/, 'ffprobe reads the live playlist while ffmpeg pushes';
like $live, qr/aac/, '... video and audio';

waitpid $pid, 0;
is $? >> 8, 0, 'ffmpeg pushed 6 s over HTTP PUT without error'
    or diag `cat $log`;
# ffmpeg does not wait for the answers to its PUTs: let Apache finish them
settle("$LIVE/$id");
my @segs = glob "$LIVE/$id/index*.ts";
ok @segs >= 5, 'segments stored (' . scalar(@segs) . ')';
opendir my $d, "$LIVE/$id"; my @tmp = grep { /^\.upload-/ } readdir $d;
is_deeply \@tmp, [], 'no temporary upload left';

$r = api(port => $port, method => 'POST', user => 'alice', path => '/local/stop',
         body => form(id => $id));
is $r->code, 200, 'stop';

# the recording plays from start to end
my $vod = "http://127.0.0.1:$port/live/$id/vod.m3u8";
my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '$vod' 2>&1`;
chomp $dur;
like $dur, qr/^\d+(\.\d+)?$/, "ffprobe reads vod.m3u8 ($dur)";
ok abs($dur - 6.0) < 0.6, 'vod.m3u8: the whole 6 s broadcast';
my ($frames) = `ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 '$vod' 2>&1` =~ /(\d+)/;
$frames //= 0;
ok $frames >= 140 && $frames <= 160, "vod.m3u8: every frame decodes ($frames of 150)";

# a person's browser: the player page, hls.js from this server
my $page = "http://127.0.0.1:$port/live/$id/";
my $html = api(port => $port, path => "/live/$id/")->content;
like $html, qr{<script src="/broadcast-assets/hls\.min\.js"></script>}, 'player page uses the local hls.js';
unlike $html, qr{https?://(?!127\.0\.0\.1)}, 'player page loads nothing from another host';
is api(port => $port, path => '/broadcast-assets/hls.min.js')->code, 200, 'hls.js is served locally';

my $out = `node --experimental-websocket t/lib/play-in-chromium.js '$page' 25 2>/dev/null`;
my ($times) = $out =~ /"times":\[([^\]]*)\]/;
my @t = split /,/, $times // '';
my ($status) = $out =~ /"status":"([^"]*)"/;
diag "player: status '" . ($status // '') . "', currentTime readings: @t";
ok @t >= 2 && $t[-1] > 0, 'Chromium plays the stream in the player page'
    or diag $out;
ok @t >= 2 && $t[-1] > 1.0 && $t[-1] > $t[0], 'the video element advances (currentTime grows)';
like $status // '', qr/^playing vod\.m3u8 at/, 'the page says it is playing';

done_testing();
