# Smaller holes of issue 8, each attacked: the list shows the caller's own
# live streams only (unless BroadcastOwnerOnly Off), `Require
# broadcast-owner` is not granted for the list by an `?id=` of one's own,
# BroadcastMaxLiveStreams (429 too_many_streams), the API's 401 carries a
# WWW-Authenticate challenge, and X-Content-Type-Options: nosniff is on
# everything the module serves.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use lib 't/lib';
use MB::Test ();
use MB::API qw(engines api form db_rows note_secret);

sub start {
    my ($port, $user, $loc, $name) = @_;
    my $r = api(port => $port, method => 'POST', user => $user, path => "/$loc/start",
                body => form(name => $name));
    note_secret($r->{json}{endpoint}{HTTP}{upload_token}) if $r->code == 200;
    return $r;
}
sub ids_of { my ($r) = @_; return map { $_->{id} } @{ ($r->{json} || {})->{streams} || [] } }

for my $e (engines()) {
    my ($engine, $port) = @$e;

    # ---- the list: one's own streams --------------------------------------
    my $a = start($port, 'alice', 'local', 'alice list')->{json}{stream}{id};
    my $b = start($port, 'bob', 'local', 'bob list')->{json}{stream}{id};
    my $r = api(port => $port, user => 'bob', path => '/local/', query => 'limit=100');
    is $r->code, 200, "[$engine] bob lists";
    my @ids = ids_of($r);
    ok((grep { $_ eq $b } @ids), "[$engine] bob's list has his stream");
    ok(!(grep { $_ eq $a } @ids), "[$engine] bob's list does not have alice's");
    my @bobs = map { $_->[0] } db_rows($engine,
        "SELECT id FROM mb_stream WHERE is_live = 1 AND owner = 'bob' ORDER BY start_us DESC, id DESC");
    is_deeply \@ids, \@bobs, "[$engine] bob's list: exactly his live streams (" . scalar(@bobs) . ")";
    $r = api(port => $port, user => 'alice', path => '/stream/', query => 'limit=100');
    ok((grep { $_ eq $a } ids_of($r)) && !(grep { $_ eq $b } ids_of($r)),
       "[$engine] alice's list: hers, not bob's");
    $r = api(port => $port, user => 'bob', path => '/local/', query => "before=$a");
    is $r->code, 400, "[$engine] another user's stream as 'before': 400, as an unknown one";
    is $r->{json} && $r->{json}{error}{message}, "'before' names no stream", "[$engine] ... the same message";
    # BroadcastOwnerOnly Off (an administrator's location): every live stream
    $r = api(port => $port, user => 'admin', path => '/admin/', query => 'limit=100');
    is $r->code, 200, "[$engine] admin lists at /admin/";
    ok((grep { $_ eq $a } ids_of($r)) && (grep { $_ eq $b } ids_of($r)),
       "[$engine] ... every user's live streams");

    # ---- Require broadcast-owner: ?id= of one's own does not open the list
    $r = api(port => $port, user => 'alice', path => '/owned/', query => "id=$a");
    is $r->code, 403, "[$engine] /owned/?id=<own stream>: the list is not granted";
    ok !(grep { $_ eq $b } ids_of($r)), "[$engine] ... and lists nothing";
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/owned/start', query => "id=$a");
    is $r->code, 403, "[$engine] /owned/start?id=<own stream>: not granted either";
    $r = api(port => $port, user => 'alice', path => "/owned/$a");
    is $r->code, 200, "[$engine] /owned/<own stream>: still granted";
    $r = api(port => $port, user => 'admin', path => '/owned/');
    is $r->code, 200, "[$engine] /owned/ for admin (Require user admin): 200";

    # ---- BroadcastMaxLiveStreams 2 (carol) ---------------------------------
    for my $u ('carol', 'bob') {   # none live yet (other tests leave some)
        for my $row (db_rows($engine, "SELECT id FROM mb_stream WHERE is_live = 1 AND owner = '$u'")) {
            api(port => $port, method => 'POST', user => $u, path => '/stream/stop', body => "id=$row->[0]");
        }
    }
    my @c = map { start($port, 'carol', 'limited', "limit $_") } 1 .. 2;
    is_deeply [map { $_->code } @c], [200, 200], "[$engine] two live streams: 200, 200";
    my $mark = MB::Test::error_log_mark();
    $r = start($port, 'carol', 'limited', 'limit 3');
    is $r->code, 429, "[$engine] a third: 429";
    is $r->{json} && $r->{json}{error}{code}, 'too_many_streams', "[$engine] ... too_many_streams";
    like $r->{json}{error}{message}, qr/\b2\b/, "[$engine] ... the message says the limit";
    my ($n) = db_rows($engine, "SELECT COUNT(*) FROM mb_stream WHERE is_live = 1 AND owner = 'carol'");
    is $n->[0], 2, "[$engine] ... no third stream recorded";
    sleep 1;
    like MB::Test::error_log_since($mark), qr/\[broadcast:info\].*MB1001: carol has 2 live streams/,
        "[$engine] ... logged at info";
    # per user, wherever the streams were started
    is start($port, 'bob', 'limited', 'bob limited')->code, 200, "[$engine] another user may start";
    is api(port => $port, method => 'POST', user => 'carol', path => '/limited/stop',
           body => "id=$c[0]{json}{stream}{id}")->code, 200, "[$engine] carol stops one";
    is start($port, 'carol', 'limited', 'limit again')->code, 200, "[$engine] ... and may start again";
    is start($port, 'carol', 'local', 'elsewhere')->code, 200,
        "[$engine] at a location without the limit (BroadcastMaxLiveStreams 0): 200";
    is start($port, 'carol', 'limited', 'limit 4')->code, 429,
        "[$engine] streams of other locations count too";

    # ---- 401 with a challenge (RFC 9110) -----------------------------------
    $r = api(port => $port, method => 'POST', path => '/open/start');
    is $r->code, 401, "[$engine] the API without authentication: 401";
    is $r->header('WWW-Authenticate'), 'Basic realm="broadcast-api"', "[$engine] ... WWW-Authenticate";

    # ---- nosniff ------------------------------------------------------------
    my $lid = start($port, 'alice', 'local', 'nosniff')->{json}{stream}{id};
    for my $c (['API answer' => '/local/', 'alice'], ['API error' => '/local/nothing', 'alice'],
               ['API 401' => '/open/'], ['player page' => "/live/$lid/"],
               ['live 404' => "/live/$lid/index.m3u8"]) {
        my ($what, $path, $user) = @$c;
        $r = api(port => $port, path => $path, $user ? (user => $user) : ());
        is $r->header('X-Content-Type-Options'), 'nosniff', "[$engine] $what (" . $r->code . "): nosniff";
    }
}

for my $path ('/videos/random.bin', '/api/stream?path=random.bin', '/api/stream?path=../x',
              '/api/stream?path=no-such.bin', '/status') {
    my $r = GET $path, username => 'alice', password => 'alice-pw';
    is $r->header('X-Content-Type-Options'), 'nosniff', "$path (" . $r->code . "): nosniff";
}
is GET('/static/random.bin')->header('X-Content-Type-Options'), undef,
    "the core's own static files: not the module's to mark";

done_testing();
