# Zero copy, constant memory: serving a 4 GiB file, whole and in ranges,
# does not grow the workers' memory.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(base_url);

my $base = base_url();
my $GiB = 1024 ** 3;
my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';

sub workers_rss_kib {
    open my $pf, '<', $pidfile or die "pid file: $!";
    chomp(my $parent = <$pf>);
    my $sum = 0;
    for my $pid (split ' ', `pgrep -P $parent`) {
        open my $st, '<', "/proc/$pid/status" or next;
        while (<$st>) { $sum += $1 if /^VmRSS:\s+(\d+) kB/ }
    }
    return $sum;
}

sub fetch {
    my ($url, @hdr) = @_;
    my $h = join ' ', map { "-H '$_'" } @hdr;
    my $out = `curl -s -o /dev/null -w '%{http_code} %{size_download}' $h '$url'`;
    return split ' ', $out;
}

# warm up every worker thread's pools with a few ordinary requests
fetch("$base/videos/random.bin") for 1 .. 20;
my $before = workers_rss_kib();
ok $before > 0, "workers' RSS measured ($before KiB)";

my ($code, $bytes) = fetch("$base/videos/huge.bin");
is $code, 200, '4 GiB file: 200';
is $bytes, 4 * $GiB, '4 GiB file: every byte sent';

($code, $bytes) = fetch("$base/api/nocap?path=huge.bin", 'Range: bytes=1073741824-');
is $code, 206, '3 GiB range, no cap: 206';
is $bytes, 3 * $GiB, '3 GiB range: every byte sent';

($code, $bytes) = fetch("$base/api/stream?path=huge.bin", 'Range: bytes=4000000000-');
is $code, 206, 'range past 2^31 with the default cap: 206';
is $bytes, 8 * 1024 * 1024, 'default cap: 8 MiB sent';

my $after = workers_rss_kib();
my $growth = $after - $before;
diag "workers' RSS: $before KiB before, $after KiB after 7 GiB served";
ok $growth < 16 * 1024, "workers' memory flat (grew $growth KiB, limit 16 MiB)";

done_testing();
