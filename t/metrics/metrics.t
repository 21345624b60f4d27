# broadcast-metrics (issue 13 section 3): real requests with curl (video
# ranges, an error, the API's start and stop on both storages, uploads,
# live playback by three viewers, a database that is down), then the
# scrape: every counter moved by exactly what the test sent, the text is
# strict Prometheus text format 0.0.4, mod_status's page shows the same
# values, and a graceful restart keeps every counter (children of both
# generations count into the same shared table).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Time::HiRes qw(sleep time);
use lib 't/lib';
use MB::API qw(api form note_secret);
use MB::Test qw(slurp);

my $port    = Apache::Test::vars('port');
my $api     = $ENV{MB_API_PORT_SQLITE} // die 'run through t/run-suite';
my $nodb    = $ENV{MB_API_PORT_NODB};
my $base    = "http://127.0.0.1:$port";
my $pidfile = Apache::Test::vars('t_logs') . '/httpd.pid';
my $seg     = Apache::Test::vars('serverroot') . '/data/videos/seg0.ts';
my $segsize = -s $seg;

# ---- a strict parser of the text format ---------------------------------
my $NAME  = qr/[a-zA-Z_:][a-zA-Z0-9_:]*/;
my $LNAME = qr/[a-zA-Z_][a-zA-Z0-9_]*/;
my $LVAL  = qr/"(?:[^"\\\n]|\\[\\"n])*"/;
my $VALUE = qr/[+-]?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|Inf|NaN)/;

