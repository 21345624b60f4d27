# Database restarts and outages (issue 9, section 2), on both engines.
#
# - PostgreSQL restarted (pg_ctl -m fast) under pooled connections: every
#   endpoint answers exactly as before (no 404 for a live stream, no empty
#   list); stopped: every endpoint answers 503 JSON, video keeps
#   streaming; started again: as before.  The same for the status page
#   (the watch log's PostgreSQL).
# - SQLite: a schema change by another process kills every prepared
#   statement (the SQLite form of a reconnected session): every endpoint
#   answers as before.  Write-locked by another process: a request that
#   writes answers 503 JSON after about the busy timeout (2 s here), reads
#   go on.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(api form note_secret rgw_env);
use MB::Watch qw(watch_request sqlite_db as_nobody tag quote wait_count
                 dropped_since);
use MB::Test qw(error_log_mark);
use Time::HiRes qw(time sleep);
use IO::Handle;
use POSIX ();

my $T = $ENV{MB_T_DIR};
my $LIVE = "$T/data/live";
my ($bin) = sort { $b cmp $a } glob '/usr/lib/postgresql/*/bin';

sub pg_ctl {
    my ($dir, @args) = @_;
    return system('runuser', '-u', 'postgres', '--', "$bin/pg_ctl", '-D',
                  "$dir/data", '-w', '-l', "$dir/server.log", @args) == 0;
}

# PUT/GET with curl: (status, body)
sub live {
    my ($port, $method, $path, %o) = @_;
    my @cmd = ('curl', '-s', '-o', '-', '-w', '\n%{http_code}', '--max-time',
               '30', '-X', $method);
    push @cmd, '-H', "Authorization: Bearer $o{token}" if defined $o{token};
    push @cmd, '--data-binary', $o{data} // '' if $method eq 'PUT';
    push @cmd, '-r', $o{range} if $o{range};
    push @cmd, "http://127.0.0.1:$port$path";
    open my $fh, '-|', @cmd or die "curl: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    $out =~ s/\n(\d{3})\z// or return (0, $out);
    return ($1, $out);
}

sub code_of { my ($r) = @_; $r->{json} && $r->{json}{error} ? $r->{json}{error}{code} : undef }

sub start_streams {
    my ($port) = @_;
    my $s3 = api(port => $port, method => 'POST', user => 'alice',
                 path => '/stream/start', body => form(name => 'fault s3'));
    die 'S3 start: ' . $s3->code . ' ' . $s3->content unless $s3->code == 200;
    note_secret($s3->{json}{endpoint}{S3}{$_})
        for qw(aws_secret_access_key aws_session_token);
    my $lo = api(port => $port, method => 'POST', user => 'alice',
                 path => '/local/start', body => form(name => 'fault local'));
    die 'local start: ' . $lo->code . ' ' . $lo->content unless $lo->code == 200;
    my $token = $lo->{json}{endpoint}{HTTP}{upload_token};
    note_secret($token);
    my $st = { s3 => $s3->{json}{stream}{id}, local => $lo->{json}{stream}{id},
               token => $token };
    my ($c) = live($port, 'PUT', "/live/$st->{local}/seg0.ts", token => $token,
                   data => 'segment zero');
    die "first PUT: $c" unless $c == 201;
    return $st;
}

# What every endpoint answers for the streams of $st, as comparable data
# (read-only, or idempotent: a PUT replacing the same segment).
sub answers {
    my ($port, $st) = @_;
    my %a;
    my $r = api(port => $port, path => "/stream/$st->{s3}", user => 'alice');
    $a{detail} = [$r->code, $r->{json}];
    $r = api(port => $port, path => "/local/$st->{local}", user => 'alice');
    $a{detail_local} = [$r->code, $r->{json}];
    $r = api(port => $port, path => "/owned/$st->{s3}", user => 'alice');
    $a{owner_granted} = [$r->code, $r->{json}];
    $r = api(port => $port, path => "/owned/$st->{s3}", user => 'bob');
    $a{owner_refused} = [$r->code];
    $r = api(port => $port, path => '/stream/', user => 'alice',
             query => 'limit=100');
    my %mine = map { $_ => 1 } @$st{qw(s3 local)};
    $a{list} = [$r->code, [grep { $mine{$_->{id}} }
                           @{ $r->{json} ? $r->{json}{streams} : [] }]];
    my ($c) = live($port, 'PUT', "/live/$st->{local}/seg0.ts",
                   token => $st->{token}, data => 'segment zero');
    $a{put} = $c;
    ($c) = live($port, 'PUT', "/live/$st->{local}/seg0.ts",
                token => 'f' x 64, data => 'x');
    $a{put_wrong_token} = $c;
    my $body;
    ($c, $body) = live($port, 'GET', "/live/$st->{local}/seg0.ts");
    $a{play} = [$c, $body];
    ($c, $body) = live($port, 'GET', '/vod?path=movies/a.mp4', range => '0-99');
    $a{vod} = [$c, length $body];
    return \%a;
}

