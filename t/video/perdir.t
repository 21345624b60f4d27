# Query mode under the file's own per-directory configuration (issue 8 §3):
# /api/stream?path=perdir/... must meet the <Directory>, <Files> and
# .htaccess rules of the file's real path, exactly as the mapped
# /videos/perdir/... does (t/conf/extra.conf.in).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(data_dir raw_request);
use File::Path qw(remove_tree make_path);
use MIME::Base64 qw(encode_base64);

my $P = data_dir() . '/videos/perdir';
remove_tree($P);
make_path(map { "$P/$_" } qw(ht members etag httype nosendfile));
sub spew {
    my ($path, $data) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $data;
    close $fh;
}
spew("$P/open.bin", 'O' x 1000);
spew("$P/big.bin", 'B' x (1 << 20));
spew("$P/nosendfile/big.bin", 'N' x (1 << 20));
spew("$P/ht/x.bin", 'H' x 1000);
spew("$P/ht/.htaccess", "Require all denied\n");
spew("$P/members/x.bin", 'M' x 1000);
spew("$P/film.secret", 'S' x 1000);
spew("$P/etag/x.bin", 'E' x 1000);
spew("$P/httype/x.bin", 'T' x 1000);
spew("$P/httype/.htaccess", "AddType video/x-mb-test .bin\nBroadcastMaxChunk 100\n");
symlink('members/x.bin', "$P/to-members");   # inside the root, into members
system('chmod', '-R', 'a+rX', $P) == 0 or die;

sub get {
    my ($url, $user) = @_;
    my $auth = $user ? 'Authorization: Basic '
                       . encode_base64("$user:$user-pw", '') . "\r\n" : '';
    return raw_request("GET $url HTTP/1.0\r\nHost: x\r\n$auth\r\n");
}
sub header {
    my ($head, $name) = @_;
    my ($v) = $head =~ /^\Q$name\E:\s*(.*?)\r?$/mi;
    return $v;
}

# each case in both modes: (file below perdir, user, status, body letter)
my @cases = (
    [ 'open.bin',       undef,   200, 'O', 'no rule: served' ],
    [ 'ht/x.bin',       undef,   403, '',  '.htaccess Require all denied' ],
    [ 'members/x.bin',  undef,   401, '',  '<Directory> Require user alice, no credentials' ],
    [ 'members/x.bin',  'bob',   401, '',  '<Directory> Require user alice, as bob' ],
    [ 'members/x.bin',  'alice', 200, 'M', '<Directory> Require user alice, as alice' ],
    [ 'film.secret',    undef,   403, '',  '<Files "*.secret"> Require all denied' ],
);
for my $c (@cases) {
    my ($file, $user, $want, $letter, $label) = @$c;
    for my $url ("/api/stream?path=perdir/$file", "/videos/perdir/$file") {
        my ($st, $head, $body) = get($url, $user);
        is $st, $want, "$label: $url answers $want";
        if ($want == 200) {
            is $body, $letter x 1000, "$label: $url sends the file";
        }
        else {
            unlike $body, qr/[HMS]{1000}/, "$label: $url sends none of it";
        }
        if ($want == 401) {
            like header($head, 'WWW-Authenticate') // '', qr/^Basic realm="members"/,
                "$label: $url challenges for the file's realm";
        }
    }
}

# a <Location> around the query location that grants all does not lift
# the file's own rules
for my $c ([ 'ht/x.bin', 403 ], [ 'members/x.bin', 401 ], [ 'film.secret', 403 ],
           [ 'open.bin', 200 ]) {
    my ($file, $want) = @$c;
    my ($st) = get("/perdir-api/stream?path=perdir/$file");
    is $st, $want, "under <Location /perdir-api> Require all granted: $file answers $want";
}

# the rules of the real path: a symlink inside the root that leads into
# members/ meets members' rules in query mode
{
    my ($st) = get('/api/stream?path=perdir/to-members');
    is $st, 401, 'a symlink into members/: the target directory\'s rules apply (401)';
    ($st) = get('/api/stream?path=perdir/to-members', 'alice');
    is $st, 200, 'a symlink into members/: alice gets it';
}

