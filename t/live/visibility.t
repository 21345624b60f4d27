# POST <api>/<id>/visibility (issue 12): the owner makes a stream private
# or public again, at any time, live or stopped; under `Require
# broadcast-viewer` (/live-private) the change holds from the next request
# on the playlist, a segment and the recording, a viewer link keeps
# working; bad values, other users, unknown ids, GET and cross-site POSTs
# get the API's errors.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream stop_stream ffmpeg_push playlist_uris live_dir);
use MB::Test qw(slurp);

my ($engine, $port) = @{ (engines())[0] };
sub get { api(port => $port, path => $_[0]) }
sub visibility {
    my ($id, $v, %o) = @_;
    return api(port => $port, method => 'POST', user => $o{user} // 'alice',
               path => "/local/$id/visibility", headers => $o{headers},
               body => defined $v ? form(visibility => $v) : '');
}

my ($id, $H) = start_stream($port, 'visibility');
$H->{playlist_url} =~ s{/live/}{/live-private/};
is ffmpeg_push($H, seconds => 4, wait => 1, dir => live_dir($id)), 0, 'ffmpeg pushed 4 s';
my @segs = map { s{.*/}{}r } glob(live_dir($id) . '/index*.ts');
ok @segs >= 2, 'segments stored';
my $seg = $segs[-1];
my @files = ('index.m3u8', $seg, '');
sub codes { join ' ', map { get("$_[0]$_")->code } @files }

is codes("/live-private/$id/"), '200 200 200', 'public: the playlist, a segment, the player page without a link';

# ---- the answer ---------------------------------------------------------
my $r = visibility($id, 'private');
is $r->code, 200, 'the owner makes it private' or diag $r->content;
is $r->{json}{stream}{id}, $id, 'the answer is the stream\'s detail';
is $r->{json}{stream}{visibility}, 'private', '... with visibility private';
ok $r->{json}{playback}{playlist_url}, '... and its playback URLs';
is api(port => $port, user => 'alice', path => "/local/$id")->{json}{stream}{visibility},
   'private', 'GET <id> says private';
is codes("/live-private/$id/"), '403 403 403', 'private: 403 without a link, at once';

my $L = api(port => $port, method => 'POST', user => 'alice', path => "/local/$id/viewer-link",
            body => form(lifetime => 600))->{json};
(my $lp = $L->{url}) =~ s{^http://[^/]+/live/}{/live-private/};
is codes($lp), '200 200 200', 'a viewer link plays it';

# ---- errors ---------------------------------------------------------------
for my $bad ('secret', 'PUBLIC', '', 'private ') {
    $r = visibility($id, $bad);
    is $r->code, 400, "visibility='$bad': 400";
    is $r->{json}{error}{code}, 'bad_parameter', '... with the API\'s error body';
}
is visibility($id, undef)->code, 400, 'no visibility: 400';
$r = visibility($id, 'public', user => 'bob');
is $r->code, 403, 'another user: 403';
is $r->{json}{error}{code}, 'forbidden', '... forbidden';
$r = visibility('00000000-0000-4000-8000-000000000000', 'public');
is $r->code, 404, 'an unknown stream: 404';
is $r->{json}{error}{code}, 'not_found', '... not_found';
is api(port => $port, user => 'alice', path => "/local/$id/visibility")->code, 405, 'GET: 405';
is api(port => $port, method => 'POST', path => "/local/$id/visibility",
       body => form(visibility => 'public'))->code, 401, 'nobody signed in: 401';
$r = visibility($id, 'public', headers => [Origin => 'http://evil.example',
                                           'Sec-Fetch-Site' => 'cross-site']);
is $r->code, 403, 'a cross-site POST is refused (CSRF guard)';
is codes("/live-private/$id/"), '403 403 403', 'none of these changed it';

# ---- public again, then the recording ---------------------------------------
is visibility($id, 'public')->{json}{stream}{visibility}, 'public', 'made public again';
is codes("/live-private/$id/"), '200 200 200', 'public: plays without a link again';
my $probe = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 'http://127.0.0.1:$port/live-private/$id/index.m3u8' 2>&1`;
like $probe, qr/h264/, 'ffprobe plays it without a link';

is stop_stream($port, $id), 200, 'stop';
is get("/live-private/$id/vod.m3u8")->code, 200, 'the recording of a public stream: no link needed';
$r = visibility($id, 'private');
is $r->code, 200, 'a stopped stream made private';
ok $r->{json}{stream}{stop_date}, '... the detail has its stop_date';
is get("/live-private/$id/vod.m3u8")->code, 403, 'the recording without a link: 403';
is get("/live-private/$id/$seg")->code, 403, '... its segments too';
is get("${lp}vod.m3u8")->code, 200, 'the recording through the link';
is visibility($id, 'public')->code, 200, 'public again';
is get("/live-private/$id/vod.m3u8")->code, 200, 'the recording plays without a link';

# on every engine (the SQL is the db layer's)
for my $e (engines()) {
    my ($en, $p) = @$e;
    my ($sid) = start_stream($p, "visibility-$en");
    my $res = api(port => $p, method => 'POST', user => 'alice', path => "/local/$sid/visibility",
                  body => form(visibility => 'private'));
    is $res->code, 200, "[$en] made private";
    is api(port => $p, user => 'alice', path => "/local/$sid")->{json}{stream}{visibility},
       'private', "[$en] read back";
    stop_stream($p, $sid);
}

my $log = slurp(Apache::Test::vars('t_logs') . '/error_log');
like $log, qr/MB3650: stream \Q$id\E made private by alice/, 'the change is logged';

done_testing();