sub same_answers {
    my ($name, $got, $want) = @_;
    for my $k (sort keys %$want) {
        is_deeply $got->{$k}, $want->{$k}, "$name: $k answers as before";
    }
}

# Every endpoint during an outage: 503 JSON database_unavailable; video
# keeps streaming.
sub outage_answers {
    my ($name, $port, $st) = @_;
    my @r = (
        ['detail', api(port => $port, path => "/stream/$st->{s3}", user => 'alice')],
        ['list', api(port => $port, path => '/stream/', user => 'alice')],
        ['Require broadcast-owner',
         api(port => $port, path => "/owned/$st->{s3}", user => 'alice')],
        ['start (local)', api(port => $port, method => 'POST', user => 'alice',
                              path => '/local/start')],
        ['stop', api(port => $port, method => 'POST', user => 'alice',
                     path => '/stream/stop', body => form(id => $st->{s3}))],
        ['refresh (local)', api(port => $port, method => 'POST', user => 'alice',
                                path => '/local/refresh',
                                body => form(id => $st->{local}))],
    );
    for (@r) {
        my ($what, $res) = @$_;
        is $res->code, 503, "$name: $what answers 503";
        is code_of($res), 'database_unavailable', "$name: $what: JSON error";
        like $res->header('Content-Type') // '', qr{^application/json},
            "$name: $what: application/json";
    }
    my ($c, $body) = live($port, 'PUT', "/live/$st->{local}/seg1.ts",
                          token => $st->{token}, data => 'segment one');
    is $c, 503, "$name: ingest PUT answers 503";
    like $body, qr/"database_unavailable"/, "$name: ingest PUT: JSON error";
    ok !-e "$LIVE/$st->{local}/seg1.ts", "$name: nothing stored";
    ($c, $body) = live($port, 'GET', "/live/$st->{local}/seg0.ts");
    is_deeply [$c, $body], [200, 'segment zero'], "$name: live playback goes on";
    ($c, $body) = live($port, 'GET', '/vod?path=movies/a.mp4', range => '0-99');
    is_deeply [$c, length $body], [206, 100], "$name: video on demand goes on";
}

sub live_dirs { opendir my $d, $LIVE or die; scalar grep { !/^\./ } readdir $d }

# Several pooled connections in the children, all of which a restart drops.
sub warm_pool {
    my ($port, $id) = @_;
    my @kids;
    for (1 .. 6) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            MB::API::fresh_agent();
            api(port => $port, path => "/stream/$id", user => 'alice') for 1 .. 4;
            POSIX::_exit(0);
        }
        push @kids, $pid;
    }
    waitpid $_, 0 for @kids;
}