# per-directory settings of the file, not only its access rules
for my $url ('/api/stream?path=perdir/etag/x.bin', '/videos/perdir/etag/x.bin') {
    my ($st, $head) = get($url);
    is $st, 200, "FileETag None: $url answers 200";
    ok !defined header($head, 'ETag'), "FileETag None: $url has no ETag";
}
for my $url ('/api/stream?path=perdir/open.bin', '/videos/perdir/open.bin') {
    my ($st, $head) = get($url);
    like header($head, 'ETag') // '', qr{^(W/)?"}, "default FileETag: $url has an ETag";
}
for my $url ('/api/stream?path=perdir/httype/x.bin', '/videos/perdir/httype/x.bin') {
    my ($st, $head) = get($url);
    is header($head, 'Content-Type'), 'video/x-mb-test',
        ".htaccess AddType: $url has the directory's media type";
}

# BroadcastMaxChunk from the file's .htaccess caps a range in both modes
for my $url ('/api/stream?path=perdir/httype/x.bin', '/videos/perdir/httype/x.bin') {
    my ($st, $head, $body) = raw_request("GET $url HTTP/1.0\r\nHost: x\r\nRange: bytes=0-\r\n\r\n");
    is $st, 206, ".htaccess BroadcastMaxChunk 100: $url answers 206";
    is header($head, 'Content-Range'), 'bytes 0-99/1000',
        ".htaccess BroadcastMaxChunk 100: $url sends 100 bytes";
}

# EnableSendfile of the file's directory: watch the children's system
# calls (strace) while each file is sent
sub sendfile_calls {
    my ($url) = @_;
    my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
    open my $fh, '<', $pidfile or die "$pidfile: $!";
    chomp(my $parent = <$fh>);
    my @tids;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $s, '<', $stat or next;
        my ($pid, $ppid) = (<$s> // '') =~ /^(\d+) \(.*\) \S+ (\d+)/ or next;
        push @tids, map { m{/(\d+)$} } glob "/proc/$pid/task/*" if $ppid == $parent;
    }
    my $out = "$ENV{MB_T_DIR}/state/strace.out";
    unlink $out, "$out.err";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        open STDERR, '>', "$out.err" or die;
        exec 'strace', '-f', '-e', 'trace=sendfile', '-o', $out,
             map { ('-p', $_) } @tids;
        die "strace: $!";
    }
    # wait until strace has attached to every thread (at most 20 s)
    for (1 .. 200) {
        my $err = -e "$out.err" ? do { local (@ARGV, $/) = "$out.err"; <> } : '';
        my $n = () = $err =~ /attached/g;
        last if $n >= @tids;
        select undef, undef, undef, 0.1;
    }
    my ($st, $head, $body) = get($url);
    kill 'INT', $pid;
    waitpid $pid, 0;
    my $trace = -e $out ? do { local (@ARGV, $/) = $out; <> } : '';
    my $n = () = $trace =~ /sendfile/g;
    return ($st, length $body, $n);
}
for my $case ([ '/api/stream?path=perdir/big.bin', 1 ],
              [ '/videos/perdir/big.bin', 1 ],
              [ '/api/stream?path=perdir/nosendfile/big.bin', 0 ],
              [ '/videos/perdir/nosendfile/big.bin', 0 ]) {
    my ($url, $want) = @$case;
    my ($st, $len, $n) = sendfile_calls($url);
    is $st, 200, "$url: 200";
    is $len, 1 << 20, "$url: the whole file";
    if ($want) {
        cmp_ok $n, '>', 0, "$url: sent with sendfile (EnableSendfile On)";
    }
    else {
        is $n, 0, "$url: no sendfile (the directory's EnableSendfile Off)";
    }
}

# the location's own rules still apply on top (AND): /api/private wants
# alice, members/ wants alice
{
    my ($st) = get('/api/private?path=perdir/members/x.bin', 'bob');
    is $st, 401, '/api/private as bob: refused by the location';
    ($st) = get('/api/private?path=perdir/members/x.bin', 'alice');
    is $st, 200, '/api/private as alice: both rules pass';
    ($st) = get('/api/private?path=perdir/ht/x.bin', 'alice');
    is $st, 403, '/api/private as alice, .htaccess deny: 403';
}

remove_tree($P);
done_testing();
