# broadcast-video: ranges, the volume cap, multi-range, HEAD, methods,
# content types, caching semantics -- mapped and query mode.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET HEAD POST PUT);
use lib 't/lib';
use MB::Test qw(data_dir slurp raw_request);

my $data = slurp(data_dir() . '/videos/random.bin');
my $size = length $data;
my $MiB = 1024 * 1024;

sub range_ok {
    my ($url, $range, $first, $last, $name) = @_;
    my $r = GET $url, Range => $range;
    is $r->code, 206, "$name: 206";
    is $r->header('Content-Range'), "bytes $first-$last/$size",
        "$name: Content-Range";
    is $r->header('Content-Length'), $last - $first + 1,
        "$name: exact Content-Length";
    is $r->header('Accept-Ranges'), 'bytes', "$name: Accept-Ranges on 206";
    ok $r->content eq substr($data, $first, $last - $first + 1),
        "$name: body equals the file's bytes";
}

for my $base ('/videos/random.bin', '/api/stream?path=random.bin') {
    my $r = GET $base;
    is $r->code, 200, "$base: 200 without Range";
    ok $r->content eq $data, "$base: whole file";
    is $r->header('Content-Length'), $size, "$base: Content-Length";
    is $r->header('Accept-Ranges'), 'bytes', "$base: Accept-Ranges on 200";
    ok $r->header('ETag'), "$base: ETag";
    ok $r->header('Last-Modified'), "$base: Last-Modified";

    range_ok($base, 'bytes=0-1', 0, 1, "$base 0-1 (the seed sent 8 MiB)");
    range_ok($base, 'bytes=0-0', 0, 0, "$base first byte");
    range_ok($base, 'bytes=100-199', 100, 199, "$base 100-199");
    range_ok($base, 'bytes=-500', $size - 500, $size - 1, "$base suffix");
    range_ok($base, 'bytes=3000000-', 3000000, $size - 1, "$base open end");
    range_ok($base, "bytes=10-" . ($size * 4), 10, $size - 1, "$base end clamped");
    range_ok($base, 'bytes=-99999999999', 0, $size - 1, "$base long suffix");
    range_ok($base, 'BYTES=5-6', 5, 6, "$base uppercase unit");

    for my $bad ("bytes=$size-", "bytes=" . ($size + 10) . "-" . ($size + 20),
                 'bytes=-0', 'bytes=99999999999999999999999-') {
        my $u = GET $base, Range => $bad;
        is $u->code, 416, "$base $bad: 416";
        is $u->header('Content-Range'), "bytes */$size",
            "$base $bad: Content-Range bytes */size";
    }

    for my $invalid ('bytes=200-100', 'bytes=abc', 'bytes=', 'pages=0-1',
                     'bytes=1-2-3') {
        my $i = GET $base, Range => $invalid;
        is $i->code, 200, "$base '$invalid' ignored: 200";
        ok $i->content eq $data, "$base '$invalid': whole file";
    }

    # HEAD: the same headers, no body
    my $h = HEAD $base;
    is $h->code, 200, "$base HEAD 200";
    is $h->header('Content-Length'), $size, "$base HEAD Content-Length";
    is length($h->content), 0, "$base HEAD no body";
    $h = HEAD $base, Range => 'bytes=10-19';
    is $h->code, 206, "$base HEAD with Range: 206";
    is $h->header('Content-Range'), "bytes 10-19/$size", "$base HEAD Content-Range";
    is length($h->content), 0, "$base HEAD 206 no body";

    # methods
    for my $m (\&POST, \&PUT) {
        my $x = $m->($base, content => 'x');
        is $x->code, 405, "$base: 405 for a write method";
        like $x->header('Allow') // '', qr/GET/, "$base: Allow names GET";
    }
}

# several ranges: multipart/byteranges from httpd's byterange filter
{
    my $r = GET '/videos/random.bin', Range => 'bytes=0-9,100-109,-10';
    is $r->code, 206, 'multi-range: 206';
    like $r->header('Content-Type'), qr{^multipart/byteranges; boundary=},
        'multi-range: multipart/byteranges';
    my $body = $r->content;
    my @parts = $body =~ /Content-Range: bytes (\d+)-(\d+)\/$size\r\n\r\n/gi;
    is scalar(@parts), 6, 'multi-range: three parts';
    my ($ok, $pos) = (1, 0);
    while ($body =~ /Content-Range: bytes (\d+)-(\d+)\/\d+\r\n\r\n/gi) {
        my ($f, $l) = ($1, $2);
        my $chunk = substr($body, pos($body), $l - $f + 1);
        $ok = 0 unless $chunk eq substr($data, $f, $l - $f + 1);
    }
    ok $ok, 'multi-range: every part equals the file bytes';

    # MaxRanges 10 (t/conf/extra.conf.in): more ranges get the whole file
    my $many = join ',', map { ($_ * 10) . '-' . ($_ * 10 + 1) } 0 .. 11;
    my $m = GET '/videos/random.bin', Range => "bytes=$many";
    is $m->code, 200, 'MaxRanges still in force: 200';
    ok $m->content eq $data, 'MaxRanges exceeded: whole file';
}

