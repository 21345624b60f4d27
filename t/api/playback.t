# Where to watch (issue 11): every answer of the API about a stream (start,
# stop, refresh, detail, list items) carries "playback" with absolute
# playlist, player and recording URLs under BroadcastLiveURL (a path
# completed with the request's scheme and host, or an absolute URL as
# configured), for S3 and for local storage; recording_url null while live.
# The list's state=stopped|all pages through recordings exactly like the
# live list.  For local storage the URLs are fetched with curl after a real
# ffmpeg push.  On both engines.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form db_rows note_secret);
use MB::Live qw(ffmpeg_push live_dir playlist_uris);

my $DATE = qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

sub start {
    my ($port, $user, $loc, $name) = @_;
    my $r = api(port => $port, method => 'POST', user => $user,
                path => "$loc/start", body => form(name => $name));
    die "start failed: " . $r->code . ' ' . $r->content unless $r->code == 200;
    my $ep = $r->{json}{endpoint};
    note_secret($_) for grep { defined } $ep->{S3} ? @{ $ep->{S3} }{qw(aws_secret_access_key aws_session_token)}
                                                   : $ep->{HTTP}{upload_token};
    return $r->{json};
}

sub stop {
    my ($port, $user, $loc, $id) = @_;
    return api(port => $port, method => 'POST', user => $user,
               path => "$loc/stop", body => form(id => $id));
}

# the playback object a stream under base URL $b must have
sub want {
    my ($b, $id, $live) = @_;
    return { playlist_url => "$b/$id/index.m3u8", player_url => "$b/$id/",
             recording_url => $live ? undef : "$b/$id/vod.m3u8" };
}

