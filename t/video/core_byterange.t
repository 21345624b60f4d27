# Apache's own byterange tests (httpd-tests t/apache/byterange.t,
# byterange3.t, byterange5.t, byterange6.t, byterange7.t: the same
# assertions, our own code) against broadcast-video in both modes, every
# answer also compared byte for byte with the core's for the same file.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(data_dir slurp);
use MB::Core qw(write_cmp_file same_as_core counted_text);

my $text = counted_text(2000);          # 4000 bytes
my $long = counted_text(10000);         # 40000 bytes
write_cmp_file('byteranges.txt', $text);
write_cmp_file('long.txt', $long);
write_cmp_file('sample.mp4', slurp(data_dir() . '/videos/sample.mp4'));
my %content = ('byteranges.txt' => $text, 'long.txt' => $long,
               'sample.mp4' => slurp(data_dir() . '/videos/sample.mp4'));

# "plain": no settings of its own (the server's MaxRanges 10 applies)
sub both { same_as_core('plain', @_) }

# A multipart/byteranges body: its parts as [first, last, bytes]; undef when
# it does not parse (boundary lines, part headers, final boundary).
sub parts {
    my ($r) = @_;
    my ($b) = ($r->header('Content-Type') // '')
        =~ m{^multipart/byteranges; boundary=(.+)$} or return;
    my $body = $r->content;
    my @p;
    while ($body =~ s{^\s*--\Q$b\E\r\n(.+?)\r\n\r\n}{}s) {
        my $h = $1;
        my ($f, $l) = $h =~ m{^Content-range: bytes (\d+)-(\d+)/\d+$}mi
            or return;
        push @p, [ $f, $l, substr($body, 0, $l - $f + 1, '') ];
    }
    return $body =~ /^\s*--\Q$b\E--\s*$/ ? \@p : undef;
}

# byterange.t and byterange3.t: download each file by ranges of 8193 bytes
# (plain, then as four overlapping ranges the server merges into one) and
# add up what Content-Range says was sent.
for my $merge (0, 1) {
    for my $file (sort keys %content) {
        my $wanted = length $content{$file};
        for my $mode (qw(map query)) {
            my ($total, $ok, $same) = (0, 1, 1);
            while ($total < $wanted) {
                my $end = $total + 8192;
                $end = $wanted if $end > $wanted;
                my $range = "bytes=$total-$end";
                if ($merge && $end - $total >= 15) {
                    $range = sprintf 'bytes=%d-%d,%d-%d,%d-%d,%d-%d',
                        $total + 5, $end, $total, $end - 1,
                        $total + 5, $end - 10, $total, $end - 1;
                }
                my $u = $mode eq 'map' ? "/cmp-map/plain/$file"
                                       : "/cmp-q/plain/?path=$file";
                my $r = Apache::TestRequest::GET($u, Range => $range);
                my $c = Apache::TestRequest::GET("/cmp-core/plain/$file",
                                                 Range => $range);
                $same = 0 unless $r->code == $c->code
                    && ($r->header('Content-Range') // '')
                       eq ($c->header('Content-Range') // '')
                    && $r->content eq $c->content;
                my $cr = $r->header('Content-Range') // 'NONE';
                if ($cr =~ m{^bytes\s+(\d+)-(\d+)/(\d+)}) {
                    $ok = 0 unless $r->content
                        eq substr($content{$file}, $1, $2 - $1 + 1);
                    $total += $2 - $1 + 1;
                }
                elsif ($total == 0 && $end == $wanted && $r->code == 200) {
                    $total += $wanted;
                }
                else {
                    diag "$u $range: $cr";
                    $ok = 0;
                    last;
                }
            }
            my $what = $merge ? 'merged ranges' : 'ranges';
            ok $ok && $total == $wanted,
                "byterange: $file in $what ($mode): all $wanted bytes";
            ok $same, "byterange: $file in $what ($mode): as the core";
        }
    }
}

# byterange5.t: several ranges, in any order, as multipart/byteranges
my $clen = length $text;
for my $h ('0-1,1000-1001', '1000-1100,100-200', '1000-1100,100-200,2000-2200',
           '1000-1100,100-200,2000-', '3000-,100-200,2000-2200') {
    my (undef, $got) = both('byteranges.txt', [ Range => "bytes=$h" ],
                            "byterange5 bytes=$h");
    for my $mode (qw(map query)) {
        my $p = parts($got->{$mode});
        my @want = map { /^(\d+)-(\d*)$/; [ $1, $2 eq '' ? $clen - 1 : $2 ] }
                   split /,/, $h;
        ok $p && !grep({ my $w = $_;
                         !grep { $_->[0] <= $w->[0] && $_->[1] >= $w->[1] } @$p }
                       @want)
              && !grep({ $_->[2] ne substr($text, $_->[0], $_->[1] - $_->[0] + 1) } @$p),
            "byterange5 bytes=$h ($mode): every range, the right bytes";
    }
}

# Single ranges the handler cuts itself: the core's answer, in both modes
# (GET and HEAD, with If-Range matching and not)
{
    my ($c) = both('long.txt', [], 'no Range');
    my ($etag, $lm) = ($c->header('ETag'), $c->header('Last-Modified'));
    for my $h ('bytes=0-0', 'bytes=0-1', 'bytes=100-199', 'bytes=-500',
               'bytes=39000-', 'bytes=10-999999', 'BYTES=5-6', 'bytes=0-',
               'bytes=-99999', 'bytes=0-1,', 'bytes=40001-', 'bytes=200-100',
               'pages=0-1', 'bytes=0-1,,5-6') {
        both('long.txt', [ Range => $h ], "single '$h'");
        both('long.txt', [ Range => $h ], "single '$h' HEAD", 'HEAD');
        both('long.txt', [ Range => $h, 'If-Range' => $etag ],
             "single '$h' If-Range ETag");
        both('long.txt', [ Range => $h, 'If-Range' => $lm ],
             "single '$h' If-Range date");
        both('long.txt', [ Range => $h, 'If-Range' => '"other"' ],
             "single '$h' If-Range other");
    }
}

# HEAD with several ranges: the headers of the 206 multipart answer, as
# the core's (the module sent no body to the byterange filter, so 200)
for my $h ('0-1,1000-1001', '0-100,70-100,1000-1001', '0-1,-1') {
    my ($core) = both('byteranges.txt', [ Range => "bytes=$h" ],
                      "HEAD bytes=$h", 'HEAD');
    is $core->code, 206, "HEAD bytes=$h: the core answers 206";
}

# byterange6.t: overlapping ranges merge (what the answer must cover)
my @merges = (
    [ '0-100,70-100,1000-1001', '0-100,1000-1001' ],
    [ '0-90,70-100,1000-1001', '0-100,1000-1001' ],
    [ '0-70,70-100,1000-1001', '0-100,1000-1001' ],
    [ '1-100,70-100,1000-1001', '1-100,1000-1001' ],
    [ '1-90,70-100,1000-1001', '1-100,1000-1001' ],
    [ '0-100,70-100,1000-1001,5-6', '0-100,1000-1001,5-6' ],
    [ '0-90,70-100,1000-1001,5-6', '0-100,1000-1001,5-6' ],
    [ '0-70,70-100,1000-1001,5-6', '0-100,1000-1001,5-6' ],
    [ '1-100,70-100,1000-1001,5-6', '1-100,1000-1001,5-6' ],
    [ '1-90,70-100,1000-1001,5-6', '1-100,1000-1001,5-6' ],
    [ '1-70,70-100,1000-1001', '1-100,1000-1001' ],
    [ '1-70,71-100,1000-1001', '1-100,1000-1001' ],
    [ '1-70,69-100,1000-1001', '1-100,1000-1001' ],
    [ '1-70,0-100,1000-1001', '0-100,1000-1001' ],
    [ '0-70,72-100,1000-1001', '0-70,72-100,1000-1001' ],
    [ '1-70,1-100,1000-1001', '1-100,1000-1001' ],
    [ '1-70,2-100,1000-1001', '1-100,1000-1001' ],
    [ '0-100,0-99,1000-1001', '0-100,1000-1001' ],
    [ '0-100,0-100,1000-1001', '0-100,1000-1001' ],
    [ '0-100,0-101,1000-1001', '0-101,1000-1001' ],
    [ '0-100,1-99,1000-1001', '0-100,1000-1001' ],
    [ '0-100,1-100,1000-1001', '0-100,1000-1001' ],
    [ '0-100,1-101,1000-1001', '0-101,1000-1001' ],
    [ '0-100,50-99,1000-1001', '0-100,1000-1001' ],
    [ '0-100,50-100,1000-1001', '0-100,1000-1001' ],
    [ '0-100,50-101,1000-1001', '0-101,1000-1001' ],
    [ '1-10,1-9,99-99', '1-10,99-99' ],
    [ '1-10,1-10,99-99', '1-10,99-99' ],
    [ '1-10,1-11,99-99', '1-11,99-99' ],
    [ '1-10,0-9,99-99', '0-10,99-99' ],
    [ '1-10,0-10,99-99', '0-10,99-99' ],
    [ '1-10,0-11,99-99', '0-11,99-99' ],
    [ '1-10,0-12,99-99', '0-12,99-99' ],
    [ '1-10,0-13,99-99', '0-13,99-99' ],
    [ '1-10,2-11,99-99', '1-11,99-99' ],
    [ '1-10,2-12,99-99', '1-12,99-99' ],
    [ '1-10,2-13,99-99', '1-13,99-99' ],
    [ '1-11,1-10,99-99', '1-11,99-99' ],
    [ '1-9,1-10,99-99', '1-10,99-99' ],
    [ '0-11,1-10,99-99', '0-11,99-99' ],
    [ '10-20,1-9,99-99', '1-20,99-99' ],
    [ '10-20,1-10,99-99', '1-20,99-99' ],
    [ '10-20,1-11,99-99', '1-20,99-99' ],
    [ '10-20,1-21,99-99', '1-21,99-99' ],
    [ '5-10,11-12,99-99', '5-12,99-99' ],
    [ '5-10,1-4,99-99', '1-10,99-99' ],
    [ '5-10,1-3,99-99', '5-10,1-3,99-99' ],
    [ '0-1,-1', '0-1,-1' ],                        # PR 51748
);
for my $m (@merges) {
    my ($h, $like) = @$m;
    my (undef, $got) = both('byteranges.txt', [ Range => "bytes=$h" ],
                            "byterange6 bytes=$h");
    my @want = map { /^(\d*)-(\d*)$/;
                     $1 eq '' ? [ $clen - $2, $clen - 1 ]
                              : [ $1, $2 eq '' ? $clen - 1 : $2 ] }
               split /,/, $like;
    for my $mode (qw(map query)) {
        my $p = parts($got->{$mode});
        ok $p && !grep({ my $w = $_;
                         !grep { $_->[0] <= $w->[0] && $_->[1] >= $w->[1] } @$p }
                       @want)
              && !grep({ $_->[2] ne substr($text, $_->[0], $_->[1] - $_->[0] + 1) } @$p),
            "byterange6 bytes=$h ($mode): acts like $like";
    }
}

# byterange7.t: Content-Length of (multi)range answers, invalid headers,
# unsatisfiable ranges
for my $num (1, 2, 10) {                # MaxRanges 10 on this server
    my $h = join ',', map { ($_ * 100) . '-' . ($_ * 100 + 1) } 0 .. $num - 1;
    my (undef, $got) = both('long.txt', [ Range => "bytes=$h" ],
                            "byterange7 $num ranges");
    for my $mode (qw(map query)) {
        my $r = $got->{$mode};
        my $cl = $r->header('Content-Length');
        ok $r->code == 206 && length($r->content) != length($long)
              && (!defined $cl || $cl == length $r->content),
            "byterange7 $num ranges ($mode): 206, parts only, true length";
    }
}
for my $h ('', ',', '7-1', 'foo', '1-4,x', '1-4,5-2', '100000-110000,5-2') {
    for my $v ($h, "bytes=$h") {
        my (undef, $got) = both('long.txt', [ Range => $v ],
                                "byterange7 invalid '$v'");
        ok $got->{$_}->code == 200 && $got->{$_}->content eq $long,
            "byterange7 invalid '$v' ($_): 200, whole file" for qw(map query);
    }
}
for my $c ([ '100000-110000', 416 ], [ '100000-110000,200000-', 416 ],
           [ '1000-200000', 206 ], [ '100000-110000,1000-2000', 206 ],
           [ '100000-110000,2000-1000', 200 ]) {
    my ($h, $want) = @$c;
    my (undef, $got) = both('long.txt', [ Range => "bytes=$h" ],
                            "byterange7 bytes=$h");
    is $got->{$_}->code, $want, "byterange7 bytes=$h ($_): $want"
        for qw(map query);
}

# Where the handler cuts a single range itself it follows RFC 9110 where
# the core's parser does not (docs/video.md, "Behaviour"): pinned here, the
# core's answer beside ours, so that a change of either is seen.
write_cmp_file('empty.txt', '');
for my $c (
    # file, Range, the core's status, ours
    [ 'byteranges.txt', 'bytes=-0', 200, 416 ],            # suffix of 0 bytes
    [ 'byteranges.txt', 'bytes=99999999999999999999-', 200, 416 ],
    [ 'byteranges.txt', 'bytes=0-99999999999999999999', 200, 206 ],
    [ 'byteranges.txt', 'bytes= 0-9', 200, 206 ],          # whitespace
    [ 'empty.txt', 'bytes=0-', 200, 416 ],                  # empty file
) {
    my ($file, $h, $core_st, $ours) = @$c;
    my $core = Apache::TestRequest::GET("/cmp-core/plain/$file", Range => $h);
    is $core->code, $core_st, "$file '$h': the core answers $core_st";
    for my $u ("/cmp-map/plain/$file", "/cmp-q/plain/?path=$file") {
        is Apache::TestRequest::GET($u, Range => $h)->code, $ours,
            "$u '$h': broadcast-video answers $ours";
    }
}

done_testing();
