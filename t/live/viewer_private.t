# Private streams (issue 12): visibility at start, shown in detail and list;
# under `Require broadcast-viewer` a private stream is 403 without a link on
# its playlist, a segment, the player page and the recording, and plays
# through a viewer link in ffprobe and in headless Chromium (hls.js); its
# owner watches signed in; a public stream plays without a link.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form note_secret);
use MB::Live qw(start_stream ffmpeg_push playlist_uris live_dir);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
sub get { my ($path, %o) = @_; api(port => $port, path => $path, %o) }
sub start_at {
    my ($loc, %p) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice',
                path => "/$loc/start", body => form(%p));
    note_secret($r->{json}{endpoint}{HTTP}{upload_token}) if $r->code == 200;
    return $r;
}
sub detail { api(port => $port, user => 'alice', path => "/local/$_[0]")->{json}{stream} }

# ---- visibility at start ----------------------------------------------
my $r = start_at('private', name => 'private-default');
is $r->code, 200, 'start under BroadcastDefaultVisibility private';
my ($id, $H) = ($r->{json}{stream}{id}, $r->{json}{endpoint}{HTTP});
is detail($id)->{visibility}, 'private', 'the default makes it private (detail)';
like $H->{upload_url}, qr{/live-private/\Q$id\E/$}, 'uploads go to /live-private';
my ($pub) = start_stream($port, 'public-default');
is detail($pub)->{visibility}, 'public', 'BroadcastDefaultVisibility is public by default';
$r = start_at('local', name => 'asked-private', visibility => 'private');
is detail($r->{json}{stream}{id})->{visibility}, 'private', 'visibility=private at start';
my $asked = $r->{json}{stream}{id};
$r = start_at('private', name => 'asked-public', visibility => 'public');
is detail($r->{json}{stream}{id})->{visibility}, 'public', 'visibility=public overrides the default';
$r = start_at('local', visibility => 'secret');
is $r->code, 400, 'visibility=secret: 400';
is $r->{json}{error}{code}, 'bad_parameter', '... with the API\'s error body';
my %listed = map { $_->{id} => $_->{visibility} }
    @{ api(port => $port, user => 'alice', path => '/local/', query => 'limit=100')->{json}{streams} };
is $listed{$id}, 'private', 'the list shows a private stream as such';
is $listed{$pub}, 'public', '... and a public one';

# ---- a private stream, pushed through Require broadcast-viewer -----------
is ffmpeg_push($H, seconds => 4, wait => 1, dir => live_dir($id)), 0,
   'ffmpeg pushes to the private location (Require method PUT)';
my @segs = glob(live_dir($id) . '/index*.ts');
ok @segs >= 3, 'segments stored (' . scalar(@segs) . ')';
(my $seg = $segs[-1]) =~ s{.*/}{};

is get("/live-private/$id/index.m3u8")->code, 403, 'no link: the playlist is 403';
is get("/live-private/$id/$seg")->code, 403, 'no link: a segment is 403';
is get("/live-private/$id/")->code, 403, 'no link: the player page is 403';
is get("/live-private/$asked/index.m3u8")->code, 403, 'another private stream: 403 too';

$r = api(port => $port, method => 'POST', user => 'alice', path => "/private/$id/viewer-link",
         body => form(lifetime => 900));
is $r->code, 200, 'the owner gets a link';
my $url = $r->{json}{url};
like $url, qr{^\Q$base\E/live-private/t/[A-Za-z0-9_-]{86}/\Q$id\E/$}, '... under /live-private';
(my $path = $url) =~ s{^\Q$base\E}{};
my $pl = get("${path}index.m3u8");
is $pl->code, 200, 'with the link: the playlist';
my @uris = playlist_uris($pl->content);
is get("$path$uris[-1]")->code, 200, 'with the link: a segment by its relative URI';
is get($path)->code, 200, 'with the link: the player page';
my $probe = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '${url}index.m3u8' 2>&1`;
like $probe, qr/h264/, 'ffprobe plays the private stream through the link';

my $other = api(port => $port, method => 'POST', user => 'alice', path => "/local/$asked/viewer-link")
    ->{json}{url} =~ m{/t/([^/]+)/} && $1;
is get("/live-private/t/$other/$id/index.m3u8")->code, 403, 'another stream\'s link: 403';
(my $altered = $path) =~ s{/t/(.{30})(.)}{"/t/$1" . ($2 eq 'x' ? 'y' : 'x')}e;
is get("${altered}index.m3u8")->code, 403, 'an altered link: 403';

# the owner, signed in, needs no link; others do
is get("/live-private-auth/$id/index.m3u8", user => 'alice')->code, 200, 'the owner watches signed in';
is get("/live-private-auth/$id/index.m3u8", user => 'bob')->code, 403, 'another user: 403';
is get("/live-private-auth/$id/index.m3u8")->code, 401, 'nobody signed in: 401 (the owner may sign in)';

# a public stream under the same Require: anyone
my ($pid2, $PH) = start_stream($port, 'public-under-require');
$PH->{playlist_url} =~ s{/live/}{/live-private/};
is ffmpeg_push($PH, seconds => 2, wait => 1, dir => live_dir($pid2)), 0, 'a public stream pushed there';
is get("/live-private/$pid2/index.m3u8")->code, 200, 'a public stream plays without a link';

# ---- after stop: the recording ------------------------------------------
is api(port => $port, method => 'POST', user => 'alice', path => '/private/stop',
       body => form(id => $id))->code, 200, 'stop';
is get("/live-private/$id/vod.m3u8")->code, 403, 'no link: the recording is 403';
is get("${path}vod.m3u8")->code, 200, 'with the link: the recording';
my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '${url}vod.m3u8' 2>&1`;
chomp $dur;
ok $dur =~ /^[\d.]+$/ && $dur > 3, "ffprobe reads the whole recording through the link ($dur s)";

# a person's browser: the player page through the link, hls.js
my $out = `node --experimental-websocket t/lib/play-in-chromium.js '$url' 25 2>/dev/null`;
my ($times) = $out =~ /"times":\[([^\]]*)\]/;
my @t = split /,/, $times // '';
my ($status) = $out =~ /"status":"([^"]*)"/;
ok @t >= 2 && $t[-1] > 1.0 && $t[-1] > $t[0], 'Chromium plays the private stream through the link'
    or diag $out;
like $status // '', qr/^playing vod\.m3u8 at/, 'the page says it is playing';

done_testing();
