# Viewer links (issue 12) with real clients: the owner asks the API for a
# link, ffmpeg pushes a stream, curl and ffprobe play it through the link
# (every relative URI of the playlist keeps the token); an expired, an
# altered and another stream's link are the same 403; a link signed with
# the previous secret still works.  The test signs links itself with the
# suite's secrets (t/conf/viewer-secret*), in the documented format.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream stop_stream ffmpeg_push playlist_uris live_dir);
use MB::Test qw(slurp);
use MB::Watch qw(watch_request sql_rows wait_count quote);
use Digest::SHA qw(hmac_sha256);
use Time::HiRes ();
use MIME::Base64 qw(encode_base64url);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
sub secret { my $s = slurp("$ENV{MB_T_DIR}/conf/$_[0]"); $s =~ s/\s+$//; $s }
my ($SECRET, $OLD) = (secret('viewer-secret'), secret('viewer-secret-old'));

# a token as include/mb_viewer_token.h writes it
sub sign {
    my ($secret, $id, $expires, $tid, $issued) = @_;
    $tid //= pack 'C16', map { int rand 256 } 1 .. 16;
    $issued //= int(Time::HiRes::time() * 1e6);
    my $body = pack('Q>', $expires) . pack('Q>', $issued) . $tid;
    my $mac = hmac_sha256("mb-viewer-2\0$id\0$body", $secret);
    return encode_base64url($body . $mac);
}
sub get { my ($path) = @_; api(port => $port, path => $path) }
sub link_of {
    my ($id, %o) = @_;
    return api(port => $port, method => 'POST', user => $o{user} // 'alice',
               path => "/local/$id/viewer-link",
               body => form(map { defined $o{$_} ? ($_ => $o{$_}) : () } qw(lifetime label)));
}

my ($id, $H) = start_stream($port, 'viewer-links');
is ffmpeg_push($H, seconds => 4, wait => 1, dir => live_dir($id)), 0, 'ffmpeg pushed 4 s';

# ---- the API ----------------------------------------------------------
my $r = link_of($id, lifetime => 600, label => 'for the team');
is $r->code, 200, 'the owner gets a viewer link' or diag $r->content;
my $L = $r->{json};
like $L->{url}, qr{^\Q$base\E/live/t/[A-Za-z0-9_-]{86}/\Q$id\E/$}, 'url: /live/t/<token>/<id>/';
like $L->{token_id}, qr/^[0-9a-f]{32}$/, 'token_id: 32 hex digits';
like $L->{expires}, qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'expires: YYYY-MM-DD HH:MM:SS';
is $L->{label}, 'for the team', 'the label comes back';
my ($token) = $L->{url} =~ m{/t/([^/]+)/};
{
    require Time::Local;
    my @f = $L->{expires} =~ /(\d+)/g;
    my $t = Time::Local::timegm($f[5], $f[4], $f[3], $f[2], $f[1] - 1, $f[0]);
    ok abs($t - (time + 600)) < 120, 'expires is lifetime seconds from now';
    my $raw = MIME::Base64::decode_base64url($token);
    is unpack('Q>', substr($raw, 0, 8)), $t, 'the token carries that expiry';
    my $issued = unpack('Q>', substr($raw, 8, 8)) / 1e6;
    ok abs($issued - time) < 120, '... its issue time (microseconds)';
    is unpack('H*', substr($raw, 16, 16)), $L->{token_id}, '... and the token id';
}

is link_of($id, user => 'bob')->code, 403, 'another user gets no link';
$r = api(port => $port, method => 'POST', path => "/local/$id/viewer-link");
is $r->code, 401, 'no user: 401';
for my $bad ('abc', '0', '-5', '99999999999') {
    $r = link_of($id, lifetime => $bad);
    is $r->code, 400, "lifetime=$bad: 400";
    is $r->{json}{error}{code}, 'bad_parameter', '... with the API\'s error body';
}
is link_of($id, label => 'x' x 256)->code, 400, 'a label over 255 bytes: 400';
is api(port => $port, user => 'alice', path => "/local/$id/viewer-link")->code, 405, 'GET: 405';
is link_of('00000000-0000-4000-8000-000000000000')->code, 404, 'no such stream: 404';
$r = link_of($id);
is $r->code, 200, 'lifetime is optional';

# ---- playing through the link -------------------------------------------
my $pl = get("/live/t/$token/$id/index.m3u8");
is $pl->code, 200, 'the playlist through the link';
my @uris = playlist_uris($pl->content);
ok @uris >= 1, 'it lists segments';
my $seg = get("/live/t/$token/$id/$uris[-1]");
is $seg->code, 200, 'a segment by its relative URI keeps the token';
is get("/live/t/$token/$id/")->code, 200, 'the player page through the link';
my $probe = `timeout 20 ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '$base/live/t/$token/$id/index.m3u8' 2>&1`;
like $probe, qr/h264/, 'ffprobe plays the stream through the link';

# ---- refused links: one answer for all ------------------------------------
my ($id2) = start_stream($port, 'viewer-other');
my $other = link_of($id2, lifetime => 600)->{json}{url} =~ m{/t/([^/]+)/} && $1;
(my $altered = $token) =~ s/^(.{20})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
my %bad = (
    'an expired link'          => sign($SECRET, $id, time - 1),
    'an altered link'          => $altered,
    'another stream\'s link'   => $other,
    'a link of unknown secret' => sign('not-the-secret-of-this-server', $id, time + 600),
    'a cut link'               => substr($token, 0, 85),
);
my %bodies;
for my $what (sort keys %bad) {
    for my $file ('index.m3u8', $uris[-1], '') {
        my $res = get("/live/t/$bad{$what}/$id/$file");
        is $res->code, 403, "$what: 403 on " . ($file || 'the player page');
        $bodies{$res->content}++;
    }
}
is scalar(keys %bodies), 1, 'every refusal has the same body (no oracle)';
like((keys %bodies)[0], qr/"code":"forbidden"/, '... the JSON error body');
is get("/live/t/" . sign($SECRET, $id, time + 600) . "/$id/index.m3u8")->code, 200,
   'a link signed here in the documented format plays';
is get("/live/t/" . sign($OLD, $id, time + 600) . "/$id/index.m3u8")->code, 200,
   'a link signed with the previous secret still plays (rotation)';
is get("/live/$id/index.m3u8")->code, 200, 'a public stream still plays without a link';

# ---- revocation: refused at once, on every server of the database -------
sub revoke {
    my ($p, $sid, $tid, %o) = @_;
    return api(port => $p, method => 'POST', user => $o{user} // 'alice',
               path => "/local/$sid/viewer-link/revoke", body => form(token_id => $tid));
}
$r = link_of($id, lifetime => 600);
my ($rtok) = $r->{json}{url} =~ m{/t/([^/]+)/};
my $rtid = $r->{json}{token_id};
is get("/live/t/$rtok/$id/index.m3u8")->code, 200, 'a second link plays';
is revoke($port, $id, $rtid, user => 'bob')->code, 403, 'another user cannot revoke it';
is get("/live/t/$rtok/$id/index.m3u8")->code, 200, '... it still plays';
$r = revoke($port, $id, $rtid);
is $r->code, 200, 'the owner revokes it';
ok $r->{json}{revoked} && $r->{json}{token_id} eq $rtid, '{"token_id", "revoked": true}';
my $rres = get("/live/t/$rtok/$id/index.m3u8");
is $rres->code, 403, 'a revoked link is refused at once';
is $rres->content, (keys %bodies)[0], '... with the same answer as any bad link';
is get("/live/t/$rtok/$id/$uris[-1]")->code, 403, '... on its segments too';
is get("/live/t/$token/$id/index.m3u8")->code, 200, 'the stream\'s other links still play';
is revoke($port, $id, $rtid)->code, 200, 'revoking twice is no error';
for my $bad ('', 'xyz', 'A' x 32, $rtid . '0') {
    $r = revoke($port, $id, $bad);
    is $r->code, 400, "token_id '$bad': 400";
}
is api(port => $port, method => 'POST', user => 'alice', path => "/local/$id/viewer-link/revoke")->code,
   400, 'no token_id: 400';
for my $e (engines()) {
    my ($en, $p) = @$e;
    my ($sid) = start_stream($p, "revoke-$en");
    my $l = api(port => $p, method => 'POST', user => 'alice', path => "/local/$sid/viewer-link")->{json};
    (my $lp = $l->{url}) =~ s{^http://[^/]+}{};
    is api(port => $p, path => "${lp}index.m3u8")->code, 404, "[$en] a link to a stream without files yet: 404";
    is revoke($p, $sid, $l->{token_id})->code, 200, "[$en] revoked";
    is api(port => $p, path => "${lp}index.m3u8")->code, 403, "[$en] then refused";
    stop_stream($p, $sid);
}

# the watch log names the link a file was served through, never the token
for my $engine ('sqlite', 'pgsql') {
    my $tag = "mb-test/viewer-$engine-$$-" . time;
    is watch_request($engine, "/live/t/$token/$id/index.m3u8", 'User-Agent' => "$tag link")->code,
       200, "[$engine] the watch log's server plays the link";
    is watch_request($engine, "/live/$id/index.m3u8", 'User-Agent' => "$tag plain")->code,
       200, "[$engine] ... and the stream without it";
    is wait_count($engine, 'user_agent LIKE ' . quote("$tag%"), 2), 2, "[$engine] two rows";
    my %row = map { $_->[0] => [ @$_[1, 2] ] }
        sql_rows($engine, 'SELECT user_agent, token_id, path FROM watch_log WHERE user_agent LIKE '
                          . quote("$tag%"));
    is $row{"$tag link"}[0], $L->{token_id}, "[$engine] the row of the link has its token_id";
    ok index($row{"$tag link"}[1], $token) < 0, "[$engine] ... and its path no token";
    is $row{"$tag plain"}[0], undef, "[$engine] a request without a link has none";
}

is stop_stream($port, $id), 200, 'stop';
is get("/live/t/$token/$id/vod.m3u8")->code, 200, 'the recording through the link';
is get("/live/t/$bad{'an expired link'}/$id/vod.m3u8")->code, 403, '... not through an expired one';

my $log = slurp(Apache::Test::vars('t_logs') . '/error_log');
like $log, qr/MB3301: a viewer link to stream \Q$id\E refused/, 'refusals are logged';
ok index($log, $token) < 0 && index($log, $altered) < 0, 'the error log holds no token';
ok index($log, $SECRET) < 0 && index($log, $OLD) < 0, '... nor a viewer secret';
like $log, qr/MB3304: viewer link $L->{token_id} to stream \Q$id\E/, 'a link made is logged by its id';
stop_stream($port, $id2);

done_testing();
