package MB::Core;
# broadcast-video compared with the core's static handler: the same file,
# the same settings, the same request headers (t/conf/byterange.conf.in).
use strict;
use warnings;
use Exporter 'import';
use File::Path qw(make_path);
use Test::More ();
use Apache::TestRequest qw(GET HEAD);
use MB::Test qw(data_dir);

our @EXPORT_OK = qw(write_cmp_file cmp_urls same_as_core counted_text);

# The headers that must be equal (besides the status and the body).
my @HEADERS = qw(Content-Range Content-Type Content-Length Content-Encoding
                 ETag Last-Modified Accept-Ranges Vary);

# httpd-tests' byteranges.txt: "0001" .. "NNNN", 4 bytes each.
sub counted_text {
    my ($n) = @_;
    return join '', map { sprintf '%04d', $_ } 1 .. $n;
}

# Write data/videos/cmp/NAME (atomically, with an old mtime so that its
# validators are strong), unless it already holds exactly that.
sub write_cmp_file {
    my ($name, $content) = @_;
    my $dir = data_dir() . '/videos/cmp';
    my $path = "$dir/$name";
    make_path($dir);
    if (-f $path && -s _ == length $content) {
        open my $in, '<:raw', $path or die "$path: $!";
        local $/;
        my $old = <$in>;
        return $path if defined $old && $old eq $content;
    }
    my $tmp = "$path.tmp.$$";
    open my $fh, '>:raw', $tmp or die "$tmp: $!";
    print $fh $content;
    close $fh or die "$tmp: $!";
    utime 1735689600, 1735689600, $tmp;     # 2025-01-01 00:00:00 UTC
    rename $tmp, $path or die "rename $tmp: $!";
    chmod 0644, $path;
    return $path;
}

sub cmp_urls {
    my ($variant, $file) = @_;
    return (core  => "/cmp-core/$variant/$file",
            map   => "/cmp-map/$variant/$file",
            query => "/cmp-q/$variant/?path=$file");
}

# One test per mode (mapped, query): broadcast-video's answer equals the
# core's, status, headers above and body byte for byte.  Returns the core's
# answer and the modes' answers (mode => response) for further checks.
sub same_as_core {
    my ($variant, $file, $headers, $name, $method) = @_;
    my %url = cmp_urls($variant, $file);
    my $send = ($method // 'GET') eq 'HEAD' ? \&HEAD : \&GET;
    my $core = $send->($url{core}, @$headers);
    my %got;
    for my $mode (qw(map query)) {
        my $r = $got{$mode} = $send->($url{$mode}, @$headers);
        my @diff;
        push @diff, 'status ' . $r->code . ' (core ' . $core->code . ')'
            if $r->code != $core->code;
        # A 416 is an error page; where the handler answers it itself it
        # adds "Content-Range: bytes */size" (RFC 9110 15.5.17), which the
        # core's byterange filter leaves out: the status must agree.
        if ($r->code == 416 && $core->code == 416) {
            Test::More::ok(1, "$name: $mode mode answers 416 as the core");
            next;
        }
        for my $h (@HEADERS) {
            my ($a, $b) = ($r->header($h), $core->header($h));
            push @diff, "$h: " . ($a // '(none)') . ' (core '
                        . ($b // '(none)') . ')'
                if ($a // "\0") ne ($b // "\0");
        }
        if ($r->content ne $core->content) {
            push @diff, sprintf 'body: %d bytes (core %d)',
                                length $r->content, length $core->content;
        }
        Test::More::ok(!@diff, "$name: $mode mode answers as the core")
            or Test::More::diag(join "\n", "  $url{$mode}", @diff);
    }
    return ($core, \%got);
}

1;
