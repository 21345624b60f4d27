# Slow uploaders against the live ingest (issue 8, section 4): sixteen
# clients that trickle their PUT bodies -- to streams that do not exist
# without a token, to a real stream with a wrong token, and genuine
# uploads with the right token -- must not starve the API, the status page
# and other uploads of database connections (the virtual host has fewer
# than there are slow clients: t/conf/ingest-vhost.inc).  A refused upload
# is answered at once and its connection closed, without waiting for the
# body; a genuine upload that arrives too slowly is cut by mod_reqtimeout
# (408) and leaves nothing behind.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(api form note_secret);
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(time sleep);

$SIG{PIPE} = 'IGNORE';
my $port = $ENV{MB_API_PORT_INGEST} // die "MB_API_PORT_INGEST is not set (run t/run-suite)";
my $LIVE = "$ENV{MB_T_DIR}/data/live";

my $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/start',
            body => form(name => 'slow uploaders'));
is $r->code, 200, 'start a stream';
my $id = $r->{json}{stream}{id};
my $T = $r->{json}{endpoint}{HTTP}{upload_token};
note_secret($T);

sub uuid4 {
    my @b = map { int rand 256 } 1 .. 16;
    $b[6] = ($b[6] & 0x0f) | 0x40;
    $b[8] = ($b[8] & 0x3f) | 0x80;
    my $h = join '', map { sprintf '%02x', $_ } @b;
    return join '-', unpack 'A8 A4 A4 A4 A12', $h;
}

# curl with a one-second bound: the status code, 0 when it took longer
sub within_a_second {
    my @args = @_;
    open my $fh, '-|', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}',
        '--max-time', '1', @args or die "curl: $!";
    my $code = do { local $/; <$fh> };
    close $fh;
    return 0 + ($code || 0);
}

sub trickle;

# ---- sixteen slow uploaders, each announcing 100000 bytes.  The first
# (genuine) one keeps a worker busy for a moment, so that httpd starts its
# second child (MinSpareThreads) and the others spread over both children.
my @slow;
for my $i (reverse 0 .. 15) {
    my ($kind, $path, $token) =
        $i < 6  ? ('unknown stream', '/live/' . uuid4() . "/x$i.ts", undef)
      : $i < 10 ? ('wrong token', "/live/$id/w$i.ts", 'f' x 64)
      :           ('genuine', "/live/$id/slow$i.ts", $T);
    trickle(2) if $i == 14;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp') or die "connect: $!";
    binmode $s;
    $s->autoflush(1);
    syswrite $s, "PUT $path HTTP/1.1\r\nHost: api_ingest\r\n"
        . ($token ? "Authorization: Bearer $token\r\n" : '')
        . "Content-Length: 100000\r\n\r\nX";
    push @slow, { sock => $s, kind => $kind, path => $path, sent => time,
                  resp => '', eof => 0 };
}

# one more byte every 0.25 s to each; gather what the server answers
sub trickle {
    my ($seconds, $until) = @_;
    my $end = time + $seconds;
    my $sel = IO::Select->new(map { $_->{sock} } grep { !$_->{eof} } @slow);
    my %of = map { ($_->{sock} => $_) } @slow;
    my $next = 0;
    while (time < $end && $sel->count) {
        if (time >= $next) {
            syswrite $_->{sock}, 'X' for grep { !$_->{eof} && !length $_->{resp} } @slow;
            $next = time + 0.25;
        }
        for my $s ($sel->can_read(0.05)) {
            my $u = $of{$s};
            my $n = sysread $s, my $buf, 65536;
            if ($n) {
                $u->{answered} //= time;
                $u->{resp} .= $buf;
            }
            else {
                $u->{eof} = time;
                $sel->remove($s);
            }
        }
        last if $until && $until->();
    }
}

trickle(1.5);

# ---- refused uploads: answered at once, the connection closed, the body not waited for
for my $u (grep { $_->{kind} ne 'genuine' } @slow) {
    my ($st) = $u->{resp} =~ m{^HTTP/1\.1 (\d{3})};
    is $st // 0, 401, "$u->{kind} ($u->{path}): 401 while the body still trickles";
    ok defined $u->{answered} && $u->{answered} - $u->{sent} < 1,
        "... answered within a second of the headers";
    like $u->{resp}, qr/^Connection: close\r$/mi, '... with Connection: close';
    ok $u->{eof}, '... and the connection closed (the rest of the body is not read)';
}
is scalar(grep { length $_->{resp} } grep { $_->{kind} eq 'genuine' } @slow), 0,
    'the genuine slow uploads are still being read';

# ---- meanwhile: the API, the status page and another upload answer
for my $try (1 .. 3) {
    is within_a_second('-u', 'alice:alice-pw', "http://127.0.0.1:$port/local/$id"), 200,
        "the API answers within a second ($try)";
    is within_a_second('-u', 'alice:alice-pw', "http://127.0.0.1:$port/status?format=json"), 200,
        "the status page answers within a second ($try)";
    is within_a_second('-X', 'PUT', '-H', "Authorization: Bearer $T", '--data-binary', "fast $try",
                       "http://127.0.0.1:$port/live/$id/fast$try.ts"), 201,
        "a genuine upload answers within a second ($try)";
}

# ---- mod_reqtimeout cuts the genuine ones that arrive too slowly
trickle(12, sub { !grep { !$_->{eof} } @slow });
for my $u (grep { $_->{kind} eq 'genuine' } @slow) {
    my ($st) = $u->{resp} =~ m{^HTTP/1\.1 (\d{3})};
    is $st // 0, 408, "too slow ($u->{path}): cut with 408";
    like $u->{resp}, qr/"code":"timeout"/, '... JSON error timeout';
    ok $u->{eof}, '... connection closed';
    (my $name = $u->{path}) =~ s{.*/}{};
    ok !-e "$LIVE/$id/$name", '... nothing stored';
}
opendir my $d, "$LIVE/$id" or die "$LIVE/$id: $!";
my @files = sort grep { !/^\.\.?\z/ } readdir $d;
is_deeply [grep { /^\.upload-/ } @files], [], 'no temporary file left behind';
is_deeply [grep { /\.ts\z/ } @files], [qw(fast1.ts fast2.ts fast3.ts)], 'only the fast uploads are stored';
close $_->{sock} for @slow;

done_testing();
