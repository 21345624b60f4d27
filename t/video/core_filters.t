# broadcast-video under content-changing output filters (issue 9 section
# 4): the range is cut from what the client gets, as the core cuts it --
# mod_substitute, mod_deflate, mod_bucketeer (httpd-tests' byterange4.t:
# ranges near bucket boundaries) and INCLUDES, in both modes, each answer
# byte for byte the core's for the same file and headers.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Core qw(write_cmp_file same_as_core counted_text);

my $content = counted_text(2000);
write_cmp_file('byteranges.txt', $content);

# mod_substitute: every "0" becomes "ab", so the body grows
(my $subst = $content) =~ s/0/ab/g;
{
    for my $h ('195-204', '0-0', '0-99', '3000-', '-50', '4000-4099',
               "0-9,100-109", "-10,0-1") {
        my ($core, $got) = same_as_core('substitute', 'byteranges.txt',
                                        [ Range => "bytes=$h" ],
                                        "substitute bytes=$h");
        is $core->code, 206, "substitute bytes=$h: the core answers 206";
    }
    # the issue's example: 10 bytes of the substituted body, its length
    my (undef, $got) = same_as_core('substitute', 'byteranges.txt',
                                    [ Range => 'bytes=195-204' ],
                                    'substitute 195-204 again');
    for my $mode (qw(map query)) {
        my $r = $got->{$mode};
        is $r->header('Content-Range'),
            'bytes 195-204/' . length($subst),
            "substitute $mode: Content-Range of the substituted body";
        is $r->content, substr($subst, 195, 10),
            "substitute $mode: the substituted bytes";
    }
    # past the end of the file, inside the longer substituted body
    my ($core) = same_as_core('substitute', 'byteranges.txt',
                              [ Range => 'bytes=' . length($content) . '-' ],
                              'substitute range beyond the raw size');
    is $core->code, 206, 'beyond the raw size, within the body: 206';
    same_as_core('substitute', 'byteranges.txt',
                 [ Range => 'bytes=' . length($subst) . '-' ],
                 'substitute range beyond the body: 416');
    same_as_core('substitute', 'byteranges.txt', [], 'substitute no Range');
    same_as_core('substitute', 'byteranges.txt', [ Range => 'bytes=10-19' ],
                 'substitute HEAD', 'HEAD');
}

# mod_filter's AddOutputFilterByType: the filter is chosen by the media
# type, known only once the handler has set it (text/plain here; text/html
# leaves the body alone)
for my $variant ('bytype', 'bytype-other') {
    for my $h ('195-204', '-50', '0-9,100-109') {
        same_as_core($variant, 'byteranges.txt', [ Range => "bytes=$h" ],
                     "$variant bytes=$h");
    }
    my (undef, $got) = same_as_core($variant, 'byteranges.txt',
                                    [ Range => 'bytes=195-204' ],
                                    "$variant 195-204 again");
    my $want = $variant eq 'bytype' ? substr($subst, 195, 10)
                                    : substr($content, 195, 10);
    is $got->{$_}->content, $want, "$variant ($_): the right 10 bytes"
        for qw(map query);
}

