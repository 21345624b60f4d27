# The recording journal (issue 8 section 5, issue 9 section 3): a cap on
# the segments of a playlist and of a recording (413), only "no such file"
# is an empty journal (any other read error keeps it and fails the upload
# with 500), a torn last line is repaired, concurrent playlist PUTs (threads
# of one child) record every segment exactly once, from the body each PUT
# stored; and the tags of byte-range and dated playlists reach vod.m3u8.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api);
use MB::Test qw(slurp error_log_mark error_log_since);
use MB::Live qw(start_stream stop_stream playlist_uris live_dir);

my ($engine, $port) = @{ (engines())[0] };

# PUT a body (through a file, for curl): (status, body)
sub put_body {
    my ($path, $token, $data) = @_;
    my $f = "$ENV{MB_T_DIR}/state/journal-body.m3u8";
    open my $o, '>', $f or die; print $o $data; close $o;
    open my $fh, '-|', 'curl', '-s', '-o', '-', '-w', '\n%{http_code}', '--max-time', '30',
        '-X', 'PUT', '-H', "Authorization: Bearer $token", '--data-binary', "\@$f",
        "http://127.0.0.1:$port$path"
        or die "curl: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    $out =~ s/\n(\d{3})\z// or return (0, $out);
    return ($1, $out);
}

sub playlist {
    my ($from, $to, %o) = @_;
    my $t = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:$from\n";
    $t .= "#EXTINF:2.000000,\nseg$_.ts\n" for $from .. $to;
    return $t;
}

