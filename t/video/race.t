# The symlink race (issue 8 §2): someone who can write inside the root swaps
# a file with a symlink to a file outside it (renameat2 RENAME_EXCHANGE, in
# a loop, by build/swap-race) while a client asks for the file, thousands of
# times, in both video modes and in live playback.  Not one answer may
# carry a byte from outside; and the attack must really have run: some
# answers are the file inside, some are refusals.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(data_dir hostport);
use File::Path qw(remove_tree make_path);
use IO::Socket::INET;
use Time::HiRes qw(time);

my $D = data_dir();
my $SWAP = 'build/swap-race';
ok -x $SWAP, 'the attacker helper is built (make helpers)' or BAIL_OUT('no build/swap-race');

my $N = 2000;           # requests per scenario
my $LIMIT = 60;         # seconds per scenario, at most
my $SECRET = 'MB-SECRET-race outside the root';

sub spew {
    my ($path, $data) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $data;
    close $fh;
}

# ---- fixtures, made fresh each run, readable by the server's children
my $R = "$D/videos/race";
my $OUT = "$D/race-out";
remove_tree($R, $OUT);
make_path("$R/d", $OUT);
spew("$OUT/f.bin", "$SECRET\n" x 64);
spew("$R/a.bin", 'I' x 4096);                   # the file inside ...
symlink('../../race-out/f.bin', "$R/s.bin");     # ... and the way out
spew("$R/d/f.bin", 'J' x 4096);                 # a directory inside ...
symlink('../../race-out', "$R/dl");              # ... and one outside

my $LIVE = "$ENV{MB_T_DIR}/data/live";
my $A = '5e0c1f2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
remove_tree("$LIVE/$A");
make_path("$LIVE/$A");
spew("$LIVE/$A/seg.ts", 'K' x 4096);
symlink('../../race-out/f.bin', "$LIVE/$A/x.ts");
system('chmod', '-R', 'a+rX', $R, $OUT, "$LIVE/$A") == 0 or die;

# ---- a client on a kept-alive connection: (status, body) per request
my %conn;
sub get {
    my ($hostport, $path, $host) = @_;
    for my $try (1, 2) {
        my $s = $conn{$hostport} //= IO::Socket::INET->new(
            PeerAddr => $hostport, Proto => 'tcp', Timeout => 10)
            or die "connect $hostport: $!";
        print $s "GET $path HTTP/1.1\r\nHost: $host\r\n\r\n";
        my $buf = '';
        my ($head, $len);
        while (1) {
            if (!defined $head && $buf =~ /\r\n\r\n/) {
                ($head, $buf) = split /\r\n\r\n/, $buf, 2;
                ($len) = $head =~ /^Content-Length:\s*(\d+)/mi;
                $len //= 0;
            }
            last if defined $head && length($buf) >= $len;
            my $n = sysread($s, my $chunk, 65536);
            last unless $n;
            $buf .= $chunk;
        }
        if (!defined $head) {           # closed by the server: reconnect
            delete $conn{$hostport};
            next;
        }
        delete $conn{$hostport} if $head =~ /^Connection:\s*close/mi;
        my ($st) = $head =~ m{^HTTP/1\.\d (\d{3})};
        return ($st, $buf);
    }
    die "no answer from $hostport for $path";
}

# before the attack: what each name gives when nothing moves
my $main = hostport();
my $api = "127.0.0.1:$ENV{MB_API_PORT_SQLITE}";
my @calm = (
    [ $main, '/api/stream?path=race/a.bin',  200 ],
    [ $main, '/api/stream?path=race/s.bin',  403 ],
    [ $main, '/api/stream?path=race/d/f.bin', 200 ],
    [ $main, '/api/stream?path=race/dl/f.bin', 403 ],
    [ $main, '/videos/race/a.bin',           200 ],
    [ $main, '/videos/race/s.bin',           403 ],
    [ $api,  "/live/$A/seg.ts",              200 ],
    [ $api,  "/live/$A/x.ts",                404 ],
);
for my $c (@calm) {
    my ($hp, $path, $want) = @$c;
    my ($st, $body) = get($hp, $path, '127.0.0.1');
    is $st, $want, "no race: $path answers $want";
    unlike $body, qr/MB-SECRET/, "no race: $path sends nothing from outside";
}

