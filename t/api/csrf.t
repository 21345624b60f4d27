# Cross-site request forgery (issue 8, part 1), with curl-like requests of
# every combination of Origin and Sec-Fetch-Site: state-changing requests
# (start, stop, refresh, live PUT and DELETE) that a browser marks
# cross-site are refused with 403 cross_origin and change nothing; clients
# that send neither header, and same-origin pages, keep working; origins
# listed by BroadcastTrustedOrigin get CORS (preflight, their own
# Access-Control-Allow-Origin, Vary: Origin, credentials only for the API),
# nobody else gets CORS headers.  The real browser: t/api_csrf_browser.t.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test ();
use MB::API qw(engines api form db_rows note_secret rgw_env);

my $TRUSTED = 'http://127.0.0.1:' . rgw_env('MB_CSRF_PORT_TRUSTED');
my $OTHER = 'http://127.0.0.1:' . rgw_env('MB_CSRF_PORT_OTHER');

sub cors_headers {
    my ($r) = @_;
    return grep { /^Access-Control-/i } $r->headers->header_field_names;
}

sub refused {
    my ($r, $what) = @_;
    is $r->code, 403, "$what: 403";
    is $r->{json} && $r->{json}{error}{code}, 'cross_origin', "$what: cross_origin";
    is_deeply [cors_headers($r)], [], "$what: no CORS headers";
}

sub start {
    my ($port, $loc, @h) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice',
                path => "/$loc/start", body => form(name => 'csrf'), headers => [@h]);
    note_secret($r->{json}{endpoint}{HTTP}{upload_token}) if $r->code == 200;
    return $r;
}

sub live_count {
    my ($engine) = @_;
    my ($row) = db_rows($engine, "SELECT COUNT(*) FROM mb_stream WHERE owner = 'alice' AND is_live = 1");
    return $row->[0];
}

sub is_live {
    my ($port, $id) = @_;
    my $r = api(port => $port, user => 'alice', path => "/local/$id");
    return $r->code == 200 && !defined $r->{json}{stream}{stop_date};
}

