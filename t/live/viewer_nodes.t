# Two nodes and viewer links (issue 12), on both engines: node A (the API's
# virtual host) and node B (t/conf/nodes.inc) share the stream database,
# the live root and BroadcastViewerSecret.  A link minted on either node
# plays on the other; a link revoked on one is refused on the other; all
# the links revoked on one are refused on both while a link minted after
# plays on both; a stream made private on one is private on the other.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form rgw_env);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);

my %node_b = (sqlite => rgw_env('MB_NODE_B_PORT_SQLITE'),
              pgsql => rgw_env('MB_NODE_B_PORT_PGSQL'));

sub post { my ($p, $path, %f) = @_; api(port => $p, method => 'POST', user => 'alice', path => $path, body => form(%f)) }
sub link_on {
    my ($p, $id) = @_;
    my $r = post($p, "/local/$id/viewer-link", lifetime => 600);
    die 'viewer-link: ' . $r->code . ' ' . $r->content unless $r->code == 200;
    (my $path = $r->{json}{url}) =~ s{^http://[^/]+/live/}{/live-private/};
    return ("${path}index.m3u8", $r->{json}{token_id});
}
sub code { api(port => $_[0], path => $_[1])->code }

for my $e (engines()) {
    my ($en, $A) = @$e;
    my $B = $node_b{$en};
    my ($id, $H) = start_stream($A, "viewer-nodes-$en");
    $H->{playlist_url} =~ s{/live/}{/live-private/};
    is ffmpeg_push($H, seconds => 2, wait => 1, dir => live_dir($id)), 0, "[$en] pushed through node A";
    is post($B, "/local/$id/visibility", visibility => 'private')->{json}{stream}{visibility},
       'private', "[$en] made private on node B";
    is code($A, "/live-private/$id/index.m3u8"), 403, "[$en] node A: private, 403 without a link";
    is code($B, "/live-private/$id/index.m3u8"), 403, "[$en] node B: the same";

    my ($la, $ta) = link_on($A, $id);
    my ($lb, $tb) = link_on($B, $id);
    is code($B, $la), 200, "[$en] a link minted on A plays on B";
    is code($A, $lb), 200, "[$en] a link minted on B plays on A";
    is code($A, $la) . ' ' . code($B, $lb), '200 200', "[$en] ... and each on its own node";

    is post($B, "/local/$id/viewer-link/revoke", token_id => $ta)->code, 200, "[$en] A's link revoked on B";
    is code($A, $la), 403, "[$en] ... refused on A";
    is code($B, $la), 403, "[$en] ... and on B";
    is code($A, $lb), 200, "[$en] B's link still plays on A";

    is post($A, "/local/$id/viewer-link/revoke", all => 1)->code, 200, "[$en] all links revoked on A";
    is code($B, $lb), 403, "[$en] B's link refused on B";
    is code($A, $lb), 403, "[$en] ... and on A";
    my ($lc) = link_on($B, $id);
    is code($A, $lc) . ' ' . code($B, $lc), '200 200', "[$en] a link minted on B after plays on both";

    is post($A, "/local/$id/visibility", visibility => 'public')->code, 200, "[$en] made public on A";
    is code($B, "/live-private/$id/index.m3u8"), 200, "[$en] node B plays it without a link";
    is stop_stream($A, $id), 200, "[$en] stop";
}

done_testing();
