# The broadcast-status page: the same data as JSON and as a self-contained
# HTML page, read from SQLite and from PostgreSQL, and what a person sees
# of it in a real browser (headless Chromium).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use File::Temp qw(tempdir);
use JSON::PP ();
use MIME::Base64 qw(encode_base64);
use POSIX qw(strftime);
use Time::HiRes qw(time sleep);
use lib 't/lib';
use MB::Test qw(slurp);
use MB::Watch qw(engines vhost watch_request sql wait_count tag quote);

my $live   = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';   # t/conf/extra.conf.in
my $old    = 'ffffffff-0000-4000-8000-000000000000';
my $name   = q{Evening <news> & "more"};
my $alice  = 'Basic ' . encode_base64('alice:alice-pw', '');
my $bob    = 'Basic ' . encode_base64('bob:bob-pw', '');
my $evil   = '<img src=x onerror=alert(1)>';
my $json   = JSON::PP->new;

sub status {
    my ($engine, $query, %h) = @_;
    return watch_request($engine, "/status$query", Authorization => $alice,
                         %h);
}

sub status_json {
    my ($engine, $query) = @_;
    my $r = status($engine, $query);
    is $r->code, 200, "$engine: $query answered";
    is $r->header('Content-Type'), 'application/json',
       "$engine: $query is JSON";
    return eval { $json->decode($r->content) } || {};
}

