# Revoking viewer links (issue 12): all the links of a stream at once
# (POST <api>/<id>/viewer-link/revoke all=1: every link issued up to then is
# refused, links issued after work), on both engines; the per-process
# revocation cache (BroadcastViewerRevocationCache 2 under /live-cached):
# a revoked link may still play within the window, is refused after it;
# the database down: fail closed (503, the JSON error body), with or without
# the cache, and links play again once it is back.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Time::HiRes qw(time sleep);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);
use MB::Test qw(slurp error_log_mark error_log_since);
use Digest::SHA qw(hmac_sha256);
use MIME::Base64 qw(encode_base64url);

my @E = engines();
my ($engine, $port) = @{ $E[0] };
sub secret { my $s = slurp("$ENV{MB_T_DIR}/conf/$_[0]"); $s =~ s/\s+$//; $s }
my $SECRET = secret('viewer-secret');

# a token as include/mb_viewer_token.h writes it, issued at $issued (us)
sub sign {
    my ($id, $issued) = @_;
    my $body = pack('Q>', int(time) + 600) . pack('Q>', $issued)
        . pack('C16', map { int rand 256 } 1 .. 16);
    return encode_base64url($body . hmac_sha256("mb-viewer-2\0$id\0$body", $SECRET));
}
sub link_path {
    my ($p, $id, $loc) = @_;
    my $r = api(port => $p, method => 'POST', user => 'alice', path => "/local/$id/viewer-link",
                body => form(lifetime => 600));
    die 'viewer-link: ' . $r->code unless $r->code == 200;
    (my $path = $r->{json}{url}) =~ s{^http://[^/]+/live/}{/$loc/};
    return ("${path}index.m3u8", $r->{json}{token_id});
}
sub code { api(port => $_[0], path => $_[1])->code }
sub revoke {
    my ($p, $id, %f) = @_;
    return api(port => $p, method => 'POST', user => $f{user} // 'alice',
               path => "/local/$id/viewer-link/revoke",
               body => form(map { $_ => $f{$_} } grep { $_ ne 'user' } sort keys %f));
}

# ---- revoke all ---------------------------------------------------------
for my $e (@E) {
    my ($en, $p) = @$e;
    my ($id, $H) = start_stream($p, "revoke-all-$en");
    is ffmpeg_push($H, seconds => 2, wait => 1, dir => live_dir($id)), 0, "[$en] pushed";
    my @before = map { (link_path($p, $id, 'live'))[0] } 1 .. 2;
    is join(' ', map { code($p, $_) } @before), '200 200', "[$en] two links play";
    my $r = revoke($p, $id, all => 1);
    is $r->code, 200, "[$en] the owner revokes all the links" or diag $r->content;
    ok $r->{json}{all} && $r->{json}{revoked}, "[$en] {\"all\": true, \"revoked\": true}";
    like $r->{json}{revoked_at}, qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, "[$en] ... and revoked_at";
    is join(' ', map { code($p, $_) } @before), '403 403', "[$en] both are refused";
    my ($after) = link_path($p, $id, 'live');
    is code($p, $after), 200, "[$en] a link issued after plays";
    # the issue time decides, in the token (signed): one microsecond counts
    my $t = int(time * 1e6);
    is code($p, "/live/t/" . sign($id, $t - 60e6) . "/$id/index.m3u8"), 403,
       "[$en] a token issued a minute before: refused";
    is code($p, "/live/t/" . sign($id, $t + 60e6) . "/$id/index.m3u8"), 200,
       "[$en] a token issued a minute later (another node's clock): plays";
    # again: the later time holds
    is revoke($p, $id, all => 1)->code, 200, "[$en] revoke all again";
    is code($p, $after), 403, "[$en] the link issued between the two is refused now";
    my ($third) = link_path($p, $id, 'live');
    is code($p, $third), 200, "[$en] a link issued after the second plays";
    is stop_stream($p, $id), 200, "[$en] stop";
    is code($p, $third =~ s/index\.m3u8$/vod.m3u8/r), 200, "[$en] it plays the recording";
    is code($p, $before[0] =~ s/index\.m3u8$/vod.m3u8/r), 403, "[$en] a revoked one does not";
}

my ($id) = start_stream($port, 'revoke-errors');
my ($tid) = (link_path($port, $id, 'live'))[1];
for my $c ([[all => 2], 400, 'all=2'], [[all => 'yes'], 400, 'all=yes'],
           [[all => 1, token_id => $tid], 400, 'all=1 with a token_id'],
           [[all => 1, user => 'bob'], 403, 'another user'],
           [[all => 0], 400, 'all=0 and no token_id']) {
    my $r = revoke($port, $id, @{ $c->[0] });
    is $r->code, $c->[1], "$c->[2]: $c->[1]";
    ok $r->{json}{error}{code}, '... with the API\'s error body';
}
is revoke($port, '00000000-0000-4000-8000-000000000000', all => 1)->code, 404, 'an unknown stream: 404';
is revoke($port, $id, all => 0, token_id => $tid)->code, 200, 'all=0 with a token_id revokes that link';

# ---- the revocation cache (BroadcastViewerRevocationCache 2) -------------
my ($cid, $CH) = start_stream($port, 'revoke-cache');
is ffmpeg_push($CH, seconds => 2, wait => 1, dir => live_dir($cid)), 0, 'pushed';
# Within the window the process that read the link reuses what it read: a
# revoked link still plays.  The test's client keeps its connection (one
# process); the attempt counts only when the two requests were less than a
# second apart, and a few attempts allow for a loaded machine.
my ($within, $tries) = (0, 0);
while (!$within && $tries++ < 5) {
    my ($path, $ltid) = link_path($port, $cid, 'live-cached');
    my $t0 = time;
    my $first = code($port, $path);
    revoke($port, $cid, token_id => $ltid);
    my $second = code($port, $path);
    next unless time - $t0 < 1.0 && $first == 200;
    $within = $second == 200 ? 1 : -1;
    # after the window: refused, by every process, within a generous bound
    my $t1 = time;
    my $refused = 0;
    while (time - $t1 < 30) {
        my @c = map { code($port, $path) } 1 .. 4;
        if (!grep { $_ != 403 } @c) { $refused = 1; last }
        sleep 0.25;
    }
    ok $refused, 'after the window, the revoked link is refused';
    ok time - $t1 < 2 + 8, sprintf('... within the window and a margin (%.1f s)', time - $t1);
    is code($port, $path =~ s{/live-cached/}{/live/}r), 403, 'where nothing is cached: refused at once';
}
is $within, 1, "within the window a revoked link may still play (the cache works; $tries attempt(s))";

# ---- the database down: fail closed -----------------------------------------
my ($pgen, $pgport) = @{ (grep { $_->[0] eq 'pgsql' } @E)[0] };
my ($pid, $PH) = start_stream($pgport, 'revoke-db-down');
is ffmpeg_push($PH, seconds => 2, wait => 1, dir => live_dir($pid)), 0, '[pgsql] pushed';
my ($plain) = link_path($pgport, $pid, 'live');
my ($cached) = link_path($pgport, $pid, 'live-cached');
is code($pgport, $plain), 200, '[pgsql] a link plays';
is code($pgport, $cached), 200, '[pgsql] ... and under the cache';
my ($bin) = sort { $b cmp $a } glob '/usr/lib/postgresql/*/bin';
my $pgdata = "$ENV{MB_T_DIR}/state/pg/data";
my @pg_ctl = ('runuser', '-u', 'postgres', '--', "$bin/pg_ctl", '-D', $pgdata, '-w');
my $mark = error_log_mark();
is system(@pg_ctl, '-m', 'fast', 'stop'), 0, '[pgsql] the database stopped';
my $down = api(port => $pgport, path => $plain);
is $down->code, 503, '[pgsql] database down: a link is 503 (fail closed)';
is $down->{json}{error}{code}, 'database_unavailable', '... with the JSON error body';
sleep 2.2;   # past the cache's window
$down = api(port => $pgport, path => $cached);
is $down->code, 503, '[pgsql] ... under the cache too, once its window is past';
is $down->{json}{error}{code}, 'database_unavailable', '... with the JSON error body';
is api(port => $pgport, path => "/live/$pid/index.m3u8")->code, 200,
   '[pgsql] a public stream without a link needs no database read';
is system(@pg_ctl, '-l', "$pgdata/../server.log", 'start'), 0, '[pgsql] the database started again';
my $back = 0;
for (1 .. 40) { last if ($back = code($pgport, $plain)) == 200; sleep 0.25 }
is $back, 200, '[pgsql] the link plays again once it is back';
is code($pgport, $cached), 200, '[pgsql] ... and under the cache';
my $log = error_log_since($mark);
ok index($log, $SECRET) < 0, 'no secret in the log of the outage';
stop_stream($pgport, $pid);
stop_stream($port, $cid);
stop_stream($port, $id);

my $all = slurp(Apache::Test::vars('t_logs') . '/error_log');
like $all, qr/MB3652: all viewer links to stream [0-9a-f-]{36} revoked by alice/, 'revoke all is logged';
like $all, qr/MB3306: viewer link [0-9a-f]{32} to stream [0-9a-f-]{36} refused: revoked \(all the links issued before\)/,
     'a refusal by revoke all says so';

done_testing();