# the server's children and how many descriptors each holds
sub child_fds {
    my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
    open my $fh, '<', $pidfile or die "$pidfile: $!";
    chomp(my $parent = <$fh>);
    my %fds;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $s, '<', $stat or next;
        my $line = <$s> // next;
        my ($pid, $ppid) = $line =~ /^(\d+) \(.*\) \S+ (\d+)/ or next;
        next unless $ppid == $parent;
        opendir my $d, "/proc/$pid/fd" or next;
        $fds{$pid} = scalar grep { /^\d+$/ } readdir $d;
    }
    return \%fds;
}
my $fds_before = child_fds();
ok scalar(keys %$fds_before) > 0, 'the server\'s children are found';

# ---- the attack, scenario by scenario
my @scenarios = (
    [ 'query mode, file swapped with a symlink',
      $main, '/api/stream?path=race/a.bin', 'I', "$R/a.bin", "$R/s.bin" ],
    [ 'query mode, directory swapped with a symlink',
      $main, '/api/stream?path=race/d/f.bin', 'J', "$R/d", "$R/dl" ],
    [ 'mapped mode, file swapped with a symlink',
      $main, '/videos/race/a.bin', 'I', "$R/a.bin", "$R/s.bin" ],
    [ 'mapped mode, directory swapped with a symlink',
      $main, '/videos/race/d/f.bin', 'J', "$R/d", "$R/dl" ],
    [ 'live playback, segment swapped with a symlink',
      $api, "/live/$A/seg.ts", 'K', "$LIVE/$A/seg.ts", "$LIVE/$A/x.ts" ],
);
for my $sc (@scenarios) {
    my ($label, $hp, $path, $inside, @pair) = @$sc;
    my $pid = open(my $sw, '-|', $SWAP, $LIMIT + 5, @pair)
        or die "cannot start $SWAP: $!";
    my ($sent, $leaks, $inside_ok, $refused, $other) = (0, 0, 0, 0, 0);
    my $end = time() + $LIMIT;
    while ($sent < $N && time() < $end) {
        my ($st, $body) = get($hp, $path, '127.0.0.1');
        $sent++;
        if ($body =~ /MB-SECRET/) { $leaks++ }
        elsif ($st == 200 && $body eq $inside x 4096) { $inside_ok++ }
        elsif ($st == 403 || $st == 404) { $refused++ }
        else { $other++ }
    }
    kill 'TERM', $pid;
    my $swaps = <$sw>;
    close $sw;
    # back to the calm state for the next scenario (an even number of swaps)
    if (-l $pair[0]) {
        system("$SWAP 0 @pair >/dev/null") == 0 or die;
    }
    chomp($swaps //= 0);
    note "$label: $sent requests, $swaps exchanges, $inside_ok served, "
       . "$refused refused, $leaks leaks, $other other";
    ok $swaps > 0, "$label: the attacker ran";
    ok $inside_ok > 0 && $refused > 0,
        "$label: both states were seen ($inside_ok served, $refused refused)";
    is $leaks, 0, "$label: zero answers carry a byte from outside (of $sent)";
    is $other, 0, "$label: every answer is the file or a refusal";
}

# ten thousand answers later, refusals and races included: no descriptor
# left open (the connections closed, a child holds what it held before)
%conn = ();
select undef, undef, undef, 0.5;
my $fds_after = child_fds();
for my $pid (sort keys %$fds_before) {
    next unless exists $fds_after->{$pid};
    cmp_ok $fds_after->{$pid}, '<=', $fds_before->{$pid} + 4,
        "child $pid: no descriptor leaked ($fds_before->{$pid} before, "
      . "$fds_after->{$pid} after)";
}

remove_tree($R, $OUT, "$LIVE/$A");
done_testing();
