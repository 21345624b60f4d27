# The watch log records one row per request answered by the video handler,
# every field as the request made it, in SQLite and in PostgreSQL.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Time::HiRes qw(time sleep);
use MIME::Base64 qw(encode_base64);
use lib 't/lib';
use MB::Test qw(data_dir);
use MB::Watch qw(engines watch_request sql_rows wait_count tag quote);

my $random_size = -s data_dir() . '/videos/random.bin';
my $mp4_size    = -s data_dir() . '/videos/movies/a.mp4';
my $bc_size     = -s data_dir() . '/videos/sub dir/b c.mp4';
my $live_id     = '6f1c2a3b-5d4e-4f60-8a7b-9c0d1e2f3a4b';
my $alice       = 'Basic ' . encode_base64('alice:alice-pw', '');

# a live stream's files, as a broadcaster's uploads leave them
my $live_stream = '7d3e9a10-2b4c-4d5e-8f60-718293a4b5c6';
my $live_dir    = data_dir() . "/live/$live_stream";
mkdir data_dir() . '/live';
mkdir $live_dir;
for my $f (qw(index.m3u8 seg0.ts)) {
    system('cp', data_dir() . "/videos/$f", "$live_dir/$f") == 0
        or die "cp $f: $?";
}
my $playlist_size = -s "$live_dir/index.m3u8";