# mod_deflate: ranges of the compressed body, and of the plain one when the
# client does not accept gzip (mod_deflate then steps aside)
for my $ae ([ 'Accept-Encoding' => 'gzip' ], []) {
    my $label = @$ae ? 'gzip' : 'identity';
    for my $h ('0-99', '100-', '-20', '0-9,50-59', '5000-') {
        same_as_core('deflate', 'byteranges.txt',
                     [ @$ae, Range => "bytes=$h" ],
                     "deflate ($label) bytes=$h");
    }
    my ($core) = same_as_core('deflate', 'byteranges.txt',
                              [ @$ae, Range => 'bytes=0-99' ],
                              "deflate ($label) 0-99 again");
    is $core->code, 206, "deflate ($label): the core answers 206";
    is(($core->header('Content-Encoding') // ''), (@$ae ? 'gzip' : ''),
       "deflate ($label): Content-Encoding");
}

# mod_bucketeer (byterange4.t): 0x02 marks where BUCKETEER cuts a bucket
# (and is removed); ranges whose ends fall at and around those boundaries
{
    my $blen = 200;
    my $B = chr 0x02;
    write_cmp_file('bucketeer.txt', join $B, $content =~ /(.{1,$blen})/gs);
    my $clen = length $content;
    my @at = (0, 1, 2, $blen - 2, $blen - 1, $blen, $blen + 1,
              3 * $blen - 2, 3 * $blen - 1, 3 * $blen, 3 * $blen + 1,
              $clen - $blen - 2, $clen - $blen - 1, $clen - $blen,
              $clen - $blen + 1, $clen - 2, $clen - 1);
    my ($n, $bad) = (0, 0);
    for my $s (@at) {
        for my $e (@at) {
            next if $e < $s;
            my ($core, $got) = same_as_core('bucketeer', 'bucketeer.txt',
                                            [ Range => "bytes=$s-$e" ],
                                            "bucketeer bytes=$s-$e");
            my $want = substr($content, $s, $e - $s + 1);
            for my $mode (qw(map query)) {
                $n++;
                $bad++ unless $got->{$mode}->content eq $want;
            }
        }
    }
    is $bad, 0, "bucketeer: all $n ranges are the unmarked text's bytes";
}

# INCLUDES: the parsed page is what ranges apply to
{
    my $page = "<p>" . ('x' x 100) . "<!--#set var=\"w\" value=\"included\" -->"
             . "<!--#echo var=\"w\" --></p>\n" . ('y' x 100) . "\n";
    write_cmp_file('page.txt', $page);
    for my $h ('0-9', '100-119', '-20', '0-4,100-104') {
        same_as_core('includes', 'page.txt', [ Range => "bytes=$h" ],
                     "includes bytes=$h");
    }
    # mod_include passes its output on in pieces: the core's byterange
    # filter steps aside and the whole parsed page goes out as a 200
    my ($core, $got) = same_as_core('includes', 'page.txt',
                                    [ Range => 'bytes=103-110' ],
                                    'includes 103-110');
    is $core->code, 200, 'includes: the core answers 200';
    for my $mode (qw(map query)) {
        my $body = $got->{$mode}->content;
        ok $body =~ /included/ && $body !~ /<!--#/,
            "includes $mode: the parsed page, not the file";
    }
}

# A subrequest (an SSI include of a video URL) sends the whole file: the
# Range header it inherits belongs to the main response
{
    my %inc = (core => '/cmp-core/plain/byteranges.txt',
               map => '/cmp-map/plain/byteranges.txt',
               query => '/cmp-q/plain/?path=byteranges.txt');
    write_cmp_file("inc-$_.txt", "[<!--#include virtual=\"$inc{$_}\" -->]\n")
        for keys %inc;
    for my $h ([], [ Range => 'bytes=0-9' ], [ Range => 'bytes=-5' ]) {
        my $label = @$h ? $h->[1] : 'no Range';
        my $core = Apache::TestRequest::GET('/cmp-core/includes/inc-core.txt', @$h);
        is $core->content, "[$content]\n",
            "include of the core's file ($label): the whole file";
        for my $mode (qw(map query)) {
            my $r = Apache::TestRequest::GET("/cmp-core/includes/inc-$mode.txt", @$h);
            ok $r->code == $core->code && $r->content eq $core->content,
                "include of broadcast-video ($mode, $label): as the core's";
        }
    }
}

# BroadcastMaxChunk where the core cuts: a single range is narrowed to the
# cap on the transformed body, the answer being the core's for the
# narrowed range
{
    my $len = length $subst;
    for my $c ([ '0-',    0,          1023 ],
               [ '100-',  100,        1123 ],
               [ '-2000', $len - 2000, $len - 2000 + 1023 ],
               [ '10-19', 10,         19 ]) {
        my ($h, $f, $l) = @$c;
        my %url;
        my ($core) = same_as_core('substitute', 'byteranges.txt',
                                  [ Range => "bytes=$f-$l" ],
                                  "substitute bytes=$f-$l (the cap's answer)");
        for my $mode (qw(map query)) {
            my $u = $mode eq 'map' ? '/cmp-map/substitute-capped/byteranges.txt'
                                   : '/cmp-q/substitute-capped/?path=byteranges.txt';
            my $r = Apache::TestRequest::GET($u, Range => "bytes=$h");
            is $r->code, 206, "capped substitute $mode bytes=$h: 206";
            is $r->header('Content-Range'), "bytes $f-$l/$len",
                "capped substitute $mode bytes=$h: narrowed to 1K";
            ok $r->content eq $core->content,
                "capped substitute $mode bytes=$h: the core's bytes for $f-$l";
        }
    }
    # several ranges are not capped (as without a filter)
    my ($core, $got) = same_as_core('substitute-capped', 'byteranges.txt',
                                    [ Range => 'bytes=0-1999,3000-4999' ],
                                    'capped substitute, two ranges');
    is $core->code, 206, 'two ranges: 206 multipart';
}

done_testing();