sub journal_uris {
    my ($id, $name) = @_;
    my $f = live_dir($id) . '/.journal-' . ($name // 'index.m3u8');
    return () unless -e $f;
    return map { chomp(my $l = $_); (split /\t/, $l)[-1] } grep { /\n\z/ } split /(?<=\n)/, slurp($f);
}

# ---- BroadcastLiveMaxSegments (5 on /live-capped) --------------------------
{
    my ($id, $H) = start_stream($port, 'capped');
    my $T = $H->{upload_token};
    my $base = "/live-capped/$id";
    my $mark = error_log_mark();
    my ($st, $body) = put_body("$base/index.m3u8", $T, playlist(0, 5));
    is $st, 413, 'a playlist of 6 segments over a cap of 5: 413';
    like $body, qr/"code":"too_many_segments"/, '... JSON error too_many_segments';
    like $body, qr/BroadcastLiveMaxSegments/, '... that names the directive';
    ok !-e live_dir($id) . '/index.m3u8', '... the playlist is not stored';
    is_deeply [journal_uris($id)], [], '... nothing journaled';
    my $log = error_log_since($mark);
    my @lines = grep { /MB1302/ } split /\n/, $log;
    is scalar(@lines), 1, '... logged once';
    like $lines[0] // '', qr/:info\]/, '... at info (the client\'s fault)';

    ($st) = put_body("$base/index.m3u8", $T, playlist(0, 4));
    is $st, 201, 'a playlist of 5 segments: 201';
    ($st, $body) = put_body("$base/index.m3u8", $T, playlist(3, 5));
    is $st, 413, 'a window that would make the recording list 6: 413';
    like $body, qr/"code":"too_many_segments"/, '... too_many_segments';
    is_deeply [journal_uris($id)], [map { "seg$_.ts" } 0 .. 4], '... the journal keeps its 5';
    like slurp(live_dir($id) . '/index.m3u8'), qr/seg4\.ts\n\z/, '... and the live playlist its last accepted window';
    stop_stream($port, $id);
}

# ---- read errors: only ENOENT is an empty journal --------------------------
{
    my ($id, $H) = start_stream($port, 'errors');
    my $T = $H->{upload_token};
    my $base = "/live/$id";
    my $dir = live_dir($id);
    my $J = "$dir/.journal-index.m3u8";
    my ($st) = put_body("$base/index.m3u8", $T, playlist(0, 2));
    is $st, 201, 'first playlist: 201 (no journal yet: an empty one)';
    is_deeply [journal_uris($id)], [qw(seg0.ts seg1.ts seg2.ts)], '... journaled';
    is api(port => $port, path => "$base/.journal-index.m3u8")->code, 404, 'the journal is not served';

    # EACCES (the children run as nobody)
    my $before = slurp($J);
    chmod 0000, $J or die;
    my $mark = error_log_mark();
    my $body;
    ($st, $body) = put_body("$base/index.m3u8", $T, playlist(1, 3));
    chmod 0644, $J;
    is $st, 500, 'journal unreadable (EACCES): the upload fails with 500';
    like $body, qr/"code":"journal_error"/, '... JSON error journal_error';
    is slurp($J), $before, '... the journal is kept as it was';
    unlike slurp("$dir/index.m3u8"), qr/seg3/, '... and the live playlist too';
    my @lines = grep { /MB1305/ } split /\n/, error_log_since($mark);
    is scalar(@lines), 1, '... one log line';
    like $lines[0] // '', qr/:error\].*Permission denied.*kept as it is/, '... at error, with the cause';

    # over the size cap (a sparse file of 65 MiB)
    truncate $J, 65 * 1024 * 1024 or die;
    ($st) = put_body("$base/index.m3u8", $T, playlist(1, 3));
    is $st, 500, 'journal over its size cap: 500';
    is -s $J, 65 * 1024 * 1024, '... the journal is kept as it was';
    truncate $J, length $before;

    # a torn last line (a crash in the middle of an append) is cut off
    open my $a, '>>', $J or die; print $a "2.000000\t0\t9\t\t\t\tseg9"; close $a;
    ($st) = put_body("$base/index.m3u8", $T, playlist(1, 3));
    is $st, 204, 'after a torn last line: 204';
    is slurp($J), $before . "2.000000\t0\t3\t\t\t\tseg3.ts\n", '... the torn line cut off, seg3 appended';

    # recovered: a readable journal again
    ($st) = put_body("$base/index.m3u8", $T, playlist(2, 4));
    is $st, 204, 'readable again: 204';
    is_deeply [journal_uris($id)], [map { "seg$_.ts" } 0 .. 4], '... every segment once';
    stop_stream($port, $id);
}

# ---- concurrent playlist PUTs: threads and processes ---------------------------
# Each playlist lists 2000 segments in common and one of its own, so that
# every merge takes a while; all are sent at the same moment.
{
    my ($id, $H) = start_stream($port, 'concurrent');
    my $T = $H->{upload_token};
    my ($N, $COMMON) = (40, 20000);
    my $common = join '', map { "#EXTINF:2.000000,\nseg$_.ts\n" } 0 .. $COMMON - 1;
    my @files;
    for my $k (0 .. $N - 1) {
        my $f = "$ENV{MB_T_DIR}/state/journal-body-$k.m3u8";
        open my $o, '>', $f or die;
        print $o "#EXTM3U\n#EXT-X-TARGETDURATION:2\n$common#EXTINF:2.000000,\nown$k.ts\n";
        close $o;
        push @files, $f;
    }
    my $at = time + 2;
    my @pids;
    for my $k (0 .. $N - 1) {
        my $pid = fork // die;
        if ($pid == 0) {
            select undef, undef, undef, 0.01 while time < $at;
            my $code = `curl -s -o /dev/null -w '%{http_code}' --max-time 60 -X PUT -H 'Authorization: Bearer $T' --data-binary '\@$files[$k]' 'http://127.0.0.1:$port/live/$id/index.m3u8'`;
            exit($code eq '201' || $code eq '204' ? 0 : 1);
        }
        push @pids, $pid;
    }
    my $bad = 0;
    for (@pids) { waitpid $_, 0; $bad++ if $? }
    unlink @files;
    is $bad, 0, "$N playlist PUTs at once: all stored";
    my @j = journal_uris($id);
    my %n;
    $n{$_}++ for @j;
    is_deeply [sort keys %n], [sort((map { "seg$_.ts" } 0 .. $COMMON - 1), map { "own$_.ts" } 0 .. $N - 1)],
        '... every segment journaled';
    is scalar(grep { $n{$_} > 1 } keys %n), 0, '... none twice (' . scalar(@j) . ' lines)';
    stop_stream($port, $id);
}

# ---- tags of byte-range and dated playlists reach the recording ----------------
{
    my ($id, $H) = start_stream($port, 'tags');
    my $T = $H->{upload_token};
    my $pl = "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n"
           . "#EXT-X-PROGRAM-DATE-TIME:2026-12-01T21:00:00.000Z\n"
           . "#EXTINF:2.0,\n#EXT-X-BYTERANGE:3\@0\nall.ts\n"
           . "#EXTINF:2.0,\n#EXT-X-BYTERANGE:3\nall.ts\n"
           . "#EXT-X-DISCONTINUITY\n#EXTINF:2.0,\nnext.ts\n";
    put_body("/live/$id/all.ts", $T, 'abcdef');
    put_body("/live/$id/next.ts", $T, 'xyz');
    my ($st) = put_body("/live/$id/index.m3u8", $T, $pl);
    is $st, 201, 'a byte-range playlist: 201';
    is stop_stream($port, $id), 200, 'stop';
    my $vod = api(port => $port, path => "/live/$id/vod.m3u8")->content;
    like $vod, qr/^#EXT-X-VERSION:4$/m, 'vod: version 4 (byte ranges)';
    like $vod, qr/#EXT-X-PROGRAM-DATE-TIME:2026-12-01T21:00:00\.000Z\n#EXTINF:2\.000000,\n#EXT-X-BYTERANGE:3\@0\nall\.ts\n#EXTINF:2\.000000,\n#EXT-X-BYTERANGE:3\@3\nall\.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2\.000000,\nnext\.ts\n/,
        'vod: date, both sub-ranges (offsets explicit), discontinuity';
}

done_testing();