# ---- PostgreSQL: restart, outage ------------------------------------------
{
    my $port = rgw_env('MB_API_PORT_PGSQL');
    my $pg = "$T/state/pg";
    my $st = start_streams($port);
    warm_pool($port, $st->{s3});
    my $before = answers($port, $st);
    is $before->{detail}[0], 200, 'pgsql: detail answers 200 before';
    is $before->{owner_granted}[0], 200, 'pgsql: Require broadcast-owner grants before';
    is $before->{owner_refused}[0], 403, 'pgsql: ... and refuses another user';
    is scalar @{ $before->{list}[1] }, 2, 'pgsql: the list has both streams';
    is $before->{put}, 204, 'pgsql: ingest PUT answers 204';
    is $before->{put_wrong_token}, 401, 'pgsql: a wrong token answers 401';

    ok pg_ctl($pg, '-m', 'fast', 'restart'), 'pgsql: server restarted';
    # every request meets a connection the server dropped, or one that
    # mod_dbd reconnected and that has lost its prepared statements
    same_answers("pgsql, restarted (round $_)", answers($port, $st), $before)
        for 1 .. 3;
    warm_pool($port, $st->{s3});
    my $r = api(port => $port, method => 'POST', user => 'alice',
                path => '/local/refresh', body => form(id => $st->{local}));
    is $r->code, 200, 'pgsql, restarted: refresh answers 200';
    my $token = $r->{json}{endpoint}{HTTP}{upload_token};
    note_secret($token);
    my ($c) = live($port, 'PUT', "/live/$st->{local}/seg0.ts", token => $token,
                   data => 'segment zero');
    is $c, 204, 'pgsql, restarted: PUT with the new token';
    $st->{token} = $token;

    # an outage, with pooled connections open
    my $st2 = start_streams($port);
    warm_pool($port, $st2->{s3});
    my $before2 = answers($port, $st2);
    my $dirs = live_dirs();
    ok pg_ctl($pg, '-m', 'fast', 'stop'), 'pgsql: server stopped';
    outage_answers("pgsql, down (round $_)", $port, $st2) for 1 .. 2;
    is live_dirs(), $dirs, 'pgsql, down: a refused start leaves no directory';
    ok pg_ctl($pg, 'start'), 'pgsql: server started again';
    same_answers('pgsql, back', answers($port, $st2), $before2);

    $r = api(port => $port, method => 'POST', user => 'alice',
             path => '/stream/stop', body => form(id => $st->{s3}));
    is $r->code, 200, 'pgsql, back: stop answers 200';
    ok defined $r->{json}{stream}{stop_date}, 'pgsql, back: with its stop_date';
}

# ---- the status page: the watch log's PostgreSQL --------------------------
{
    my $pg = "$T/state/pg-watch";
    my $auth = 'Basic YWxpY2U6YWxpY2UtcHc=';    # alice:alice-pw
    my $status = sub {
        my $r = watch_request('pgsql', '/status?format=json', Authorization => $auth);
        my $j = MB::API::json_of($r->content);
        return [$r->code, $j ? { live => $j->{live}, log => $j->{log},
                                 requests => $j->{period}{requests} } : undef];
    };
    my $v = watch_request('pgsql', '/api/stream?path=movies/a.mp4', Range => 'bytes=0-99');
    is $v->code, 206, 'status, pgsql: a watch request before';
    sleep 0.5;  # written by the log's thread (BroadcastWatchLogFlush 100)
    my $before = $status->();
    is $before->[0], 200, 'status, pgsql: 200 before';
    ok pg_ctl($pg, '-m', 'fast', 'restart'), 'status, pgsql: server restarted';
    is_deeply $status->(), $before, "status, pgsql, restarted (round $_): as before"
        for 1 .. 3;
    ok pg_ctl($pg, '-m', 'fast', 'stop'), 'status, pgsql: server stopped';
    for (1 .. 2) {
        my $r = watch_request('pgsql', '/status?format=json', Authorization => $auth);
        is $r->code, 503, "status, pgsql, down (round $_): 503";
        is code_of({ json => MB::API::json_of($r->content) }), 'database_unavailable',
            "status, pgsql, down (round $_): JSON error";
        $v = watch_request('pgsql', '/api/stream?path=movies/a.mp4',
                           Range => 'bytes=0-99');
        is $v->code, 206, "status, pgsql, down (round $_): video goes on";
    }
    ok pg_ctl($pg, 'start'), 'status, pgsql: server started again';
    is $status->()->[0], 200, 'status, pgsql, back: 200';
}