sub put {
    my ($port, $loc, $id, $token, $name, @h) = @_;
    return api(port => $port, method => 'PUT', path => "/$loc/$id/$name", body => "TS $name",
               ctype => 'video/MP2T', headers => [Authorization => "Bearer $token", @h]);
}

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my $SELF = "http://127.0.0.1:$port";

    # What a browser sends from another site (or another port: same-site,
    # another origin), and what a forger might try instead.
    my @cross = (
        ['another site, cross-site' => Origin => 'http://evil.example', 'Sec-Fetch-Site' => 'cross-site'],
        ['another site, Origin only' => Origin => 'http://evil.example'],
        ['Sec-Fetch-Site cross-site only' => 'Sec-Fetch-Site' => 'cross-site'],
        ['Sec-Fetch-Site same-site only' => 'Sec-Fetch-Site' => 'same-site'],
        ['another port of this host' => Origin => $OTHER, 'Sec-Fetch-Site' => 'same-site'],
        ['Origin null (sandboxed page)' => Origin => 'null', 'Sec-Fetch-Site' => 'cross-site'],
        ['own Origin but marked cross-site' => Origin => $SELF, 'Sec-Fetch-Site' => 'cross-site'],
        ['own host over https' => Origin => "https://127.0.0.1:$port"],
        ['own Origin with a path' => Origin => "$SELF/"],
        ['two origins' => Origin => "$SELF, http://evil.example"],
        ['a trusted origin of another location' => Origin => $TRUSTED, 'Sec-Fetch-Site' => 'same-site'],
    );
    my @fine = (
        ['no browser headers (curl, apps)'],
        ['own Origin' => Origin => $SELF],
        ['own Origin, same-origin' => Origin => $SELF, 'Sec-Fetch-Site' => 'same-origin'],
        ['own Origin in capitals' => Origin => "HTTP://127.0.0.1:$port", 'Sec-Fetch-Site' => 'same-origin'],
        ['Sec-Fetch-Site same-origin only' => 'Sec-Fetch-Site' => 'same-origin'],
        ['Sec-Fetch-Site none (typed by the user)' => 'Sec-Fetch-Site' => 'none'],
    );

    # ---- start --------------------------------------------------------------
    for my $c (@cross) {
        my ($what, @h) = @$c;
        my $before = live_count($engine);
        refused(start($port, 'local', @h), "[$engine] start, $what");
        is live_count($engine), $before, "[$engine] start, $what: no stream recorded";
    }
    # S3 storage as well: refused before STS is asked
    refused(start($port, 'stream', Origin => 'http://evil.example', 'Sec-Fetch-Site' => 'cross-site'),
            "[$engine] S3 start from another site");

    my @ids;
    for my $c (@fine) {
        my ($what, @h) = @$c;
        my $r = start($port, 'local', @h);
        is $r->code, 200, "[$engine] start, $what: 200";
        is_deeply [cors_headers($r)], [], "[$engine] start, $what: no CORS headers";
        push @ids, $r->{json}{stream}{id};
    }

    # ---- stop and refresh of a live stream ----------------------------------
    my $r = start($port, 'local');
    my $id = $r->{json}{stream}{id};
    my $token = $r->{json}{endpoint}{HTTP}{upload_token};
    for my $c (@cross) {
        my ($what, @h) = @$c;
        refused(api(port => $port, method => 'POST', user => 'alice', path => '/local/stop',
                    body => "id=$id", headers => [@h]), "[$engine] stop, $what");
        ok is_live($port, $id), "[$engine] stop, $what: the stream is still live";
        refused(api(port => $port, method => 'POST', user => 'alice', path => '/local/refresh',
                    query => "id=$id", headers => [@h]), "[$engine] refresh, $what");
        my $st = put($port, 'live', $id, $token, 'seg0.ts')->code;
        ok $st == 201 || $st == 204, "[$engine] refresh, $what: the upload token still works ($st)";
    }
    # ---- live ingest: PUT and DELETE with a valid token ---------------------
    for my $c (@cross) {
        my ($what, @h) = @$c;
        refused(put($port, 'live', $id, $token, 'forged.ts', @h), "[$engine] PUT, $what");
        ok !-e "$ENV{MB_T_DIR}/data/live/$id/forged.ts", "[$engine] PUT, $what: nothing stored";
        refused(api(port => $port, method => 'DELETE', path => "/live/$id/seg0.ts",
                    headers => [Authorization => "Bearer $token", @h]), "[$engine] DELETE, $what");
        ok -e "$ENV{MB_T_DIR}/data/live/$id/seg0.ts", "[$engine] DELETE, $what: the segment is still there";
    }
    for my $c (@fine) {
        my ($what, @h) = @$c;
        my $st = put($port, 'live', $id, $token, 'seg1.ts', @h)->code;
        ok $st == 201 || $st == 204, "[$engine] PUT, $what: stored ($st)";
    }
    # playback and reading are not state changes: another site's page may
    # embed them (it gets no CORS headers to read them with)
    $r = api(port => $port, path => "/live/$id/seg0.ts",
             headers => [Origin => 'http://evil.example', 'Sec-Fetch-Site' => 'cross-site']);
    is $r->code, 200, "[$engine] GET of a segment from another site: 200";
    is_deeply [cors_headers($r)], [], "[$engine] ... without CORS headers";
    $r = api(port => $port, user => 'alice', path => '/local/',
             headers => [Origin => 'http://evil.example', 'Sec-Fetch-Site' => 'cross-site']);
    is $r->code, 200, "[$engine] GET of the list from another site: 200";
    is_deeply [cors_headers($r)], [], "[$engine] ... without CORS headers";
    is $r->header('Vary'), undef, "[$engine] no Vary: Origin where no origin is trusted";
    # a preflight where nothing is trusted
    $r = api(port => $port, method => 'OPTIONS', path => "/live/$id/seg2.ts",
             headers => [Origin => 'http://evil.example', 'Access-Control-Request-Method' => 'PUT']);
    refused($r, "[$engine] preflight of a PUT from another site");

    # the refusals of the stop above left the stream live: stop it now
    my @h = (Origin => $SELF, 'Sec-Fetch-Site' => 'same-origin');
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/local/stop',
             body => "id=$id", headers => [@h]);
    is $r->code, 200, "[$engine] stop from the API's own origin: 200";
    ok !is_live($port, $id), "[$engine] ... the stream is stopped";
    for my $i (@ids) {
        is api(port => $port, method => 'POST', user => 'alice', path => '/local/stop',
               body => "id=$i")->code, 200, "[$engine] stop without browser headers: 200";
    }

    # ---- a trusted origin: CORS --------------------------------------------
    for my $o ([$TRUSTED, 'same-site'], ['https://app.example.com', 'cross-site'],
               ['HTTPS://APP.example.com:443', 'cross-site']) {
        my ($origin, $site) = @$o;
        $r = start($port, 'trusted', Origin => $origin, 'Sec-Fetch-Site' => $site);
        is $r->code, 200, "[$engine] start from trusted $origin: 200";
        is $r->header('Access-Control-Allow-Origin'), $origin, "[$engine] ... Access-Control-Allow-Origin: that origin";
        is $r->header('Access-Control-Allow-Credentials'), 'true', "[$engine] ... with credentials";
        like $r->header('Vary') // '', qr/\bOrigin\b/, "[$engine] ... Vary: Origin";
        my $tid = $r->{json}{stream}{id};
        $r = api(port => $port, method => 'POST', user => 'alice', path => '/trusted/stop',
                 body => "id=$tid", headers => [Origin => $origin, 'Sec-Fetch-Site' => $site]);
        is $r->code, 200, "[$engine] stop from trusted $origin: 200";
        is $r->header('Access-Control-Allow-Origin'), $origin, "[$engine] ... Access-Control-Allow-Origin";
    }
    # an error answer to a trusted origin is readable by it too
    $r = api(port => $port, method => 'POST', user => 'alice', path => '/trusted/stop',
             body => 'id=42', headers => [Origin => $TRUSTED]);
    is $r->code, 400, "[$engine] a bad id from the trusted origin: 400";
    is $r->header('Access-Control-Allow-Origin'), $TRUSTED, "[$engine] ... with Access-Control-Allow-Origin";
    # everybody else at the same location: refused, no CORS, but Vary
    $r = start($port, 'trusted', Origin => 'http://evil.example', 'Sec-Fetch-Site' => 'cross-site');
    refused($r, "[$engine] start at the trusted location from another site");
    like $r->header('Vary') // '', qr/\bOrigin\b/, "[$engine] ... Vary: Origin";
    $r = api(port => $port, user => 'alice', path => '/trusted/');
    is $r->code, 200, "[$engine] list at the trusted location without Origin: 200";
    is_deeply [cors_headers($r)], [], "[$engine] ... no CORS headers";
    like $r->header('Vary') // '', qr/\bOrigin\b/, "[$engine] ... Vary: Origin";
    $r = api(port => $port, user => 'alice', path => '/trusted/', headers => [Origin => 'https://app.example.com']);
    is $r->header('Access-Control-Allow-Origin'), 'https://app.example.com', "[$engine] list from the trusted origin: ACAO";

    # preflights: no credentials (Require method OPTIONS lets them through)
    $r = api(port => $port, method => 'OPTIONS', path => '/trusted/stop',
             headers => [Origin => $TRUSTED, 'Access-Control-Request-Method' => 'POST',
                         'Access-Control-Request-Headers' => 'authorization']);
    is $r->code, 204, "[$engine] preflight from the trusted origin: 204";
    is $r->header('Access-Control-Allow-Origin'), $TRUSTED, "[$engine] ... Access-Control-Allow-Origin";
    is $r->header('Access-Control-Allow-Methods'), 'POST', "[$engine] ... Access-Control-Allow-Methods: POST";
    like $r->header('Access-Control-Allow-Headers') // '', qr/\bAuthorization\b/, "[$engine] ... Authorization allowed";
    is $r->header('Access-Control-Allow-Credentials'), 'true', "[$engine] ... credentials";
    like $r->header('Access-Control-Max-Age') // '', qr/^\d+$/, "[$engine] ... Access-Control-Max-Age";
    like $r->header('Vary') // '', qr/\bOrigin\b/, "[$engine] ... Vary: Origin";
    is $r->content, '', "[$engine] ... no body";
    $r = api(port => $port, method => 'OPTIONS', path => '/trusted/',
             headers => [Origin => $TRUSTED, 'Access-Control-Request-Method' => 'GET']);
    is $r->header('Access-Control-Allow-Methods'), 'GET, HEAD', "[$engine] preflight of the list: GET, HEAD";
    $r = api(port => $port, method => 'OPTIONS', path => '/trusted/stop',
             headers => [Origin => 'http://evil.example', 'Access-Control-Request-Method' => 'POST']);
    refused($r, "[$engine] preflight from another site");

    # live ingest at a location that trusts the origin: CORS without
    # credentials (the upload token is the page's own header)
    $r = start($port, 'local');
    my ($lid, $ltok) = ($r->{json}{stream}{id}, $r->{json}{endpoint}{HTTP}{upload_token});
    $r = api(port => $port, method => 'OPTIONS', path => "/live-trusted/$lid/seg0.ts",
             headers => [Origin => $TRUSTED, 'Access-Control-Request-Method' => 'PUT']);
    is $r->code, 204, "[$engine] ingest preflight from the trusted origin: 204";
    is $r->header('Access-Control-Allow-Methods'), 'GET, HEAD, PUT, DELETE', "[$engine] ... PUT and DELETE";
    is $r->header('Access-Control-Allow-Credentials'), undef, "[$engine] ... no credentials";
    $r = put($port, 'live-trusted', $lid, $ltok, 'seg0.ts', Origin => $TRUSTED, 'Sec-Fetch-Site' => 'same-site');
    is $r->code, 201, "[$engine] PUT from the trusted origin: 201";
    is $r->header('Access-Control-Allow-Origin'), $TRUSTED, "[$engine] ... Access-Control-Allow-Origin";
    is $r->header('Access-Control-Allow-Credentials'), undef, "[$engine] ... no credentials";
    refused(put($port, 'live-trusted', $lid, $ltok, 'seg1.ts', Origin => 'http://evil.example'),
            "[$engine] PUT at the trusted ingest location from another site");
    api(port => $port, method => 'POST', user => 'alice', path => '/local/stop', body => "id=$lid");
}

# ---- the log: once, at info, a short escaped excerpt ------------------------
my ($engine, $port) = @{ (engines())[0] };
my $mark = MB::Test::error_log_mark();
my $long = 'http://evil.example/"' . ('A' x 4000);
refused(start($port, 'local', Origin => $long), "[$engine] a 4 KB Origin");
sleep 1;
my @lines = grep { /MB1000/ } split /\n/, MB::Test::error_log_since($mark);
is scalar(@lines), 1, 'the refusal is logged once';
like $lines[0] // '', qr/\[broadcast:info\]/, '... at info';
unlike $lines[0] // '', qr/A{65}/, '... with at most 64 bytes of the Origin';
like $lines[0] // '', qr/\\"A/, '... escaped';

done_testing();
