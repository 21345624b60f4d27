# Every error status of the API, as {"error": {"code", "message"}}:
# 400 401 403 404 405 (+Allow) 409 413 502 503 504; and a failed
# provisioning leaves no stream behind.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use IO::Socket::INET;
use MIME::Base64 ();
use File::Temp ();
use lib 't/lib';
use MB::Test ();
use MB::API qw(engines nodb_port api form db_rows rgw_env);

sub is_error {
    my ($r, $status, $code, $what) = @_;
    is $r->code, $status, "$what: $status";
    is $r->header('Content-Type'), 'application/json', "$what: JSON";
    is_deeply [sort keys %{ $r->{json} || {} }], ['error'], "$what: {error}";
    is $r->{json}{error}{code}, $code, "$what: code $code";
    ok defined $r->{json}{error}{message} && length $r->{json}{error}{message},
        "$what: a message";
}

my $UNKNOWN = '00000000-0000-4000-8000-000000000000';

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my %P = (port => $port, method => 'POST', user => 'alice');

    # 400
    is_error(api(%P, path => '/stream/stop'), 400, 'bad_parameter', "[$engine] stop without id");
    is_error(api(%P, path => '/stream/stop', body => 'id=42'), 400, 'bad_parameter',
             "[$engine] stop with a sequential id");
    is_error(api(%P, path => '/stream/stop', body => 'id=%zz'), 400, 'bad_parameter',
             "[$engine] stop with a malformed escape");
    is_error(api(%P, path => '/stream/refresh', query => 'id=x'), 400, 'bad_parameter',
             "[$engine] refresh with a bad id");
    is_error(api(%P, path => '/stream/start', query => 'type=dash'), 400, 'bad_parameter',
             "[$engine] start type=dash");
    is_error(api(%P, path => '/stream/start', body => form(name => 'x' x 256)), 400, 'bad_parameter',
             "[$engine] start with a 256-byte name");
    is_error(api(%P, path => '/stream/start', body => 'name=%ff%fe'), 400, 'bad_parameter',
             "[$engine] start with a name that is not UTF-8");
    is_error(api(%P, path => '/stream/start', body => 'name=a%00b'), 400, 'bad_parameter',
             "[$engine] start with a NUL in the name");
    is_error(api(%P, path => '/stream/start', body => '{"name":"x"}', ctype => 'application/json'),
             400, 'bad_request', "[$engine] start with a JSON body");
    is_error(api(port => $port, user => 'alice', path => '/stream/', query => 'limit=0'),
             400, 'bad_parameter', "[$engine] list limit=0");
    is_error(api(port => $port, user => 'alice', path => '/stream/', query => 'limit=101'),
             400, 'bad_parameter', "[$engine] list limit=101");
    is_error(api(port => $port, user => 'alice', path => '/stream/', query => 'before=zz'),
             400, 'bad_parameter', "[$engine] list before=zz");
    is_error(api(port => $port, user => 'alice', path => '/stream/', query => "before=$UNKNOWN"),
             400, 'bad_parameter', "[$engine] list before=<unknown stream>");

    # 401: no authentication configured, no user
    is_error(api(port => $port, method => 'POST', path => '/open/start'), 401,
             'unauthenticated', "[$engine] start without a user");
    is_error(api(port => $port, method => 'POST', path => '/open/stop', body => "id=$UNKNOWN"),
             401, 'unauthenticated', "[$engine] stop without a user");
    my $r = api(port => $port, method => 'POST', path => '/stream/start');
    is $r->code, 401, "[$engine] Basic auth location without credentials: 401 from httpd";
    $r = api(port => $port, method => 'POST', path => '/stream/start', user => 'alice',
             password => 'wrong');
    is $r->code, 401, "[$engine] wrong password: 401";

    # 403 (owner): see t/api/stop.t; here through a fresh stream
    $r = api(%P, path => '/stream/start');
    is $r->code, 200, "[$engine] a stream of alice";
    my $id = $r->{json}{stream}{id};
    is_error(api(%P, user => 'bob', path => '/stream/stop', body => "id=$id"), 403, 'forbidden',
             "[$engine] bob stops alice's stream");
    is_error(api(port => $port, user => 'bob', path => "/stream/$id"), 403, 'forbidden',
             "[$engine] bob reads alice's stream");

    # 404
    is_error(api(%P, path => '/stream/stop', body => "id=$UNKNOWN"), 404, 'not_found',
             "[$engine] stop of an unknown stream");
    is_error(api(%P, path => '/stream/refresh', body => "id=$UNKNOWN"), 404, 'not_found',
             "[$engine] refresh of an unknown stream");
    is_error(api(port => $port, user => 'alice', path => "/stream/$UNKNOWN"), 404, 'not_found',
             "[$engine] detail of an unknown stream");
    is_error(api(port => $port, user => 'alice', path => '/stream/nothing-here'), 404, 'not_found',
             "[$engine] unknown endpoint");
    is_error(api(%P, path => '/stream/start/more'), 404, 'not_found', "[$engine] /start/more");

    # 405 with Allow
    $r = api(port => $port, user => 'alice', path => '/stream/start');
    is_error($r, 405, 'method_not_allowed', "[$engine] GET /stream/start");
    is $r->header('Allow'), 'POST', "[$engine] Allow: POST";
    $r = api(port => $port, method => 'PUT', user => 'alice', path => '/stream/stop', body => '');
    is_error($r, 405, 'method_not_allowed', "[$engine] PUT /stream/stop");
    is $r->header('Allow'), 'POST', "[$engine] Allow: POST";
    $r = api(%P, path => '/stream/');
    is_error($r, 405, 'method_not_allowed', "[$engine] POST /stream/");
    is $r->header('Allow'), 'GET, HEAD', "[$engine] Allow: GET, HEAD";
    $r = api(port => $port, method => 'DELETE', user => 'alice', path => "/stream/$id");
    is_error($r, 405, 'method_not_allowed', "[$engine] DELETE /stream/<id>");
    is $r->header('Allow'), 'GET, HEAD', "[$engine] Allow: GET, HEAD";

    # 409
    is api(%P, path => '/stream/stop', body => "id=$id")->code, 200, "[$engine] stop";
    is_error(api(%P, path => '/stream/stop', body => "id=$id"), 409, 'stream_stopped',
             "[$engine] stop again");
    is_error(api(%P, path => '/stream/refresh', body => "id=$id"), 409, 'stream_stopped',
             "[$engine] refresh after stop");

    # 413
    is_error(api(%P, path => '/stream/start', body => 'name=x&pad=' . ('a' x 70000)), 413,
             'body_too_large', "[$engine] a 70 kB body");

    # chunked bodies (no Content-Length): read as they come, limit enforced
    my $chunked = sub {
        my ($body) = @_;
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 10) or die $!;
        my $auth = MIME::Base64::encode_base64('alice:alice-pw', '');
        print $s "POST /stream/start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic $auth\r\n"
               . "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
               . "Connection: close\r\n\r\n";
        for (my $i = 0; $i < length $body; $i += 5000) {
            my $part = substr $body, $i, 5000;
            printf $s "%x\r\n%s\r\n", length $part, $part;
        }
        print $s "0\r\n\r\n";
        local $/;
        my $resp = <$s> // '';
        my ($code) = $resp =~ m{^HTTP/1\.1 (\d+)};
        my ($json) = $resp =~ /\r\n\r\n(.*)\z/s;
        return ($code // 0, MB::API::json_of($json));
    };
    my ($code, $j) = $chunked->('name=' . ('c' x 200) . '&pad=' . ('p' x 20000));
    is $code, 200, "[$engine] a chunked 20 kB body is read";
    is $j->{stream}{name}, 'c' x 200, "[$engine] ... and its name parameter found";
    ($code, $j) = $chunked->('name=x&pad=' . ('p' x 70000));
    is $code, 413, "[$engine] a chunked 70 kB body: 413";
    is $j->{error}{code}, 'body_too_large', "[$engine] ... body_too_large";

    # 502: STS refuses GetFederationToken (RGW answers 405 MethodNotAllowed)
    my @before = db_rows($engine, "SELECT count(*) FROM mb_stream WHERE owner = 'carol'");
    $r = api(%P, user => 'carol', path => '/gft/start', body => form(name => 'gft'));
    is_error($r, 502, 'sts_refused', "[$engine] GetFederationToken against RGW");
    like $r->{json}{error}{message}, qr/GetFederationToken.*MethodNotAllowed/,
        "[$engine] the message names the action and STS's error code";
    # 502: unknown keys
    $r = api(%P, user => 'carol', path => '/badkey/start');
    is_error($r, 502, 'sts_refused', "[$engine] keys STS does not know");
    like $r->{json}{error}{message}, qr/: (InvalidAccessKeyId|AccessDenied|SignatureDoesNotMatch)$/,
        "[$engine] ... with STS's code: $r->{json}{error}{message}";
    # 502: nothing listens
    is_error(api(%P, user => 'carol', path => '/down/start'), 502, 'sts_unreachable',
             "[$engine] STS unreachable");
    # 504: STS accepts the connection and never answers
    my $hole = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => rgw_env('MB_STS_BLACKHOLE_PORT'),
                                     Listen => 5, ReuseAddr => 1) or die "blackhole: $!";
    my $t0 = time;
    is_error(api(%P, user => 'carol', path => '/slow/start'), 504, 'sts_timeout',
             "[$engine] STS silent past BroadcastSTSTimeout 1");
    ok time - $t0 <= 4, "[$engine] ... answered after about a second";
    close $hole;
    # 502: TLS is verified (a self-signed certificate is refused)
    {
        my $tmp = File::Temp::tempdir(CLEANUP => 1);
        system("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 "
               . "-keyout $tmp/k.pem -out $tmp/c.pem >/dev/null 2>&1") == 0 or die "openssl req";
        my $tls_port = rgw_env('MB_STS_TLS_PORT');
        my $pid = fork // die;
        if (!$pid) {
            open STDOUT, '>', '/dev/null';
            open STDERR, '>', '/dev/null';
            exec 'openssl', 's_server', '-quiet', '-www', '-accept', "127.0.0.1:$tls_port",
                 '-cert', "$tmp/c.pem", '-key', "$tmp/k.pem";
            exit 127;
        }
        for (1 .. 50) {
            last if IO::Socket::INET->new(PeerAddr => "127.0.0.1:$tls_port");
            select undef, undef, undef, 0.1;
        }
        my $mark = MB::Test::error_log_mark();
        is_error(api(%P, user => 'carol', path => '/tls/start'), 502, 'sts_unreachable',
                 "[$engine] an STS whose certificate no CA signed");
        like MB::Test::error_log_since($mark), qr/MB0408: .*certificate/i,
            "[$engine] ... logged as a certificate problem";
        kill 'TERM', $pid;
        waitpid $pid, 0;
    }
    # a failed provisioning leaves no stream behind
    is_deeply [db_rows($engine, "SELECT count(*) FROM mb_stream WHERE owner = 'carol'")], \@before,
        "[$engine] no stream row from the failed starts";
    $r = api(port => $port, user => 'carol', path => '/stream/', query => 'limit=100');
    ok !grep({ $_->{name} eq 'gft' } @{ $r->{json}{streams} || [] }),
        "[$engine] ... and none listed";
}

# 503: the database cannot be opened
my $nodb = nodb_port();
is_error(api(port => $nodb, method => 'POST', user => 'alice', path => '/stream/start'), 503,
         'database_unavailable', 'start without a database');
is_error(api(port => $nodb, method => 'POST', user => 'alice', path => '/stream/stop',
             body => "id=$UNKNOWN"), 503, 'database_unavailable', 'stop without a database');
is_error(api(port => $nodb, user => 'alice', path => '/stream/'), 503,
         'database_unavailable', 'list without a database');

done_testing();
