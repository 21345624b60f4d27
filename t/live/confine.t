# Live playback is confined to the stream's own directory (issue 8 §7): a
# symlink in stream A's directory must not serve stream B's files, nor may
# a stream directory that is a symlink to another's; symlinks that stay in
# the stream's directory keep working.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(raw_request);
use File::Path qw(remove_tree make_path);
use IO::Socket::INET;

my $LIVE = "$ENV{MB_T_DIR}/data/live";
my $A = '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d';
my $B = '7d6c5b4a-3f2e-4d1c-8b0a-6f5e4d3c2b1a';
my $C = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';   # a symlink to B's directory
remove_tree("$LIVE/$A", "$LIVE/$B");
unlink "$LIVE/$C";
make_path("$LIVE/$A", "$LIVE/$B");
sub spew {
    my ($path, $data) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $data;
    close $fh;
}
spew("$LIVE/$A/seg0.ts", 'A' x 2000);
spew("$LIVE/$B/seg0.ts", 'STREAM-B ' x 200);
spew("$LIVE/$B/index.m3u8", "#EXTM3U\n#EXTINF:4.0,\nseg0.ts\n# STREAM-B\n");
symlink("../$B/seg0.ts", "$LIVE/$A/b.ts");             # into B: refused
symlink("../$B/index.m3u8", "$LIVE/$A/index.m3u8");     # B's playlist: refused
symlink("$LIVE/$B/seg0.ts", "$LIVE/$A/babs.ts");       # absolute, into B
symlink('seg0.ts', "$LIVE/$A/alias.ts");                # inside A: served
symlink("$LIVE/$A/seg0.ts", "$LIVE/$A/aabs.ts");       # absolute, inside A
symlink($B, "$LIVE/$C");                                 # C is B
system('chmod', '-R', 'a+rX', "$LIVE/$A", "$LIVE/$B") == 0 or die;

my $port = $ENV{MB_API_PORT_SQLITE};
sub get {
    my ($path, $range) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 10)
        or die "connect: $!";
    binmode $s;
    print $s "GET $path HTTP/1.0\r\nHost: x\r\n"
           . ($range ? "Range: $range\r\n" : '') . "\r\n";
    my $resp = do { local $/; <$s> } // '';
    my ($head, $body) = split /\r\n\r\n/, $resp, 2;
    my ($st) = ($head // '') =~ m{^HTTP/1\.\d (\d{3})};
    return ($st // 0, $body // '');
}

my ($st, $body) = get("/live/$B/seg0.ts");
is $st, 200, "B's own segment from B's URL: 200";

for my $case ([ "/live/$A/b.ts",       'a relative symlink into B' ],
              [ "/live/$A/index.m3u8", "a symlink to B's playlist" ],
              [ "/live/$A/babs.ts",    'an absolute symlink into B' ],
              [ "/live/$C/seg0.ts",    "a stream directory that is a symlink to B's" ]) {
    my ($path, $label) = @$case;
    ($st, $body) = get($path);
    is $st, 404, "$label: 404";
    unlike $body, qr/STREAM-B/, "$label: nothing of B's";
}

($st, $body) = get("/live/$A/alias.ts");
is $st, 200, 'a symlink inside the stream directory: 200';
is $body, 'A' x 2000, "... with A's segment";
($st, $body) = get("/live/$A/aabs.ts", 'bytes=10-19');
is $st, 206, 'an absolute symlink inside the stream directory, a range: 206';
is $body, 'A' x 10, '... with the asked bytes';

remove_tree("$LIVE/$A", "$LIVE/$B");
unlink "$LIVE/$C";
done_testing();
