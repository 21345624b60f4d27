# BroadcastLiveQuota (issue 8, section 6), on both engines: a stream's files
# may hold at most so many bytes (64K at /live-quota, t/conf/api-locations.inc);
# 507 quota_exceeded beyond it, by Content-Length before the body is read or
# counted while a chunked body arrives; an overwrite counts the difference;
# DELETE gives the space back.  The count is a running one (<dir>/.usage),
# right with many concurrent uploads across the server's children.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form note_secret);
use File::Temp qw(tempdir);
use IO::Socket::INET;

my $LIVE = "$ENV{MB_T_DIR}/data/live";
my $QUOTA = 64 * 1024;
my $tmp = tempdir(CLEANUP => 1);

sub start_local {
    my ($port) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/start',
                body => form(name => 'quota'));
    die 'start: ' . $r->code unless $r->code == 200;
    note_secret($r->{json}{endpoint}{HTTP}{upload_token});
    return ($r->{json}{stream}{id}, $r->{json}{endpoint}{HTTP}{upload_token});
}

sub bytes_file {
    my ($n) = @_;
    my $f = "$tmp/$n.bin";
    unless (-e $f) { open my $fh, '>', $f or die; print $fh 'q' x $n; close $fh }
    return $f;
}

# (status, body, headers) of a PUT/DELETE through curl
sub req {
    my ($port, $method, $path, $token, %o) = @_;
    my @cmd = ('curl', '-s', '-D', "$tmp/h", '-o', "$tmp/b", '-w', '%{http_code}',
               '--max-time', '20', '-X', $method, '-H', "Authorization: Bearer $token");
    push @cmd, '--data-binary', '@' . bytes_file($o{size}) if defined $o{size};
    push @cmd, '-H', 'Transfer-Encoding: chunked' if $o{chunked};
    open my $fh, '-|', @cmd, "http://127.0.0.1:$port$path" or die "curl: $!";
    my $code = do { local $/; <$fh> };
    close $fh;
    my $slurp = sub { open my $h, '<', $_[0] or return ''; local $/; my $d = <$h>; $d // '' };
    return (0 + ($code || 0), $slurp->("$tmp/b"), $slurp->("$tmp/h"));
}

sub usage { open my $fh, '<', "$LIVE/$_[0]/.usage" or return undef; my $v = <$fh>; chomp $v; $v }
sub on_disk {
    my ($id) = @_;
    opendir my $d, "$LIVE/$id" or die;
    my $sum = 0;
    $sum += -s "$LIVE/$id/$_" for grep { /^[A-Za-z0-9_-][A-Za-z0-9._-]*\z/ && -f "$LIVE/$id/$_" } readdir $d;
    return $sum;
}

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my ($id, $T) = start_local($port);
    my $base = "/live-quota/$id";

    my ($st, $body, $head) = req($port, 'PUT', "$base/a.ts", $T, size => 30000);
    is $st, 201, "[$engine] 30000 bytes: 201";
    ($st) = req($port, 'PUT', "$base/b.ts", $T, size => 30000);
    is $st, 201, "[$engine] 60000 bytes: 201";
    is usage($id), 60000, "[$engine] the running count";

    ($st, $body, $head) = req($port, 'PUT', "$base/c.ts", $T, size => 10000);
    is $st, 507, "[$engine] over the quota (Content-Length): 507";
    like $body, qr/"code":"quota_exceeded"/, "[$engine] ... JSON error quota_exceeded";
    like $head, qr/^Connection: close\r$/mi, "[$engine] ... refused before the body: connection closed";
    ($st, $body) = req($port, 'PUT', "$base/c.ts", $T, size => 10000, chunked => 1);
    is $st, 507, "[$engine] over the quota (chunked): 507";
    like $body, qr/"code":"quota_exceeded"/, "[$engine] ... JSON error quota_exceeded";
    ok !-e "$LIVE/$id/c.ts", "[$engine] ... nothing stored";

    # an overwrite counts the difference
    ($st) = req($port, 'PUT', "$base/a.ts", $T, size => 35000);
    is $st, 204, "[$engine] overwrite 30000 with 35000 (65000 in all): 204";
    ($st) = req($port, 'PUT', "$base/a.ts", $T, size => 36000, chunked => 1);
    is $st, 507, "[$engine] overwrite with 36000 (66000 in all): 507";
    is -s "$LIVE/$id/a.ts", 35000, "[$engine] ... the previous version stays";
    ($st) = req($port, 'PUT', "$base/a.ts", $T, size => 1000);
    is $st, 204, "[$engine] overwrite with a smaller file: 204";
    is usage($id), 31000, "[$engine] ... counted";

    # DELETE gives the space back
    ($st) = req($port, 'DELETE', "$base/b.ts", $T);
    is $st, 204, "[$engine] DELETE: 204";
    is usage($id), 1000, "[$engine] ... its space given back";
    ($st) = req($port, 'PUT', "$base/c.ts", $T, size => 60000);
    is $st, 201, "[$engine] ... and used again: 201";
    is usage($id), on_disk($id), "[$engine] the count is what the directory holds";

    # many concurrent uploads (both children), 1000 bytes each: exactly as
    # many fit as the quota allows, and the count stays exact
    my ($id2, $T2) = start_local($port);
    my $f = bytes_file(1000);
    my $list = "$tmp/urls";
    open my $fh, '>', $list or die;
    print $fh "http://127.0.0.1:$port/live-quota/$id2/s$_.ts\n" for 1 .. 100;
    close $fh;
    my @codes = `xargs -P 16 -n 1 curl -s -o /dev/null -w '%{http_code}\\n' --max-time 20 -X PUT -H 'Authorization: Bearer $T2' --data-binary \@$f < $list`;
    chomp @codes;
    my %n;
    $n{$_}++ for @codes;
    is $n{201} // 0, int($QUOTA / 1000), "[$engine] 100 concurrent uploads: exactly 65 fit";
    is $n{507} // 0, 100 - int($QUOTA / 1000), "[$engine] ... the other 35 get 507";
    is usage($id2), on_disk($id2), "[$engine] ... the count is what the directory holds";
    ok on_disk($id2) <= $QUOTA, "[$engine] ... and within the quota";

    # twelve uploads of 8000 bytes that are all under way at once (their
    # headers and half their bodies sent before any ends): each saw room
    # when it began, yet only 8 fit (64000 of 65536)
    {
        my ($id3, $T3) = start_local($port);
        my @s;
        for my $i (1 .. 12) {
            my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port)
                or die "connect: $!";
            $s->autoflush(1);
            print $s "PUT /live-quota/$id3/p$i.ts HTTP/1.1\r\nHost: x\r\n"
                   . "Authorization: Bearer $T3\r\nContent-Length: 8000\r\n"
                   . "Connection: close\r\n\r\n" . ('p' x 4000);
            push @s, $s;
        }
        select undef, undef, undef, 1;
        print $_ 'p' x 4000 for @s;
        my %got;
        for my $s (@s) {
            my $resp = do { local $/; <$s> } // '';
            my ($code) = $resp =~ m{^HTTP/1\.1 (\d{3})};
            $got{$code // 0}++;
        }
        is $got{201} // 0, 8, "[$engine] 12 uploads under way at once: exactly 8 fit";
        is $got{507} // 0, 4, "[$engine] ... the other 4 get 507";
        is usage($id3), on_disk($id3), "[$engine] ... the count is what the directory holds";
        is on_disk($id3), 64000, "[$engine] ... 64000 bytes";
    }

    my @del = `ls $LIVE/$id2 | grep '^s' | head -20 | sed 's#^#http://127.0.0.1:$port/live-quota/$id2/#' | xargs -P 16 -n 1 curl -s -o /dev/null -w '%{http_code}\\n' -X DELETE -H 'Authorization: Bearer $T2'`;
    is scalar(grep { /204/ } @del), 20, "[$engine] 20 concurrent DELETEs";
    is usage($id2), on_disk($id2), "[$engine] ... the count is still exact";
}

done_testing();