# (HTTP status, Content-Type, body) of a GET by curl
sub curl {
    my ($url) = @_;
    return (0, '', '') unless defined $url;
    my $f = "$ENV{MB_T_DIR}/state/playback-curl.out";
    my $w = `curl -s --max-time 20 -o '$f' -w '%{http_code} %{content_type}' '$url'`;
    my ($code, $type) = split / /, $w, 2;
    open my $fh, '<', $f or return ($code, $type, '');
    local $/;
    my $body = <$fh>;
    return ($code + 0, $type // '', $body // '');
}

# every page of a list, following "next"; the ids in order
sub walk {
    my ($port, $user, $loc, $query) = @_;
    my (@ids, @items, $before, $pages);
    while (1) {
        my $r = api(port => $port, user => $user, path => "$loc/",
                    query => $query . ($before ? "&before=$before" : ''));
        die "list: " . $r->code . ' ' . $r->content unless $r->code == 200;
        push @items, @{ $r->{json}{streams} };
        $before = $r->{json}{next} or last;
        last if ++$pages > 500;
    }
    return @items;
}

sub ids_of { [map { $_->[0] } db_rows(@_)] }

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my $B = "http://127.0.0.1:$port/live";

    # ---- S3 storage, BroadcastLiveURL a path: this server's /live
    my $s = start($port, 'alice', '/stream', 'watch me');
    my $id = $s->{stream}{id};
    is_deeply $s->{playback}, want($B, $id, 1),
        "[$engine] S3 start: playback under this server's /live, recording_url null";
    ok exists $s->{playback}{recording_url}, "[$engine] ... recording_url present (null)";
    is_deeply [sort keys %{ $s->{endpoint} }], ['S3'], "[$engine] ... the seed's endpoint kept";
    my $r = api(port => $port, user => 'alice', path => "/stream/$id");
    is_deeply $r->{json}{playback}, want($B, $id, 1), "[$engine] detail while live: same playback";
    $r = api(port => $port, user => 'alice', path => "/stream/$id",
             headers => [Host => 'watch.test:4321']);
    is_deeply $r->{json}{playback}, want('http://watch.test:4321/live', $id, 1),
        "[$engine] a path is completed with the request's own host";
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/stream/refresh',
             body => form(id => $id));
    note_secret($r->{json}{endpoint}{S3}{aws_secret_access_key});
    note_secret($r->{json}{endpoint}{S3}{aws_session_token});
    is_deeply $r->{json}{playback}, want($B, $id, 1), "[$engine] refresh: same playback";
    $r = stop($port, 'alice', '/stream', $id);
    is $r->code, 200, "[$engine] stop";
    is_deeply $r->{json}{playback}, want($B, $id, 0), "[$engine] stop: recording_url set";
    $r = api(port => $port, user => 'alice', path => "/stream/$id");
    is_deeply $r->{json}{playback}, want($B, $id, 0), "[$engine] detail after stop: recording_url set";
    is_deeply [sort keys %{ $r->{json}{stream} }], [qw(id name start_date stop_date visibility)],
        "[$engine] ... the stream object as before (and its visibility, issue 12)";

    # ---- an absolute BroadcastLiveURL: as configured, whatever the Host
    $s = start($port, 'alice', '/cdn', 'on the cdn');
    $id = $s->{stream}{id};
    is_deeply $s->{playback}, want('https://watch.example.com/hls', $id, 1),
        "[$engine] S3, absolute BroadcastLiveURL: its URLs";
    $r = stop($port, 'alice', '/cdn', $id);
    is_deeply $r->{json}{playback}, want('https://watch.example.com/hls', $id, 0),
        "[$engine] ... and the recording's after stop";
    $s = start($port, 'alice', '/local-cdn', 'local on the cdn');
    $id = $s->{stream}{id};
    is_deeply $s->{playback}, want('http://media.example.org:8080/live', $id, 1),
        "[$engine] local, absolute BroadcastLiveURL (trailing / dropped): its URLs";
    is $s->{endpoint}{HTTP}{upload_url}, "http://media.example.org:8080/live/$id/",
        "[$engine] ... where the upload goes too";
    is stop($port, 'alice', '/local-cdn', $id)->code, 200, "[$engine] ... stopped";

    # ---- local storage: the URLs are the ones that play
    $s = start($port, 'alice', '/local', 'local push');
    $id = $s->{stream}{id};
    my $P = $s->{playback};
    is_deeply $P, want($B, $id, 1), "[$engine] local start: playback under /live";
    is $P->{playlist_url}, $s->{endpoint}{HTTP}{playlist_url},
        "[$engine] ... the playlist the broadcaster uploads";
    is ffmpeg_push($s->{endpoint}{HTTP}, seconds => 3, wait => 1, dir => live_dir($id)), 0,
        "[$engine] ffmpeg pushed 3 s";
    my ($code, $type, $body) = curl($P->{playlist_url});
    is $code, 200, "[$engine] curl playlist_url: 200";
    like $body, qr/^#EXTM3U/, "[$engine] ... a playlist";
    my @segs = playlist_uris($body);
    ok @segs >= 1, "[$engine] ... listing segments (" . scalar(@segs) . ")";
    ($code, $type) = curl($P->{player_url} . $segs[0]);
    is $code, 200, "[$engine] a segment beside it: 200";
    like $type, qr{^video/mp2t}i, "[$engine] ... MPEG-TS";
    ($code, $type, $body) = curl($P->{player_url});
    is $code, 200, "[$engine] curl player_url: 200";
    like $type, qr{^text/html}, "[$engine] ... the player page";
    like $body, qr/index\.m3u8/, "[$engine] ... that plays the playlist";
    $r = api(port => $port, user => 'alice', path => "/local/$id");
    is $r->{json}{playback}{recording_url}, undef, "[$engine] detail while live: no recording yet";
    $r = stop($port, 'alice', '/local', $id);
    is $r->code, 200, "[$engine] stop";
    is_deeply $r->{json}{playback}, want($B, $id, 0), "[$engine] stop: recording_url set";
    ($code, $type, $body) = curl($r->{json}{playback}{recording_url});
    is $code, 200, "[$engine] curl recording_url: 200";
    like $body, qr/^#EXTM3U/, "[$engine] ... a playlist";
    like $body, qr/#EXT-X-ENDLIST/, "[$engine] ... the whole recording (ENDLIST)";
    ok scalar(playlist_uris($body)) >= @segs, "[$engine] ... with every segment";
    my $url = $r->{json}{playback}{recording_url} // 'none';
    my $dur = `timeout 30 ffprobe -v error -show_entries format=duration -of csv=p=0 '$url' 2>&1`;
    chomp $dur;
    ok $dur =~ /^\d+(\.\d+)?$/ && $dur > 2, "[$engine] ffprobe plays the recording ($dur s)";

    # ---- the lists: live (default), stopped, all; bob's own, in pages
    my @bob = map { start($port, 'bob', '/stream', "bob $_")->{stream}{id} } 1 .. 7;
    is stop($port, 'bob', '/stream', $_)->code, 200, "[$engine] bob stops one"
        for @bob[0, 2, 3, 5];
    my $alice_stopped = $s->{stream}{id};
    my $order = "ORDER BY start_us DESC, id DESC";
    my %want = (
        live    => ids_of($engine, "SELECT id FROM mb_stream WHERE is_live = 1 AND owner = 'bob' $order"),
        stopped => ids_of($engine, "SELECT id FROM mb_stream WHERE is_live = 0 AND owner = 'bob' $order"),
        all     => ids_of($engine, "SELECT id FROM mb_stream WHERE owner = 'bob' $order"),
    );
    my %live = map { $_ => 1 } @{ $want{live} };
    for my $state (qw(live stopped all)) {
        my @items = walk($port, 'bob', '/stream', "state=$state&limit=2");
        my @got = map { $_->{id} } @items;
        is_deeply \@got, $want{$state},
            "[$engine] state=$state, two by two: every one of bob's, newest first, once ("
            . scalar(@got) . ")";
        my %seen;
        is scalar(grep { $seen{$_}++ } @got), 0, "[$engine] ... no duplicates";
        my @bad = grep { !is_deeply_playback($_, $B, $live{ $_->{id} }) } @items;
        is scalar(@bad), 0, "[$engine] ... each item with its playback (recording_url once stopped)";
        my @keys = $state eq 'live' ? qw(id name playback start_date visibility)
                                    : qw(id name playback start_date stop_date visibility);
        is scalar(grep { join(' ', sort keys %$_) ne "@keys" } @items), 0,
            "[$engine] ... items: @keys";
        is scalar(grep { $state ne 'live' && !$live{ $_->{id} } && ($_->{stop_date} // '') !~ $DATE } @items), 0,
            "[$engine] ... a stopped one says when it stopped";
    }
    ok 3 <= @{ $want{live} } && 4 <= @{ $want{stopped} }, "[$engine] (both kinds were listed)";
    my @default = map { $_->{id} } walk($port, 'bob', '/stream', 'limit=3');
    is_deeply \@default, $want{live}, "[$engine] no state: the live list, as before";
    ok !grep({ $_ eq $alice_stopped } @{ $want{all} }), "[$engine] alice's recording is not in bob's lists";
    $r = api(port => $port, user => 'bob', path => '/stream/',
             query => "state=stopped&before=$alice_stopped");
    is $r->code, 400, "[$engine] alice's stream is no cursor of bob's recordings";

    # everyone's where the owner check is left to Require (/admin)
    my $top = ids_of($engine, "SELECT id FROM mb_stream WHERE is_live = 0 $order LIMIT 5");
    $r = api(port => $port, user => 'admin', path => '/admin/', query => 'state=stopped&limit=5');
    is_deeply [map { $_->{id} } @{ $r->{json}{streams} }], $top,
        "[$engine] BroadcastOwnerOnly Off: everyone's recordings";
    is $r->{json}{next}, $top->[-1], "[$engine] ... with the next cursor";
    for my $state (qw(stopped all)) {
        my $where = $state eq 'all' ? '' : 'WHERE is_live = 0';
        my $every = ids_of($engine, "SELECT id FROM mb_stream $where $order");
        my @got = map { $_->{id} } walk($port, 'admin', '/admin', "state=$state&limit=2");
        is_deeply \@got, $every,
            "[$engine] admin, state=$state in pages: everyone's, once each (" . scalar(@got) . ")";
    }

    # a state that is none of them: 400 with the JSON error body
    for my $bad ('bogus', 'LIVE', '', 'live,stopped') {
        $r = api(port => $port, user => 'bob', path => '/stream/', query => "state=$bad");
        is $r->code, 400, "[$engine] state='$bad': 400";
        is $r->{json}{error}{code}, 'bad_parameter', "[$engine] ... bad_parameter";
        like $r->{json}{error}{message}, qr/'state'/, "[$engine] ... naming the parameter";
    }
}

sub is_deeply_playback {
    my ($item, $b, $live) = @_;
    my $w = want($b, $item->{id}, $live);
    my $p = $item->{playback} or return 0;
    return 0 unless join(' ', sort keys %$p) eq 'player_url playlist_url recording_url';
    for my $k (keys %$w) {
        return 0 if (defined $w->{$k}) != (defined $p->{$k});
        return 0 if defined $w->{$k} && $w->{$k} ne $p->{$k};
    }
    return 1;
}

done_testing();