# ---- SQLite: a schema change, a write lock ---------------------------------
{
    my $port = rgw_env('MB_API_PORT_SQLITE');
    my $db = rgw_env('MB_SQLITE_DB');
    my @sqlite = ('runuser', '-u', 'nobody', '--', 'sqlite3', $db);
    my $st = start_streams($port);
    warm_pool($port, $st->{s3});
    my $before = answers($port, $st);
    is $before->{detail}[0], 200, 'sqlite: detail answers 200 before';
    is $before->{owner_granted}[0], 200, 'sqlite: Require broadcast-owner grants before';
    is scalar @{ $before->{list}[1] }, 2, 'sqlite: the list has both streams';

    # another process changes the schema: every prepared statement of
    # every pooled connection dies
    is system(@sqlite, 'CREATE INDEX mb_faults_owner ON mb_stream (owner)'), 0,
       'sqlite: schema changed by another process';
    same_answers("sqlite, schema changed (round $_)", answers($port, $st), $before)
        for 1 .. 3;
    is system(@sqlite, 'DROP INDEX mb_faults_owner'), 0, 'sqlite: changed back';
    same_answers('sqlite, schema changed back', answers($port, $st), $before);

    # write-locked by another process; 2 s busy timeout on this vhost
    my $busy = rgw_env('MB_API_PORT_SQLITE_BUSY');
    open my $lock, '|-', @sqlite or die "sqlite3: $!";
    $lock->autoflush(1);
    print $lock ".timeout 10000\nBEGIN EXCLUSIVE;\nUPDATE mb_stream SET name = name WHERE id = '$st->{s3}';\n";
    my $end = time() + 10;
    sleep 0.1 while time() < $end
        && system("@sqlite -cmd '.timeout 0' 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1") == 0;
    ok time() < $end, 'sqlite: the database is write-locked';
    my $dirs = live_dirs();
    for my $w (['start (local)', '/local/start', undef],
               ['stop', '/stream/stop', $st->{s3}],
               ['refresh (local)', '/local/refresh', $st->{local}]) {
        my ($what, $path, $id) = @$w;
        my $t0 = time();
        my $r = api(port => $busy, method => 'POST', user => 'alice', path => $path,
                    defined $id ? (body => form(id => $id)) : ());
        my $took = time() - $t0;
        is $r->code, 503, "sqlite, locked: $what answers 503";
        is code_of($r), 'database_unavailable', "sqlite, locked: $what: JSON error";
        # the busy timeout, not 16 times it (33.6 s before the fix)
        ok $took < 8, sprintf "sqlite, locked: $what answered after %.1f s "
                              . "(busy timeout 2 s)", $took;
    }
    is live_dirs(), $dirs, 'sqlite, locked: a refused start leaves no directory';
    my $r = api(port => $busy, path => "/stream/$st->{s3}", user => 'alice');
    # (the playback URLs name the port asked: this vhost's own)
    is_deeply [$r->code, $r->{json}{stream}], [$before->{detail}[0], $before->{detail}[1]{stream}],
        'sqlite, locked: reads go on (WAL)';
    like $r->{json}{playback}{player_url} // '', qr{^http://127\.0\.0\.1:$busy/live/$st->{s3}/$},
        'sqlite, locked: ... with its playback URLs';
    print $lock "ROLLBACK;\n";
    close $lock;
    $r = api(port => $busy, method => 'POST', user => 'alice', path => '/stream/stop',
             body => form(id => $st->{s3}));
    is $r->code, 200, 'sqlite, unlocked: stop answers 200';
}

# ---- the watch log writer and a write-locked SQLite ------------------------
# (watch-sqlite.test: busy timeout 50 ms, so each of the sqlite3 driver's
# 16 runs of BEGIN waits only its 0.1 s pause: 1.6 s.)  The writer gives a
# batch up after one such wait; it used to reconnect and wait 3 more times.
{
    open my $lock, '|-', as_nobody('sqlite3', sqlite_db()) or die "sqlite3: $!";
    $lock->autoflush(1);
    # the writer may be in a transaction of its own right now: wait for it
    print $lock ".timeout 10000\nBEGIN EXCLUSIVE;\n";
    my $end = time() + 10;
    sleep 0.1 while time() < $end
        && system(as_nobody('sqlite3', sqlite_db(), 'BEGIN IMMEDIATE; ROLLBACK;')) == 0;
    ok time() < $end, 'watch log, sqlite: the database is write-locked';
    sleep 1.5;    # past the last report of drops (BroadcastWatchLogReport 1)
    my $mark = error_log_mark();
    my $tag = tag('faults-locked');
    my $t0 = time();
    my $v = watch_request('sqlite', '/api/stream?path=movies/a.mp4',
                          'User-Agent' => $tag, Range => 'bytes=0-99');
    is $v->code, 206, 'watch log, sqlite, locked: video goes on';
    $end = time() + 20;
    sleep 0.05 while dropped_since($mark) < 1 && time() < $end;
    my $took = time() - $t0;
    is dropped_since($mark), 1, 'watch log, sqlite, locked: the row reported dropped';
    ok $took < 4, sprintf 'watch log, sqlite, locked: given up after %.1f s '
                          . '(one busy wait of 1.6 s, not four)', $took;
    print $lock "ROLLBACK;\n";
    close $lock;
    my $tag2 = tag('faults-unlocked');
    sleep 1.2;    # the writer leaves the database alone for a second
    watch_request('sqlite', '/api/stream?path=movies/a.mp4', 'User-Agent' => $tag2);
    is wait_count('sqlite', 'user_agent = ' . quote($tag2), 1, 15), 1,
       'watch log, sqlite, unlocked: logging resumes';
}

done_testing();