# Returns ({ 'name{labels}' => value }, [errors]).
sub parse_prom {
    my ($text) = @_;
    my (%v, %type, %help, @err);
    push @err, 'does not end in a newline' unless $text =~ /\n\z/;
    for my $line (split /\n/, $text) {
        if ($line =~ /^# HELP ($NAME) (.*)$/) {
            push @err, "second HELP for $1" if $help{$1}++;
        }
        elsif ($line =~ /^# TYPE ($NAME) (counter|gauge|histogram|summary|untyped)$/) {
            push @err, "second TYPE for $1" if $type{$1};
            $type{$1} = $2;
        }
        elsif ($line =~ /^#/) {
            push @err, "comment that is neither HELP nor TYPE: $line";
        }
        elsif ($line =~ /^($NAME)(?:\{((?:$LNAME=$LVAL)(?:,$LNAME=$LVAL)*)?\})? ($VALUE)$/) {
            my ($name, $labels, $value) = ($1, $2 // '', $3);
            my $family = $name;
            $family =~ s/_(?:bucket|sum|count)$// unless $type{$name};
            my $t = $type{$name} // $type{$family};
            push @err, "$name has no TYPE before it" unless $t;
            push @err, "counter $name does not end in _total"
                if ($t // '') eq 'counter' && $name !~ /_total$/;
            my $key = $labels eq '' ? $name : "$name\{$labels}";
            push @err, "$key twice" if exists $v{$key};
            $v{$key} = $value;
        }
        else {
            push @err, "not a sample: $line";
        }
    }
    # histograms: cumulative buckets, +Inf equal to _count
    for my $h (grep { $type{$_} eq 'histogram' } keys %type) {
        my @b = map { /^\Q$h\E_bucket\{le="([^"]+)"\}$/ ? [$1, $v{$_}] : () } sort keys %v;
        my ($inf) = grep { $_->[0] eq '+Inf' } @b;
        push @err, "$h: no +Inf bucket" unless $inf;
        push @err, "$h: +Inf is not _count"
            unless $inf && defined $v{"${h}_count"} && $inf->[1] == $v{"${h}_count"};
        my @fin = sort { $a->[0] <=> $b->[0] } grep { $_->[0] ne '+Inf' } @b;
        for my $i (1 .. $#fin) {
            push @err, "$h: buckets not cumulative" if $fin[$i][1] < $fin[$i - 1][1];
        }
    }
    return (\%v, \@err);
}

sub curl {
    my (@args) = @_;
    my $out = `curl -s -o /dev/null -w '%{http_code} %{size_download}' @args`;
    return split ' ', $out;
}

sub scrape {
    my $ctype = `curl -s -o /dev/null -w '%{content_type}' $base/metrics`;
    my $text = `curl -s $base/metrics`;
    my ($v, $err) = parse_prom($text);
    return ($v, $err, $ctype, $text);
}

# the difference of two scrapes, for the keys of interest
sub delta { my ($a, $b, $k) = @_; ($b->{$k} // 0) - ($a->{$k} // 0) }

sub req { "broadcast_requests_total{handler=\"broadcast-$_[0]\",code=\"$_[1]\"}" }
sub sent { "broadcast_sent_bytes_total{handler=\"broadcast-$_[0]\"}" }

# the watch log has written what was queued
sub settled {
    for (1 .. 100) {
        my ($v) = scrape();
        return $v if ($v->{broadcast_watch_log_rows_queued} // 1) == 0;
        sleep 0.1;
    }
    return (scrape())[0];
}

sub children {
    my $pid = slurp($pidfile); chomp $pid;
    my @c = grep { chomp; length } `pgrep -P $pid`;
    return @c;
}

# ---- the format itself --------------------------------------------------
my ($v0, $err0, $ctype) = scrape();
is $ctype, 'text/plain; version=0.0.4', 'Content-Type of the text format 0.0.4';
is_deeply $err0, [], 'the text parses as Prometheus text format';
ok defined $v0->{broadcast_sts_duration_seconds_count}, 'the STS latency histogram is there';
my $t = time;        # (the MPM keeps two: t/conf/httpd.conf.in)
sleep 0.2 while time - $t < 20 && children() < 2;
cmp_ok scalar(children()), '>=', 2, 'several child processes serve the suite';
$v0 = settled();

# ---- requests ----------------------------------------------------------
# video: 20 ranges, each over its own connection, and 3 misses
my $bytes = 0;
my $ok206 = 0;
for my $i (0 .. 19) {
    my ($from, $to) = ($i * 1000, $i * 1000 + 99 + $i);
    my ($code, $n) = curl('-r', "$from-$to", "$base/videos/random.bin");
    $ok206++ if $code == 206 && $n == $to - $from + 1;
    $bytes += $n;
}
is $ok206, 20, '20 video ranges answered';
my $miss = 0;
for my $i (1 .. 3) {      # their error pages are bytes sent too
    my ($code, $n) = curl("$base/videos/no-such-$i.mp4");
    $miss++ if $code == 404;
    $bytes += $n;
}
is $miss, 3, '3 misses';

# the API on local storage: start (a stream), 3 uploads, stop
my $r = api(port => $api, method => 'POST', user => 'alice', path => '/local/start',
            body => form(name => 'metrics'));
is $r->code, 200, 'local stream started';
my $id = $r->{json}{stream}{id};
my $H = $r->{json}{endpoint}{HTTP};
note_secret($H->{upload_token});
(my $dirurl = $H->{playlist_url}) =~ s{/[^/]*$}{};
my $put = grep { (curl('-T', $seg, '-H', "'Authorization: Bearer $H->{upload_token}'",
                       "$dirurl/seg$_.ts"))[0] == 201 } 0 .. 2;
is $put, 3, '3 segments uploaded';

# live playback by 3 viewers (addresses the watch-sqlite.test host trusts
# from X-Forwarded-For), 7 requests
my @viewers = ('203.0.113.1', '203.0.113.2', '203.0.113.3');
my ($live_ok, $live_bytes) = (0, 0);
for my $i (0 .. 6) {
    my ($code, $n) = curl('-H', "'Host: watch-sqlite.test'", '-H',
                          "'X-Forwarded-For: $viewers[$i % 3]'",
                          "$base/live/$id/seg" . ($i % 3) . '.ts');
    $live_ok++ if $code == 200 && $n == $segsize;
    $live_bytes += $n;
}
is $live_ok, 7, '7 live playback requests answered';

# STS: a stream on S3 storage, started and stopped
my $s3 = api(port => $api, method => 'POST', user => 'alice', path => '/stream/start');
is $s3->code, 200, 'S3 stream started (one STS call)';
note_secret($s3->{json}{credentials}{SecretAccessKey} // '');
note_secret($s3->{json}{credentials}{SessionToken} // '');
is api(port => $api, method => 'POST', user => 'alice', path => '/stream/stop',
       body => form(id => $s3->{json}{stream}{id}))->code, 200, 'S3 stream stopped';
is api(port => $api, method => 'POST', user => 'alice', path => '/local/stop',
       body => form(id => $id))->code, 200, 'local stream stopped';
# an STS that is down (connection refused): 502, an STS error
is api(port => $api, method => 'POST', user => 'alice', path => '/down/start')->code,
   502, 'STS down: 502';
# a database that cannot be opened: one error per request
is api(port => $nodb, method => 'POST', user => 'alice', path => '/local/start')->code,
   503, 'no database: 503';

my $v1 = settled();
my %want = (
    req('video', '2xx') => 20, req('video', '4xx') => 3,
    sent('video') => $bytes,
    req('live', '2xx') => 3 + 7,
    sent('live') => $live_bytes,
    req('api', '2xx') => 4, req('api', '5xx') => 2,
    broadcast_uploads_total => 3,
    broadcast_uploaded_bytes_total => 3 * $segsize,
    broadcast_live_streams_started_total => 2,
    broadcast_live_streams_stopped_total => 2,
    broadcast_sts_calls_total => 2,
    broadcast_sts_errors_total => 1,
    broadcast_sts_duration_seconds_count => 2,
    broadcast_database_errors_total => 1,
    broadcast_watch_log_rows_written_total => 7,   # only watch-sqlite.test logs
    broadcast_watch_log_rows_dropped_total => 0,
    "broadcast_live_requests_total{stream=\"$id\"}" => 7,
    "broadcast_live_sent_bytes_total{stream=\"$id\"}" => 7 * $segsize,
);
for my $k (sort keys %want) {
    is delta($v0, $v1, $k), $want{$k}, "$k moved by $want{$k}";
}
is $v1->{"broadcast_live_viewers{stream=\"$id\"}"}, 3, 'the stream has 3 current viewers';
is delta($v0, $v1, 'broadcast_sts_duration_seconds_bucket{le="+Inf"}'), 2,
   'both STS calls in the histogram';
is $v1->{broadcast_watch_log_rows_queued}, 0, 'nothing left in the watch log queues';

# ---- mod_status shows the same counters ----------------------------------
my %auto = map { /^(.*): (\S+)$/ ? ($1 => $2) : () } split /\n/, `curl -s '$base/server-status?auto'`;
my ($v2) = scrape();     # the values once more (server-status is not ours)
my @same = grep { ($auto{$_} // 'none') eq $v2->{$_} }
           grep { !/broadcast-metrics/ } keys %$v2;
is scalar(@same), scalar(grep { !/broadcast-metrics/ } keys %$v2),
   'server-status?auto shows every counter with the value broadcast-metrics shows';
like `curl -s '$base/server-status'`, qr{<td>broadcast_uploads_total</td><td>\d+</td>},
     'the HTML page has them too';

# ---- a graceful restart keeps counting -----------------------------------
my %before = map { $_ => 1 } children();
my $pid = slurp($pidfile); chomp $pid;
ok kill('USR1', $pid), 'graceful restart';
my $t0 = time;
sleep 0.2 while time - $t0 < 30 && grep { $before{$_} } children();
ok !grep({ $before{$_} } children()), 'every child is of the new generation';
sleep 0.2 while time - $t0 < 30 && !scrape();
my ($v3, $err3) = scrape();
is_deeply $err3, [], 'still valid text after the restart';
for my $k (grep { !/broadcast-metrics|_viewers/ } sort keys %want) {
    is delta($v1, $v3, $k), 0, "$k kept across the restart";
}
my ($code) = curl('-r', '0-9', "$base/videos/random.bin");
my ($v4) = scrape();
is delta($v3, $v4, req('video', '2xx')), 1, 'and counts on';
is delta($v0, $v4, sent('video')), $bytes + 10, 'bytes too';

# ---- a database that fails a watch log batch -----------------------------
# another process holds SQLite's write lock (as t/watch/outage.t does):
# the one row of one playback request is dropped, one database error
my $wdb = Apache::Test::vars('serverroot') . '/data/db/watch.sqlite';
my @nobody = $> == 0 ? ('runuser', '-u', 'nobody', '--') : ();
open my $locker, '|-', @nobody, 'sqlite3', $wdb or die "sqlite3: $!";
$locker->autoflush(1);
print $locker ".timeout 5000\nBEGIN EXCLUSIVE;\n";
my $locked;
for (1 .. 50) {
    last if (system("@nobody sqlite3 '$wdb' 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null") >> 8) != 0
            && ($locked = 1);
    sleep 0.1;
}
ok $locked, 'the watch log database is locked';
($code) = curl('-H', "'Host: watch-sqlite.test'", "$base/live/$id/seg0.ts");
is $code, 200, 'playback is not held up by the database';
my $v5 = settled();
print $locker "COMMIT;\n";
close $locker;
is delta($v4, $v5, 'broadcast_watch_log_rows_dropped_total'), 1, 'its watch log row was dropped';
is delta($v4, $v5, 'broadcast_watch_log_rows_written_total'), 0, 'and not written';
is delta($v4, $v5, 'broadcast_database_errors_total'), 1, 'one database error';

done_testing();
