# Self-hosted live broadcasting (issue 5), on both engines: start with
# BroadcastStorage local, the upload token, ingest with PUT/DELETE and
# every error status, atomic writes, refresh, stop and the recording
# playlist, playback through the Range machinery.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form db_rows note_secret);
use MB::Test qw(raw_request error_log_mark error_log_since);
use Digest::SHA qw(sha256_hex);
use IO::Socket::INET;

my $LIVE = "$ENV{MB_T_DIR}/data/live";
my $SMALL = "$ENV{MB_T_DIR}/state/smalldisk";

sub start_local {
    my ($port, $user, $name, $loc) = @_;
    my $r = api(port => $port, method => 'POST', user => $user,
                path => ($loc // '/local') . '/start', body => form(name => $name));
    die "start failed: " . $r->code . ' ' . $r->content unless $r->code == 200;
    note_secret($r->{json}{endpoint}{HTTP}{upload_token});
    return $r->{json};
}

# PUT/DELETE/GET with curl: (status, body); %o: token, data (file or
# string), chunked, method, range, headers (list of 'Name: value'),
# head (the response's headers too, but Date)
sub live {
    my ($port, $method, $path, %o) = @_;
    my @cmd = ('curl', '-s', '-o', '-', '-w', '\n%{http_code}', '--max-time', '30',
               '-X', $method);
    push @cmd, '-H', "Authorization: Bearer $o{token}" if defined $o{token};
    push @cmd, '-H', 'Transfer-Encoding: chunked' if $o{chunked};
    push @cmd, '--data-binary', $o{file} ? "\@$o{file}" : $o{data} // ''
        if $method eq 'PUT';
    push @cmd, '-r', $o{range} if $o{range};
    push @cmd, map { ('-H', $_) } @{ $o{headers} || [] };
    # head: the status line and the headers that may differ by stream
    # (Date aside) in front of the body
    push @cmd, '-D', '-' if $o{head};
    push @cmd, "http://127.0.0.1:$port$path";
    open my $fh, '-|', @cmd or die "curl: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    $out =~ s/\n(\d{3})\z// or return (0, $out);
    my $status = $1;
    $out =~ s/^Date: [^\r\n]*\r\n//mi if $o{head};
    return ($status, $out);
}

sub leftovers { my ($dir) = @_; opendir my $d, $dir or return (); grep { /^\.(upload|write)-/ } readdir $d }

my $big = "$ENV{MB_T_DIR}/state/big-upload.bin";
system("head -c 5000000 /dev/urandom > $big") == 0 or die;
my $mid = "$ENV{MB_T_DIR}/state/mid-upload.bin";
system("head -c 3000000 /dev/urandom > $mid") == 0 or die;

for my $e (engines()) {
    my ($engine, $port) = @$e;

    # ---- start: the HTTP endpoint next to the same "stream" object
    my $s = start_local($port, 'alice', 'my live show');
    my ($id, $H) = ($s->{stream}{id}, $s->{endpoint}{HTTP});
    like $id, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        "[$engine] start: a UUIDv4";
    is_deeply [sort keys %{ $s->{endpoint} }], ['HTTP'], "[$engine] endpoint: HTTP only";
    is_deeply [sort keys %$H], [qw(expiration playlist_url upload_token upload_url)],
        "[$engine] HTTP: upload_url, upload_token, expiration, playlist_url";
    is $H->{upload_url}, "http://127.0.0.1:$port/live/$id/", "[$engine] upload_url";
    is $H->{playlist_url}, "$H->{upload_url}index.m3u8", "[$engine] playlist_url";
    is $H->{expiration}, 900, "[$engine] expiration is the lifetime in seconds";
    like $H->{upload_token}, qr/^[0-9a-f]{64}$/, "[$engine] a 256-bit token";
    ok -d "$LIVE/$id", "[$engine] the stream's directory exists";
    my ($row) = db_rows($engine, "SELECT upload_token_hash, owner, is_live FROM mb_stream WHERE id = '$id'");
    is $row->[0], sha256_hex($H->{upload_token}), "[$engine] only the token's SHA-256 is stored";
    is_deeply [@$row[1, 2]], ['alice', '1'], "[$engine] owner and live";
    my $T = $H->{upload_token};
    my $base = "/live/$id";

    # ---- ingest
    my ($st, $body) = live($port, 'PUT', "$base/seg0.ts", token => $T, data => 'TS0' x 1000);
    is $st, 201, "[$engine] PUT a new segment: 201";
    ($st) = live($port, 'PUT', "$base/seg0.ts", token => $T, data => 'TS0' x 1001);
    is $st, 204, "[$engine] PUT over it: 204";
    ($st) = live($port, 'PUT', "$base/seg1.ts", token => $T, data => 'TS1' x 500, chunked => 1);
    is $st, 201, "[$engine] chunked upload: 201";
    ($st, $body) = live($port, 'GET', "$base/seg1.ts");
    is $body, 'TS1' x 500, "[$engine] the chunked upload is stored whole";

    # ---- every error status, none leaves a file behind
    ($st, $body) = live($port, 'PUT', "$base/x.ts", data => 'x');
    is $st, 401, "[$engine] no token: 401";
    like $body, qr/"code":"unauthorized"/, "[$engine] ... JSON error";
    ($st) = live($port, 'PUT', "$base/x.ts", token => 'f' x 64, data => 'x');
    is $st, 401, "[$engine] wrong token: 401";
    my $other = start_local($port, 'bob', 'other');
    my $T2 = $other->{endpoint}{HTTP}{upload_token};
    ($st, $body) = live($port, 'PUT', "$base/x.ts", token => $T2, data => 'x');
    is $st, 403, "[$engine] another stream's token: 403";
    ($st) = live($port, 'PUT', '/live/00000000-0000-4000-8000-000000000000/x.ts',
                 token => $T, data => 'x');
    is $st, 403, "[$engine] unknown stream, another stream's token: 403 as for a known one";

    # no stream-id oracle: without a valid token, a known and an unknown
    # stream get the same answer (status, challenge and body)
    {
        my $unknown = '/live/' . join('-', '0f0e0d0c', '0b0a', '4908', '8706', '050403020100');
        for my $t ([undef, 'no token'], ['e' x 64, 'a token of no stream']) {
            my @known = live($port, 'PUT', "$base/o.ts", token => $t->[0], data => 'x', head => 1);
            my @other = live($port, 'PUT', "$unknown/o.ts", token => $t->[0], data => 'x', head => 1);
            is $known[0], 401, "[$engine] $t->[1], known stream: 401";
            is_deeply \@other, \@known, "[$engine] $t->[1]: the same answer for an unknown stream";
        }
    }

    # a refusal does not ask for the body: no "100 Continue", the final
    # answer at once, and the connection closed
    {
        my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port)
            or die "connect: $!";
        print $sock "PUT $base/e.ts HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n"
                  . "Expect: 100-continue\r\n\r\n";
        my $resp = do { local $/; local $SIG{ALRM} = sub { die "timeout\n" }; alarm 5;
                        my $r = eval { <$sock> }; alarm 0; $r } // '';
        like $resp, qr{^HTTP/1\.1 401 }, "[$engine] Expect: 100-continue without a token: 401 first, no 100";
        like $resp, qr/^Connection: close\r$/mi, "[$engine] ... and the connection closed";
        close $sock;
    }

    # not a stream id at all: 404 JSON, at once
    ($st, $body) = live($port, 'PUT', '/live/not-a-stream/x.ts', token => $T, data => 'x',
                        head => 1);
    is $st, 404, "[$engine] PUT to a path that is not a stream id: 404";
    like $body, qr/"code":"not_found"/, "[$engine] ... JSON error";
    like $body, qr/^Connection: close\r$/mi, "[$engine] ... the body not waited for";

    # Content-Range: a part stored as the whole file (RFC 9110 14.5): refused
    ($st, $body) = live($port, 'PUT', "$base/part.ts", token => $T, data => 'PART',
                        headers => ['Content-Range: bytes 0-3/100']);
    is $st, 400, "[$engine] PUT with Content-Range: 400";
    like $body, qr/"code":"partial_put".*Content-Range/, "[$engine] ... JSON error that says why";
    ok !-e "$LIVE/$id/part.ts", "[$engine] ... nothing stored";
    ($st, $body) = live($port, 'PUT', "$base/.hidden.ts", token => $T, data => 'x');
    is $st, 400, "[$engine] name with a leading dot: 400";
    ($st) = live($port, 'PUT', "$base/bad%20name.ts", token => $T, data => 'x');
    is $st, 400, "[$engine] name with a space: 400";
    {
        # a refused name is logged once, at info, with a short escaped excerpt
        my $mark = error_log_mark();
        ($st) = live($port, 'PUT', "$base/evil%0a%1b%5b31m" . ('A' x 4000) . '.ts',
                     token => $T, data => 'x');
        is $st, 400, "[$engine] a 4 KB name with control characters: 400";
        my @lines = grep { /MB1204/ } split /\n/, error_log_since($mark);
        is scalar(@lines), 1, "[$engine] ... logged once";
        like $lines[0] // '', qr/\[broadcast:info\]/, "[$engine] ... at info";
        like $lines[0] // '', qr/"evil\\+n\\+x1b\[31mA{38}\.\.\."/,
            "[$engine] ... an escaped excerpt of 48 bytes";
        ok length($lines[0] // '') < 400, "[$engine] ... a short line";
    }
    ($st, $body) = live($port, 'PUT', "$base/shell.php", token => $T, data => 'x');
    is $st, 415, "[$engine] extension not allowed: 415";
    ($st) = live($port, 'PUT', "$base/big.ts", token => $T, file => $big);
    is $st, 413, "[$engine] over BroadcastLiveMaxUpload (Content-Length): 413";
    ($st) = live($port, 'PUT', "$base/big2.ts", token => $T, file => $big, chunked => 1);
    is $st, 413, "[$engine] over BroadcastLiveMaxUpload (chunked): 413";
    ok !-e "$LIVE/$id/x.ts" && !-e "$LIVE/$id/big.ts" && !-e "$LIVE/$id/big2.ts"
        && !-e "$LIVE/$id/shell.php", "[$engine] refused uploads left no file";

    # a PUT cut off in the middle: no visible file, no temporary file
    {
        my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port)
            or die "connect: $!";
        print $sock "PUT $base/cut.ts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $T\r\n"
                  . "Content-Length: 100000\r\n\r\n" . ('C' x 5000);
        select undef, undef, undef, 0.5;
        close $sock;
        select undef, undef, undef, 0.5;
        ok !-e "$LIVE/$id/cut.ts", "[$engine] cut-off PUT: no visible file";
        is_deeply [leftovers("$LIVE/$id")], [], "[$engine] cut-off PUT: no temporary file";
    }

    # disk full: a 1 MiB file system
    {
        my $sm = start_local($port, 'alice', 'small', '/local-small');
        my $sid = $sm->{stream}{id};
        my $ST = $sm->{endpoint}{HTTP}{upload_token};
        is $sm->{endpoint}{HTTP}{upload_url}, "http://127.0.0.1:$port/live-small/$sid/",
            "[$engine] BroadcastLiveURL sets the upload URL";
        ($st, $body) = live($port, 'PUT', "/live-small/$sid/full.ts", token => $ST, file => $mid);
        is $st, 507, "[$engine] disk full: 507";
        like $body, qr/"code":"disk_full"/, "[$engine] ... JSON error disk_full";
        ok !-e "$SMALL/$sid/full.ts", "[$engine] disk full: no file";
        is_deeply [leftovers("$SMALL/$sid")], [], "[$engine] disk full: no temporary file";
        ($st) = live($port, 'PUT', "/live-small/$sid/ok.ts", token => $ST, data => 'small');
        is $st, 201, "[$engine] ... and a small upload still fits afterwards";
    }

    # expired token
    db_rows($engine, "UPDATE mb_stream SET upload_expires_us = 1000 WHERE id = '$id'");
    ($st, $body) = live($port, 'PUT', "$base/late.ts", token => $T, data => 'x');
    is $st, 401, "[$engine] expired token: 401";
    like $body, qr/token_expired/, "[$engine] ... token_expired";

    # refresh: a new token works, the old one no longer does
    my $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/refresh',
                body => form(id => $id));
    is $r->code, 200, "[$engine] refresh: 200";
    my $T3 = $r->{json}{endpoint}{HTTP}{upload_token};
    note_secret($T3);
    isnt $T3, $T, "[$engine] refresh: a new token";
    ($st) = live($port, 'PUT', "$base/seg2.ts", token => $T3, data => 'TS2');
    is $st, 201, "[$engine] the refreshed token uploads";
    ($st) = live($port, 'PUT', "$base/seg3.ts", token => $T, data => 'TS3');
    is $st, 401, "[$engine] the old token is revoked";

    # a playlist, then DELETE of an old segment
    my $pl = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
           . "#EXTINF:2.0,\nseg0.ts\n#EXTINF:2.0,\nseg1.ts\n#EXTINF:1.5,\nseg2.ts\n";
    ($st) = live($port, 'PUT', "$base/index.m3u8", token => $T3, data => $pl);
    is $st, 201, "[$engine] PUT the live playlist";

    # playlists are validated at upload: every URI a file of this stream
    for my $bad (["#EXTINF:2.0,\nhttp://evil.example/seg0.ts\n", 6, 'another origin'],
                 ["#EXTINF:2.0,\n/etc/passwd\n", 6, 'an absolute path'],
                 ["#EXTINF:2.0,\nseg0.ts\n#EXTINF:2.0,\n../$other->{stream}{id}/seg0.ts\n", 8,
                  "another stream's file"],
                 ["#EXT-X-KEY:METHOD=AES-128,URI=\"https://evil.example/key\"\n", 5,
                  'a key from another origin']) {
        my ($lines, $no, $what) = @$bad;
        ($st, $body) = live($port, 'PUT', "$base/evil.m3u8", token => $T3,
                            data => "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                                  . "#EXT-X-MEDIA-SEQUENCE:0\n$lines");
        is $st, 400, "[$engine] playlist with $what: 400";
        like $body, qr/"code":"bad_playlist","message":"line $no: /,
            "[$engine] ... JSON error naming line $no";
    }
    ok !-e "$LIVE/$id/evil.m3u8", "[$engine] refused playlists are not stored";
    ($st, $body) = live($port, 'PUT', "$base/index.m3u8", token => $T3, data => "seg0.ts\n");
    is $st, 400, "[$engine] a playlist without #EXTM3U: 400";
    ($st, $body) = live($port, 'GET', "$base/index.m3u8");
    is $body, $pl, "[$engine] ... and the previous playlist is still served";
    ($st) = live($port, 'PUT', "$base/gone.ts", token => $T3, data => 'G');
    ($st) = live($port, 'DELETE', "$base/gone.ts", token => $T3);
    is $st, 204, "[$engine] DELETE a segment: 204";
    ok !-e "$LIVE/$id/gone.ts", "[$engine] ... it is gone";
    ($st) = live($port, 'DELETE', "$base/gone.ts", token => $T3);
    is $st, 404, "[$engine] DELETE it again: 404";
    ($st) = live($port, 'DELETE', "$base/seg0.ts");
    is $st, 401, "[$engine] DELETE without a token: 401";

    # ---- playback
    my $g = api(port => $port, path => "$base/index.m3u8");
    is $g->code, 200, "[$engine] GET the playlist";
    is $g->header('Content-Type'), 'application/vnd.apple.mpegurl', "[$engine] playlist type";
    is $g->header('Cache-Control'), 'no-cache', "[$engine] playlist: Cache-Control no-cache";
    $g = api(port => $port, path => "$base/seg1.ts", headers => [Range => 'bytes=3-5']);
    is $g->code, 206, "[$engine] a segment with Range: 206";
    is $g->content, 'TS1', "[$engine] ... the right bytes";
    is $g->header('Content-Type'), 'video/mp2t', "[$engine] segment type";
    like $g->header('Cache-Control'), qr/max-age=\d+/, "[$engine] segment: cacheable";
    $g = api(port => $port, path => "$base/seg1.ts", headers => [Range => 'bytes=999999-']);
    is $g->code, 416, "[$engine] a segment, range past the end: 416";
    is api(port => $port, path => "$base/.journal")->code, 404, "[$engine] the journal is not served";
    is api(port => $port, path => "$base/nope.ts")->code, 404, "[$engine] missing segment: 404";

    # ---- stop: revoked at once, and the recording playlist
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/stop',
             body => form(id => $id));
    is $r->code, 200, "[$engine] stop: 200";
    ($st, $body) = live($port, 'PUT', "$base/seg9.ts", token => $T3, data => 'late');
    is $st, 409, "[$engine] PUT after stop: 409";
    like $body, qr/stream_stopped/, "[$engine] ... stream_stopped";
    ($st, my $vod) = live($port, 'GET', "$base/vod.m3u8");
    is $st, 200, "[$engine] vod.m3u8 written at stop";
    like $vod, qr/#EXT-X-ENDLIST\n\z/, "[$engine] vod: ENDLIST";
    like $vod, qr/seg0\.ts\n.*seg1\.ts\n.*seg2\.ts\n/s, "[$engine] vod: the segments in order";
    unlike $vod, qr/gone\.ts/, "[$engine] vod: no deleted segment";
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/refresh',
             body => form(id => $id));
    is $r->code, 409, "[$engine] refresh after stop: 409";
    api(port => $port, method => 'POST', user => 'bob', path => '/local/stop',
        body => form(id => $other->{stream}{id}));
}

done_testing();
