package MB::API;
# Helpers of the live broadcast API tests: requests to the API's virtual
# hosts (one per database engine), S3 requests with the credentials the
# API hands out (curl's SigV4, as a client would sign them), and direct
# looks into the stream table.
use strict;
use warnings;
use Exporter 'import';
use LWP::UserAgent ();
use HTTP::Request ();
use JSON::PP ();
use MIME::Base64 qw(encode_base64);
use URI::Escape qw(uri_escape_utf8 uri_escape);

our @EXPORT_OK = qw(engines nodb_port api form s3 s3_admin db_rows
                    json_of note_secret rgw_env);

my $json = JSON::PP->new->utf8->canonical;
my $ua = LWP::UserAgent->new(keep_alive => 4, timeout => 30);

# A new user agent: a forked child must not share its parent's kept-alive
# connections.
sub fresh_agent { $ua = LWP::UserAgent->new(keep_alive => 4, timeout => 30) }

sub rgw_env { $ENV{$_[0]} // die "$_[0] is not set (run the suite through t/run-suite)" }

# [name, port] of each engine's virtual host.
sub engines {
    return (['sqlite', rgw_env('MB_API_PORT_SQLITE')],
            ['pgsql', rgw_env('MB_API_PORT_PGSQL')]);
}
sub nodb_port { rgw_env('MB_API_PORT_NODB') }

# application/x-www-form-urlencoded from pairs (values are bytes).
sub form {
    my @kv = @_;
    my @out;
    while (my ($k, $v) = splice @kv, 0, 2) {
        push @out, uri_escape($k) . '=' . uri_escape($v);
    }
    return join '&', @out;
}

# api(port => P, method => M, path => '/stream/start', user => 'alice',
#     query => 'a=b', body => 'x=y', ctype => ..., headers => [...])
# Returns the HTTP::Response; ->{json} holds the decoded body if any.
sub api {
    my %a = @_;
    my $url = "http://127.0.0.1:$a{port}$a{path}";
    $url .= "?$a{query}" if defined $a{query};
    my $req = HTTP::Request->new($a{method} // 'GET', $url);
    if ($a{user}) {
        my $pw = $a{password} // "$a{user}-pw";
        $req->header(Authorization => 'Basic ' . encode_base64("$a{user}:$pw", ''));
    }
    if (defined $a{body}) {
        $req->content($a{body});
        $req->header('Content-Type' => $a{ctype} // 'application/x-www-form-urlencoded');
        $req->header('Content-Length' => length $a{body});
    }
    elsif (($a{method} // 'GET') eq 'POST') {
        $req->header('Content-Length' => 0);
    }
    my @h = @{ $a{headers} || [] };
    while (my ($k, $v) = splice @h, 0, 2) { $req->header($k => $v) }
    my $res = $ua->request($req);
    $res->{json} = json_of($res->content);
    return $res;
}

sub json_of {
    my ($text) = @_;
    return undef unless defined $text && length $text;
    my $d = eval { $json->decode($text) };
    return $d;
}

# Remember a secret the API handed out: t/security/secrets.t checks that no
# log line holds one.
sub note_secret {
    my ($secret) = @_;
    return unless defined $secret && length $secret;
    my $f = ($ENV{MB_T_DIR} // 't') . '/state/issued-secrets';
    open my $fh, '>>', $f or die "$f: $!";
    print $fh "$secret\n";
    close $fh;
}

# One S3 request signed with credentials from the API (a hash with
# aws_access_key_id, aws_secret_access_key, aws_session_token).
# s3($S3, 'PUT', $key, body => ..., token => 0 to leave the session token
# out, query => '...').  Returns the HTTP status (a number).
sub s3 {
    my ($c, $method, $key, %o) = @_;
    my @cmd = ('curl', '-s', '-o', '/dev/null', '-w', '%{http_code}',
               '--max-time', '20', '--aws-sigv4', 'aws:amz:us-east-1:s3',
               '--user', "$c->{aws_access_key_id}:$c->{aws_secret_access_key}",
               '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD',
               # (-X HEAD would wait for a body until --max-time)
               $method eq 'HEAD' ? ('-I') : ('-X', $method));
    push @cmd, '-H', "x-amz-security-token: $c->{aws_session_token}"
        unless defined $o{token} && !$o{token};
    if ($method eq 'PUT') {
        push @cmd, '-H', 'Content-Type: video/MP2T',
                   '--data-binary', $o{body} // 'segment';
    }
    my $bucket = $o{bucket} // $c->{s3_bucket_name};
    my $url = rgw_env('MB_RGW_ENDPOINT') . "/$bucket/$key";
    $url .= "?$o{query}" if defined $o{query};
    push @cmd, $url;
    open my $fh, '-|', @cmd or die "curl: $!";
    my $code = do { local $/; <$fh> };
    close $fh;
    return 0 if $?;          # curl failed (timeout, connection): no status
    return 0 + ($code || 0);
}

# The same with the long-term keys of the test user (to look at what is
# stored).
sub s3_admin {
    my ($method, $key) = @_;
    my $c = { aws_access_key_id => rgw_env('MB_RGW_ACCESS_KEY'),
              aws_secret_access_key => rgw_env('MB_RGW_SECRET_KEY'),
              s3_bucket_name => rgw_env('MB_RGW_BUCKET') };
    return s3($c, $method, $key, token => 0);
}

# Rows of an SQL query against an engine's stream table, as arrays.
sub db_rows {
    my ($engine, $sql) = @_;
    my @cmd;
    if ($engine eq 'sqlite') {
        # as the server's user: files SQLite creates beside the database
        # must stay writable by it
        @cmd = ('runuser', '-u', 'nobody', '--', 'sqlite3', '-separator', '|',
                rgw_env('MB_SQLITE_DB'), $sql);
    }
    else {
        local $ENV{PGPASSWORD} = 'broadcast';
        @cmd = ('psql', '-X', '-A', '-t', '-F', '|', '-h', '127.0.0.1',
                '-p', rgw_env('MB_PG_PORT'), '-U', 'broadcast', '-c', $sql,
                'broadcast');
    }
    local $ENV{PGPASSWORD} = 'broadcast';
    open my $fh, '-|', @cmd or die "$cmd[0]: $!";
    my @rows = map { chomp; [split /\|/, $_, -1] } grep { /\S/ } <$fh>;
    close $fh or die "db_rows($engine): '$sql' failed";
    return @rows;
}

1;