for my $engine (engines()) {
    # the broadcast API's table: one live stream, one stopped
    my $started = int(time() - 90);
    my $start = strftime('%Y-%m-%d %H:%M:%S', gmtime $started);
    my $stop_us = int((time() - 3600) * 1e6);
    sql($engine, "DELETE FROM mb_stream WHERE id IN ('$live', '$old')");
    sql($engine, "DELETE FROM watch_log WHERE stream_id = '$live'");
    sql($engine, "INSERT INTO mb_stream (id, name, owner, s3_path, is_live, "
               . "start_us) VALUES ('$live', " . quote($name) . ", 'carol', "
               . "'carol/$live/', 1, ${started}000000)");
    sql($engine, "INSERT INTO mb_stream (id, name, owner, s3_path, is_live, "
               . "start_us, stop_us) VALUES ('$old', 'Yesterday', 'alice', "
               . "'alice/$old/', 0, $stop_us, $stop_us)");

    # three watch requests of the live stream by two viewers, one of them
    # with a user agent that is markup
    my $tag = tag("status-$engine");
    my @who = ([ $alice, "$tag a1" ], [ $alice, "$tag a2" ],
               [ $bob, "$tag $evil" ]);
    for my $w (@who) {
        my $r = watch_request($engine, '/api/live2?path=seg0.ts',
                              Authorization => $w->[0],
                              Range => 'bytes=0-99', 'User-Agent' => $w->[1]);
        is $r->code, 206, "$engine: a viewer of the live stream";
    }
    is wait_count($engine, "user_agent LIKE " . quote("$tag %"), 3, 10), 3,
       "$engine: the three requests are logged";

    # ---- JSON --------------------------------------------------------------
    my $r;
    my $d = status_json($engine, "?format=json&stream=$live");
    my ($s) = grep { $_->{id} eq $live } @{ $d->{live}{streams} || [] };
    ok $s, "$engine: the live stream is listed";
    is $s->{name}, $name, "$engine: its name";
    is $s->{owner}, 'carol', "$engine: its owner";
    is $s->{start_date}, $start, "$engine: its start";
    ok $s->{duration_seconds} >= 89 && $s->{duration_seconds} < 300,
       "$engine: its duration ($s->{duration_seconds} s)";
    is $s->{viewers}, 2, "$engine: two viewers in the last minutes";
    is $s->{requests}, 3, "$engine: three requests";
    ok !grep({ $_->{id} eq $old } @{ $d->{live}{streams} }),
       "$engine: a stopped stream is not live";
    is $d->{live}{error}, undef, "$engine: no error reading streams";
    is_deeply $d->{filters}, { path => undef, user => undef,
                               stream => $live, token_id => undef },
              "$engine: filters echoed";
    is_deeply [ @{ $d->{period} }{qw(requests viewers bytes)} ], [ 3, 2, 300 ],
       "$engine: totals of the period";
    is_deeply $d->{period}{most_watched},
        [ { path => 'seg0.ts', requests => 3, viewers => 2, bytes => 300 } ],
        "$engine: most watched files";
    my $per_minute = $d->{chart}{per_minute} || [];
    my $sum = 0;
    $sum += $_ for @$per_minute;
    is scalar @$per_minute, 60, "$engine: 60 minutes in the chart";
    is $sum, 3, "$engine: the chart counts the three requests";
    my @rows = @{ $d->{log}{rows} || [] };
    is scalar @rows, 3, "$engine: three log rows";
    is_deeply [ map { $_->{user} } @rows ], [qw(bob alice alice)],
       "$engine: newest first";
    is_deeply [ map { "$_->{stream_id} $_->{status} $_->{bytes} "
                      . ($_->{authenticated} ? 1 : 0) } @rows ],
              [ ("$live 206 100 1") x 3 ], "$engine: row fields";
    is $rows[0]{user_agent}, "$tag $evil", "$engine: user agent as sent";

    $d = status_json($engine, "?format=json&stream=$live&per_page=2");
    is scalar @{ $d->{log}{rows} }, 2, "$engine: page 1 of 2 rows";
    ok $d->{log}{has_more}, "$engine: there is a next page";
    $d = status_json($engine, "?format=json&stream=$live&per_page=2&page=2");
    is_deeply [ map { $_->{user_agent} } @{ $d->{log}{rows} } ], ["$tag a1"],
       "$engine: page 2 has the oldest row";
    ok !$d->{log}{has_more}, "$engine: and no next page";
    $d = status_json($engine, "?format=json&user=bob&stream=$live");
    is_deeply [ map { $_->{user} } @{ $d->{log}{rows} } ], ['bob'],
       "$engine: filtered by user";
    $d = status_json($engine, "?format=json&path=seg0.ts&user=alice"
                              . "&stream=$live");
    is scalar @{ $d->{log}{rows} }, 2, "$engine: filtered by path and user";
    $d = status_json($engine, "?format=json&path=nothing-here");
    is_deeply [ $d->{period}{requests}, scalar @{ $d->{log}{rows} } ], [0, 0],
       "$engine: a filter that matches nothing";

    # ---- without the broadcast API's table of streams ------------------------
    sql($engine, "ALTER TABLE mb_stream RENAME TO mb_stream_away");
    $d = status_json($engine, "?format=json&stream=$live");
    is_deeply $d->{live}{streams}, [], "$engine: no streams table: no live streams";
    like $d->{live}{error} // '', qr/streams table/, "$engine: and it says so";
    is $d->{period}{requests}, 3, "$engine: the rest of the page still works";
    $r = status($engine, '');
    like $r->content,
         qr/No live streams to show \(the streams table \(mb_stream\) cannot be read\)/,
         "$engine: the page says so too";
    sql($engine, "ALTER TABLE mb_stream_away RENAME TO mb_stream");
    # a changed schema invalidates SQLite's prepared statements: the log
    # and the page prepare theirs again
    my $after = tag("schema-$engine");
    is watch_request($engine, '/api/live2?path=seg0.ts', Authorization => $bob,
                     Range => 'bytes=0-99', 'User-Agent' => $after)->code,
       206, "$engine: a request after the schema changed";
    is wait_count($engine, "user_agent = " . quote($after), 1, 10), 1,
       "$engine: is logged";
    sql($engine, "DELETE FROM watch_log WHERE user_agent = " . quote($after));

    # ---- protections and errors -----------------------------------------------
    is watch_request($engine, '/status')->code, 401,
       "$engine: no credentials, no status page";
    is watch_request($engine, '/status', Authorization => $bob)->code, 401,
       "$engine: bob is not an admin";
    for my $bad ('?page=0', '?per_page=9999', '?format=xml',
                 '?stream=%3Cscript%3E', '?path=a%00b', '?chart=1') {
        is status($engine, $bad)->code, 400, "$engine: $bad refused";
    }
    is status($engine, '', method => 'POST')->code, 405,
       "$engine: read-only (POST refused)";
    my $head = status($engine, '', method => 'HEAD');
    is $head->code, 200, "$engine: HEAD";
    is $head->content, '', "$engine: HEAD has no body";

    # ---- HTML -----------------------------------------------------------------
    $r = status($engine, "?stream=$live");
    is $r->code, 200, "$engine: the HTML page";
    like $r->header('Content-Type'), qr{^text/html; charset=utf-8},
         "$engine: HTML in UTF-8";
    like $r->header('Content-Security-Policy'), qr/default-src 'none'/,
         "$engine: the page may load nothing from elsewhere";
    my $html = $r->content;
    like $html, qr/\QEvening &lt;news&gt; &amp; &quot;more&quot;\E/,
         "$engine: the stream name, escaped";
    unlike $html, qr/<news>|<img/, "$engine: no markup from the data";
    like $html, qr/\Q&lt;img src=x onerror=alert(1)&gt;\E/,
         "$engine: the user agent, escaped";
    like $html, qr/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="mb-chart"/,
         "$engine: an inline SVG chart";
    (my $no_ns = $html) =~ s{xmlns="http://www.w3.org/2000/svg"}{};
    unlike $no_ns, qr{<(?:script|link|img|iframe|object)\b
                      |<[^>]+\s(?:src|href|action)="?(?:https?:)?//}xi,
           "$engine: self-contained: no script, no external resource";
}

is watch_request('sqlite', '/status', Authorization => $alice,
                 Host => '127.0.0.1')->code, 503,
   'a server without a database answers 503';

# ---- what a person sees: headless Chromium ----------------------------------
my ($chromium) = grep { -x } map { "/usr/bin/$_" } qw(chromium chromium-browser);
ok $chromium, 'Chromium is installed (Debian package chromium)'
    or BAIL_OUT('no chromium');
my $port = (split /:/, Apache::TestRequest::hostport())[1];

sub browse {
    my ($mode, $url) = @_;
    my $profile = tempdir(CLEANUP => 1);
    # bounded: a browser that hangs fails the test instead of the suite
    my @cmd = ('timeout', '90', $chromium, '--headless', '--no-sandbox',
               '--disable-gpu', '--disable-dev-shm-usage',
               '--disable-background-networking', '--disable-component-update',
               '--disable-sync', '--no-first-run', '--disable-extensions',
               "--user-data-dir=$profile",
               '--host-resolver-rules=MAP watch-sqlite.test 127.0.0.1',
               '--window-size=1280,1500', @$mode, $url);
    my $pid = open my $out, '-|';
    die "fork: $!" unless defined $pid;
    if (!$pid) {
        open STDERR, '>', '/dev/null';
        exec { $cmd[0] } @cmd or exit 127;
    }
    local $/;
    my $dom = <$out>;
    close $out;
    return $dom // '';
}

my $url = "http://alice:alice-pw\@watch-sqlite.test:$port/status";
my $dom = browse(['--dump-dom'], "$url?user=bob");
like $dom, qr{<title>Broadcast status</title>}, 'browser: the page loads';
like $dom, qr{\QEvening &lt;news&gt; &amp; "more"\E},
     'browser: the live stream\'s name is shown as text';
like $dom, qr{<svg[^>]*class="mb-chart".*<rect class="mb-bar"}s,
     'browser: the chart is drawn with bars';
unlike $dom, qr{<img}, 'browser: markup in a user agent stays text';
my ($table) = $dom =~ m{<table id="log-table">(.*?)</table>}s;
my @users;
for my $row (($table // '') =~ m{<tr class="log-row">(.*?)</tr>}gs) {
    my @cells = $row =~ m{<td[^>]*>(.*?)</td>}gs;
    (my $user = $cells[4] // '') =~ s/<[^>]*>//g;       # the text of it
    push @users, $user;
}
ok @users >= 1, 'browser: the filtered table has rows (' . scalar(@users) . ')';
is_deeply [ grep { $_ ne 'bob' } @users ], [],
    'browser: and every row is bob\'s';
like $dom, qr{Showing only user <b>bob</b>}, 'browser: the filter is said';

my $png = tempdir(CLEANUP => 1) . '/status.png';
browse(["--screenshot=$png"], "$url?stream=$live");
ok -s $png && substr(slurp($png), 0, 8) eq "\x89PNG\r\n\x1a\n",
   'browser: a screenshot of the page';
if ($ENV{MB_KEEP_SCREENSHOT}) {
    require File::Copy;
    File::Copy::copy($png, $ENV{MB_KEEP_SCREENSHOT});
}

done_testing();