# the volume cap
{
    my $r = GET '/api/capped?path=random.bin', Range => 'bytes=0-';
    is $r->code, 206, 'cap 1M: 206';
    is $r->header('Content-Range'), "bytes 0-" . ($MiB - 1) . "/$size",
        'cap 1M: truthful Content-Range';
    is length($r->content), $MiB, 'cap 1M: 1 MiB body';
    ok $r->content eq substr($data, 0, $MiB), 'cap 1M: right bytes';

    $r = GET '/api/capped?path=random.bin', Range => "bytes=$MiB-" . (3 * $MiB);
    is $r->header('Content-Range'),
        "bytes $MiB-" . (2 * $MiB - 1) . "/$size", 'cap applies from the start';
    $r = GET '/api/capped?path=random.bin', Range => 'bytes=-100';
    is length($r->content), 100, 'range below the cap untouched';
    $r = GET '/api/capped?path=random.bin';
    is $r->code, 200, 'no Range: 200 whole file despite the cap';
    is length($r->content), $size, 'no Range: all bytes';

    $r = GET '/api/capped-live?path=random.bin', Range => 'bytes=0-';
    is length($r->content), $MiB,
        'BroadcastLiveMaxUpload in the same section keeps BroadcastMaxChunk';

    $r = GET '/api/nocap?path=random.bin', Range => 'bytes=0-';
    is $r->header('Content-Range'), "bytes 0-" . ($size - 1) . "/$size",
        'BroadcastMaxChunk 0: no cap';
    is length($r->content), $size, 'no cap: all bytes';
    # default 8M cap is above this 3 MiB file
    $r = GET '/api/stream?path=random.bin', Range => 'bytes=0-';
    is length($r->content), $size, 'default cap 8M: 3 MiB range whole';
}

# content types from mod_mime (with the streaming fallbacks)
{
    my %want = (
        'sample.mp4' => 'video/mp4',
        'seg0.ts'    => 'video/mp2t',
        'index.m3u8' => 'application/vnd.apple.mpegurl',
        'thing.zzq'  => 'application/octet-stream',
        'noext'      => 'application/octet-stream',
    );
    for my $f (sort keys %want) {
        is GET("/videos/$f")->header('Content-Type'), $want{$f},
            "mapped $f: $want{$f}";
        is GET("/api/stream?path=$f")->header('Content-Type'), $want{$f},
            "query $f: $want{$f}";
    }
}

# caching semantics, as the core gives static files
{
    my $r = GET '/videos/random.bin';
    my ($etag, $lm) = ($r->header('ETag'), $r->header('Last-Modified'));
    my $s = GET '/static/random.bin';
    is $etag, $s->header('ETag'), 'same ETag as the core static handler';

    for my $base ('/videos/random.bin', '/api/stream?path=random.bin') {
        is GET($base, 'If-None-Match' => $etag)->code, 304, "$base If-None-Match: 304";
        is GET($base, 'If-Modified-Since' => $lm)->code, 304, "$base If-Modified-Since: 304";
        is GET($base, 'If-Match' => '"nope"')->code, 412, "$base If-Match failure: 412";
        is GET($base, 'If-Match' => $etag)->code, 200, "$base If-Match success: 200";

        my $x = GET $base, Range => 'bytes=0-9', 'If-Range' => $etag;
        is $x->code, 206, "$base If-Range matching ETag: 206";
        $x = GET $base, Range => 'bytes=0-9', 'If-Range' => '"other"';
        is $x->code, 200, "$base If-Range not matching: 200";
        is length($x->content), $size, "$base If-Range not matching: whole file";
        $x = GET $base, Range => 'bytes=0-9', 'If-Range' => $lm;
        is $x->code, 206, "$base If-Range matching date: 206";
    }
}

# query mode: names, parameters, errors
{
    my $a = slurp(data_dir() . '/videos/movies/a.mp4');
    my $r = GET '/api/stream?path=movies/a.mp4';
    is $r->code, 200, 'nested path';
    ok $r->content eq $a, 'nested path: right file';
    $r = GET '/api/stream?path=movies%2Fa.mp4';
    ok $r->code == 200 && $r->content eq $a, 'encoded slash in the query value is a path separator';
    $r = GET '/api/stream?path=sub+dir/b%20c.mp4';
    is $r->code, 200, 'spaces in names';
    is GET('/api/stream?x=1&path=random.bin&y=2')->code, 200, 'parameter among others';
    is GET('/api/file?file=random.bin')->code, 200, 'BroadcastPathParam file';
    is GET('/api/file?path=random.bin')->code, 400, 'BroadcastPathParam: other name ignored';
    is GET('/api/stream')->code, 400, 'missing parameter: 400';
    is GET('/api/stream?path=')->code, 400, 'empty parameter: 400';
    is GET('/api/stream?path=nope.mp4')->code, 404, 'missing file: 404';
    is GET('/api/stream?path=movies')->code, 404, 'directory: 404';
    is GET('/api/stream?path=fifo')->code, 404, 'fifo (not a regular file): 404';
    is GET('/videos/nope.mp4')->code, 404, 'mapped missing file: 404';
    is GET('/videos/movies/')->code, 404, 'mapped directory: 404';
    is GET('/videos/random.bin/extra')->code, 404, 'mapped path info: 404';
    is GET('/videos/fifo')->code, 404, 'mapped fifo: 404';

    my $e = GET '/api/stream?path=empty.bin';
    is $e->code, 200, 'empty file: 200';
    is $e->header('Content-Length'), 0, 'empty file: Content-Length 0';
    is GET('/api/stream?path=empty.bin', Range => 'bytes=0-')->code, 416,
        'empty file with a range: 416';

    is GET('/api/stream?path=link-in', Range => 'bytes=0-3')->code, 206,
        'symlink inside the root is served';
}

# OPTIONS answered by the core with Allow
{
    my ($st, $head) = raw_request("OPTIONS /videos/random.bin HTTP/1.0\r\n\r\n");
    is $st, 200, 'OPTIONS: 200';
    like $head, qr/^Allow:.*GET/mi, 'OPTIONS: Allow names GET';
}

done_testing();
