# Stop, refresh, the detail of a stream and the list of live ones; who may
# do what (owner only by default, BroadcastOwnerOnly Off under an
# administrator's Require, Require broadcast-owner).  On both engines.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form s3 db_rows note_secret);

my $DATE = qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

sub start {
    my ($port, $user, $name, $loc) = @_;
    my $r = api(port => $port, method => 'POST', user => $user,
                path => ($loc // '/stream') . '/start', body => form(name => $name));
    die "start failed: " . $r->code . ' ' . $r->content unless $r->code == 200;
    note_secret($r->{json}{endpoint}{S3}{aws_secret_access_key});
    return $r->{json};
}

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my %P = (port => $port, method => 'POST');

    # ---- stop: owner only, query string or body, 409 the second time
    my $s = start($port, 'alice', 'to stop');
    my $id = $s->{stream}{id};
    my $r = api(%P, user => 'bob', path => '/stream/stop', body => form(id => $id));
    is $r->code, 403, "[$engine] bob cannot stop alice's stream";
    is $r->{json}{error}{code}, 'forbidden', "[$engine] ... error code forbidden";
    is_deeply [db_rows($engine, "SELECT is_live FROM mb_stream WHERE id = '$id'")], [['1']],
        "[$engine] ... and it is still live";
    $r = api(%P, user => 'alice', path => '/stream/stop', query => "id=$id");
    is $r->code, 200, "[$engine] alice stops it (id in the query string)";
    is_deeply [sort keys %{ $r->{json} }], [qw(playback stream)], "[$engine] stop: {stream, playback}";
    is_deeply [sort keys %{ $r->{json}{stream} }], [qw(id name start_date stop_date)],
        "[$engine] stream: id, name, start_date, stop_date";
    is $r->{json}{stream}{id}, $id, "[$engine] same id";
    is $r->{json}{stream}{name}, 'to stop', "[$engine] same name";
    is $r->{json}{stream}{start_date}, $s->{stream}{start_date}, "[$engine] same start_date";
    like $r->{json}{stream}{stop_date}, $DATE, "[$engine] stop_date";
    ok $r->{json}{stream}{stop_date} ge $r->{json}{stream}{start_date}, "[$engine] stop after start";
    my @row = db_rows($engine, "SELECT is_live, stop_us IS NOT NULL FROM mb_stream WHERE id = '$id'");
    ok @row == 1 && $row[0][0] eq '0' && $row[0][1] =~ /^(1|t)$/, "[$engine] the row is stopped";
    $r = api(%P, user => 'alice', path => '/stream/stop', body => form(id => $id));
    is $r->code, 409, "[$engine] stopping again: 409 (id in the body)";
    is $r->{json}{error}{code}, 'stream_stopped', "[$engine] ... stream_stopped";

    # ---- refresh: fresh working credentials while live, 409 after stop
    $s = start($port, 'alice', 'to refresh');
    $id = $s->{stream}{id};
    my $old = $s->{endpoint}{S3};
    $r = api(%P, user => 'alice', path => '/stream/refresh', body => form(id => $id));
    is $r->code, 200, "[$engine] refresh while live: 200";
    my $new = $r->{json}{endpoint}{S3};
    note_secret($new->{aws_secret_access_key});
    is_deeply [sort keys %{ $r->{json} }], [qw(endpoint playback stream)], "[$engine] refresh has start's shape";
    is $r->{json}{stream}{id}, $id, "[$engine] same stream";
    isnt $new->{aws_access_key_id}, $old->{aws_access_key_id}, "[$engine] new access key";
    is $new->{s3_bucket_path}, $old->{s3_bucket_path}, "[$engine] same prefix";
    is s3($new, 'PUT', "$new->{s3_bucket_path}seg1.ts"), 200, "[$engine] refreshed credentials work";
    is s3($new, 'PUT', "bob/elsewhere.ts"), 403, "[$engine] ... and only in the prefix";
    $r = api(%P, user => 'bob', path => '/stream/refresh', body => form(id => $id));
    is $r->code, 403, "[$engine] bob cannot refresh alice's stream";
    $r = api(%P, user => 'alice', path => '/stream/stop', body => form(id => $id));
    is $r->code, 200, "[$engine] stop";
    $r = api(%P, user => 'alice', path => '/stream/refresh', query => "id=$id");
    is $r->code, 409, "[$engine] refresh after stop: 409";
    is $r->{json}{error}{code}, 'stream_stopped', "[$engine] ... stream_stopped";

    # ---- detail
    $s = start($port, 'alice', 'detail');
    $id = $s->{stream}{id};
    $r = api(port => $port, user => 'alice', path => "/stream/$id");
    is $r->code, 200, "[$engine] GET /stream/<id> by the owner";
    is $r->{json}{stream}{id}, $id, "[$engine] detail id";
    is $r->{json}{stream}{name}, 'detail', "[$engine] detail name";
    ok exists $r->{json}{stream}{stop_date} && !defined $r->{json}{stream}{stop_date},
        "[$engine] stop_date null while live";
    ok !exists $r->{json}{endpoint} && $r->content !~ /aws_/, "[$engine] detail holds no credential";
    $r = api(port => $port, user => 'bob', path => "/stream/$id");
    is $r->code, 403, "[$engine] bob cannot read alice's stream";
    $r = api(port => $port, method => 'HEAD', user => 'alice', path => "/stream/$id");
    is $r->code, 200, "[$engine] HEAD of the detail";

    # ---- an administrator's location: BroadcastOwnerOnly Off + Require user admin
    $r = api(port => $port, user => 'bob', path => "/admin/$id");
    is $r->code, 401, "[$engine] /admin refuses bob (Require user admin)";
    $r = api(port => $port, user => 'admin', path => "/admin/$id");
    is $r->code, 200, "[$engine] admin reads alice's stream";
    $r = api(%P, user => 'admin', path => '/admin/stop', body => form(id => $id));
    is $r->code, 200, "[$engine] admin stops alice's stream";

    # ---- Require broadcast-owner (the provider, not the handler)
    $s = start($port, 'alice', 'owned');
    $id = $s->{stream}{id};
    $r = api(port => $port, user => 'bob', path => "/owned/$id");
    is $r->code, 403, "[$engine] Require broadcast-owner denies bob (id in the path)";
    $r = api(port => $port, user => 'alice', path => "/owned/$id");
    is $r->code, 200, "[$engine] ... grants alice";
    $r = api(%P, user => 'bob', path => '/owned/stop', query => "id=$id");
    is $r->code, 403, "[$engine] ... denies bob's stop (id in the query)";
    $r = api(%P, user => 'bob', path => '/owned/stop', body => form(id => $id));
    is $r->code, 403, "[$engine] ... denies bob's stop (id in the body)";
    $r = api(%P, user => 'bob', path => '/owned/start');
    is $r->code, 403, "[$engine] ... denies a request that names no stream";
    $r = api(port => $port, user => 'bob',
             path => '/owned/00000000-0000-4000-8000-000000000000');
    is $r->code, 403, "[$engine] ... denies an unknown stream";
    $r = api(%P, user => 'alice', path => '/owned/stop', body => form(id => $id));
    is $r->code, 200, "[$engine] ... grants alice's stop, the body read once by both";
    is $r->{json}{stream}{id}, $id, "[$engine] ... of the right stream";
    $s = start($port, 'alice', 'owned2');
    $r = api(%P, user => 'admin', path => '/owned/stop', body => form(id => $s->{stream}{id}));
    is $r->code, 200, "[$engine] <RequireAny> lets admin stop it too";

    # ---- the list: live streams only, newest first, pages
    my @mine = map { start($port, 'carol', "list $_")->{stream}{id} } 1 .. 5;
    my $stop_one = api(%P, user => 'carol', path => '/stream/stop', body => form(id => $mine[2]));
    is $stop_one->code, 200, "[$engine] one of carol's streams stopped";
    # (the caller's own: BroadcastOwnerOnly On; every user's: t/api/hardening.t)
    my @live = map { $_->[0] } db_rows($engine,
        "SELECT id FROM mb_stream WHERE is_live = 1 AND owner = 'carol' ORDER BY start_us DESC, id DESC");
    $r = api(port => $port, user => 'carol', path => '/stream/', query => 'limit=100');
    is $r->code, 200, "[$engine] GET /stream/";
    is_deeply [sort keys %{ $r->{json} }], [qw(next streams)], "[$engine] list: streams, next";
    is_deeply [map { $_->{id} } @{ $r->{json}{streams} }], \@live,
        "[$engine] every live stream of carol's, newest first (" . scalar(@live) . ")";
    ok !grep({ $_->{id} eq $mine[2] } @{ $r->{json}{streams} }), "[$engine] the stopped one is not listed";
    is_deeply [sort keys %{ $r->{json}{streams}[0] }], [qw(id name playback start_date visibility)],
        "[$engine] list items: id, name, start_date, visibility (issue 12), playback (issue 11)";
    # walk it two by two
    my (@walked, $before, $pages);
    while (1) {
        $r = api(port => $port, user => 'carol', path => '/stream/',
                 query => 'limit=2' . ($before ? "&before=$before" : ''));
        last unless $r->code == 200 && ++$pages < 100;
        push @walked, map { $_->{id} } @{ $r->{json}{streams} };
        $before = $r->{json}{next} or last;
    }
    is_deeply \@walked, \@live, "[$engine] pages of 2 with before= give the same list";
    is $r->code, 200, "[$engine] every page 200";
}

done_testing();