for my $engine (engines()) {
    my $tag = tag("log-$engine");
    my $trusted_proxy = $engine eq 'sqlite';   # see t/conf/extra.conf.in
    my (%want, %got_len, $etag);

    # Requests that must leave no row: the log is off there, the handler
    # never ran (authentication failed), or the method is not GET/HEAD.
    my $r = watch_request($engine, '/api/nolog?path=random.bin',
                          'User-Agent' => "$tag nolog");
    is $r->code, 200, "$engine: /api/nolog serves the file";
    $r = watch_request($engine, '/api/private?path=movies/a.mp4',
                       'User-Agent' => "$tag badpw",
                       Authorization => 'Basic '
                           . encode_base64('alice:wrong', ''));
    is $r->code, 401, "$engine: wrong password refused";
    $r = watch_request($engine, '/api/stream?path=random.bin',
                       method => 'POST', 'User-Agent' => "$tag post");
    is $r->code, 405, "$engine: POST refused";
    $r = watch_request($engine, "/live/$live_stream/x.ts", method => 'PUT',
                       'User-Agent' => "$tag put");
    like $r->code, qr/^4\d\d$/, "$engine: an upload without its token refused";

    # Each logged request: [case, uri, headers, expected row]
    my $client = '127.0.0.1';
    my @cases = (
        [ 'anonymous range, X-Forwarded-For',
          '/api/stream?path=random.bin',
          { Range => 'bytes=100-1123', 'X-Forwarded-For' => '203.0.113.7' },
          { method => 'GET', path => 'random.bin', status => 206,
            bytes => 1024, range => 'bytes=100-1123', user => undef,
            auth => 0,
            ip => $trusted_proxy ? '203.0.113.7' : $client } ],
        [ 'authenticated',
          '/api/private?path=movies/a.mp4', { Authorization => $alice },
          { method => 'GET', path => 'movies/a.mp4', status => 200,
            bytes => $mp4_size, range => undef, user => 'alice', auth => 1,
            ip => $client } ],
        [ 'mapped mode, whole file',
          '/videos/sub%20dir/b%20c.mp4', {},
          { method => 'GET', path => 'sub dir/b c.mp4', status => 200,
            bytes => $bc_size, range => undef, user => undef, auth => 0,
            ip => $client } ],
        [ 'HEAD', '/videos/random.bin', { method => 'HEAD' },
          { method => 'HEAD', path => 'random.bin', status => 200,
            bytes => 0, range => undef, user => undef, auth => 0,
            ip => $client } ],
        [ 'HEAD with a range', '/videos/random.bin',
          { method => 'HEAD', Range => 'bytes=0-99' },
          { method => 'HEAD', path => 'random.bin', status => 206,
            bytes => 0, range => 'bytes=0-99', user => undef, auth => 0,
            ip => $client } ],
        [ '416', '/videos/random.bin', { Range => 'bytes=99999999-' },
          { method => 'GET', path => 'random.bin', status => 416,
            bytes => 0, range => 'bytes=99999999-', user => undef,
            auth => 0, ip => $client } ],
        [ '404', '/api/stream?path=nope.mp4', {},
          { method => 'GET', path => 'nope.mp4', status => 404, bytes => 0,
            range => undef, user => undef, auth => 0, ip => $client } ],
        [ '400 without a path', '/api/stream', {},
          { method => 'GET', path => '', status => 400, bytes => 0,
            range => undef, user => undef, auth => 0, ip => $client } ],
        [ '403 outside the root', '/api/stream?path=link-out', {},
          { method => 'GET', path => 'link-out', status => 403, bytes => 0,
            range => undef, user => undef, auth => 0, ip => $client } ],
        [ 'multiple ranges', '/videos/random.bin',
          { Range => 'bytes=0-9,20-29' },
          { method => 'GET', path => 'random.bin', status => 206,
            bytes => 'body', range => 'bytes=0-9,20-29', user => undef,
            auth => 0, ip => $client } ],
        [ '304', '/videos/random.bin', { 'If-None-Match' => 'ETAG' },
          { method => 'GET', path => 'random.bin', status => 304,
            bytes => 0, range => undef, user => undef, auth => 0,
            ip => $client } ],
        # credentials where none are required are not checked: anonymous
        [ 'stream id from the configuration', '/api/live?path=seg0.ts',
          { Authorization => $alice, Range => 'bytes=0-187' },
          { method => 'GET', path => 'seg0.ts', status => 206, bytes => 188,
            range => 'bytes=0-187', user => undef, auth => 0,
            ip => $client, stream => $live_id } ],
        [ 'live playback: the playlist',
          "/live/$live_stream/index.m3u8", {},
          { method => 'GET', path => "$live_stream/index.m3u8", status => 200,
            bytes => $playlist_size, range => undef, user => undef,
            auth => 0, ip => $client, stream => $live_stream } ],
        [ 'live playback: a segment, ranged',
          "/live/$live_stream/seg0.ts", { Range => 'bytes=0-187' },
          { method => 'GET', path => "$live_stream/seg0.ts", status => 206,
            bytes => 188, range => 'bytes=0-187', user => undef, auth => 0,
            ip => $client, stream => $live_stream } ],
        [ 'live playback: the player page',
          "/live/$live_stream/", {},
          { method => 'GET', path => "$live_stream/", status => 200,
            bytes => 'body', range => undef, user => undef, auth => 0,
            ip => $client,
            stream => $live_stream } ],
        [ 'live playback: a missing segment',
          "/live/$live_stream/nope.ts", {},
          { method => 'GET', path => "$live_stream/nope.ts", status => 404,
            bytes => 0, range => undef, user => undef, auth => 0,
            ip => $client, stream => $live_stream } ],
        [ 'odd bytes in the path and a long user agent',
          '/api/stream?path=%FF%3Cb%3E.mp4', { ua_pad => 400 },
          { method => 'GET', path => '?<b>.mp4', status => 404, bytes => 0,
            range => undef, user => undef, auth => 0, ip => $client } ],
    );

    my $t0 = time();
    for my $i (0 .. $#cases) {
        my ($name, $uri, $h, $w) = @{ $cases[$i] };
        my %h = %$h;
        my $ua = "$tag #$i";
        $ua .= ' ' . ('x' x delete $h{ua_pad}) if $h{ua_pad};
        if (($h{'If-None-Match'} // '') eq 'ETAG') {
            $h{'If-None-Match'} = $etag;
        }
        my $resp = watch_request($engine, $uri, %h, 'User-Agent' => $ua);
        is $resp->code, $w->{status}, "$engine: $name answered $w->{status}";
        $etag = $resp->header('ETag') if $name eq 'HEAD';
        $w->{bytes} = length($resp->content) if $w->{bytes} eq 'body';
        if ($w->{status} =~ /^20/ && $w->{method} eq 'GET') {
            is length($resp->content), $w->{bytes},
               "$engine: $name: the client got $w->{bytes} bytes";
        }
        $w->{ua} = length($ua) > 255 ? substr($ua, 0, 255) : $ua;
        $w->{stream} //= undef;
        $want{"$tag #$i"} = [ $name, $w ];
    }
    my $t1 = time();

    my $n = wait_count($engine, "user_agent LIKE " . quote("$tag %"),
                       scalar @cases, 10);
    sleep 0.3;                  # anything that should not be there, too
    my @rows = sql_rows($engine,
        "SELECT time_us, method, path, stream_id, user_name, authenticated,"
      . " client_ip, range_header, status, bytes_sent, user_agent"
      . " FROM watch_log WHERE user_agent LIKE " . quote("$tag %")
      . " ORDER BY id");
    is scalar @rows, scalar @cases,
       "$engine: one row per logged request, none for the others ($n)";

    for my $row (@rows) {
        my %got;
        @got{qw(time method path stream user auth ip range status bytes ua)}
            = @$row;
        my ($key) = $got{ua} =~ /^(\Q$tag\E #\d+)/;
        my $w = $key && delete $want{$key};
        ok $w, "$engine: row of a request we made ($got{ua})" or next;
        my ($name, $exp) = @$w;
        my $time = delete $got{time};
        ok $time / 1e6 >= $t0 - 1 && $time / 1e6 <= $t1 + 1,
           "$engine: $name: time within the test";
        is_deeply \%got, $exp, "$engine: $name: every field";
    }
    is_deeply [ sort keys %want ], [], "$engine: no request without its row";
}

done_testing();
