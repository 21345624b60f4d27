# POST /stream/start: the seed's response shape, UUIDv4 ids, GMT dates,
# and credentials that reach exactly the stream's prefix (proved against
# RGW: PUT inside 200 and stored, other prefixes 403, no token 403), used
# by a real client (the aws CLI).  On SQLite and on PostgreSQL.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use URI::Escape qw(uri_escape);
use MB::API qw(engines api form s3 s3_admin db_rows note_secret rgw_env);

my $UUID = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
my $DATE = qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
my $bucket = rgw_env('MB_RGW_BUCKET');

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my %A = (port => $port, method => 'POST', user => 'alice');

    # the Android client: no type, parameters in the query string
    my $t0 = time;
    my $r = api(%A, path => '/stream/start', query => form(name => 'Morning show'));
    is $r->code, 200, "[$engine] start answers 200";
    is $r->header('Content-Type'), 'application/json', "[$engine] JSON";
    like $r->header('Cache-Control') // '', qr/no-store/, "[$engine] credentials are not cached";
    my $j = $r->{json};
    is_deeply [sort keys %$j], [qw(endpoint playback stream)], "[$engine] top level: stream, endpoint, playback";
    is_deeply [sort keys %{ $j->{stream} }], [qw(id name start_date)],
        "[$engine] stream: id, name, start_date";
    is_deeply [keys %{ $j->{endpoint} }], ['S3'], "[$engine] endpoint: S3";
    my $S3 = $j->{endpoint}{S3};
    is_deeply [sort keys %$S3],
        [qw(aws_access_key_id aws_expiration aws_secret_access_key aws_session_token
            s3_bucket_name s3_bucket_path s3_bucket_region)],
        "[$engine] S3: exactly the seed's keys (no policy, no ARN)";
    note_secret($S3->{aws_secret_access_key});
    note_secret($S3->{aws_session_token});
    like $j->{stream}{id}, $UUID, "[$engine] id is a UUIDv4";
    is $j->{stream}{name}, 'Morning show', "[$engine] name from the query string";
    like $j->{stream}{start_date}, $DATE, "[$engine] start_date YYYY-MM-DD HH:MM:SS";
    my @g = gmtime($t0);
    my $today = sprintf '%04d-%02d-%02d', $g[5] + 1900, $g[4] + 1, $g[3];
    like $j->{stream}{start_date}, qr/^\Q$today\E /, "[$engine] start_date is GMT today";
    ok !ref $S3->{aws_expiration} && $S3->{aws_expiration} =~ /^\d+$/
        && $r->content =~ /"aws_expiration":\d+[,}]/,
        "[$engine] aws_expiration is a number";
    ok $S3->{aws_expiration} > 800 && $S3->{aws_expiration} <= 900,
        "[$engine] aws_expiration is the lifetime in seconds (900), not a date: $S3->{aws_expiration}";
    is $S3->{s3_bucket_name}, $bucket, "[$engine] bucket";
    is $S3->{s3_bucket_region}, 'us-east-1', "[$engine] region";
    is $S3->{s3_bucket_path}, "alice/$j->{stream}{id}/", "[$engine] path %{user}/%{id}/, ends in /";
    ok length $S3->{aws_session_token} > 10, "[$engine] a session token";

    my @row = db_rows($engine, "SELECT owner, name, is_live, type FROM mb_stream WHERE id = '$j->{stream}{id}'");
    is_deeply \@row, [['alice', 'Morning show', '1', 'hls']], "[$engine] the row: owner alice, live";

    # the credentials, against RGW
    my $prefix = $S3->{s3_bucket_path};
    is s3($S3, 'PUT', "${prefix}seg0.ts", body => "segment-$engine"), 200,
        "[$engine] PUT under the stream's prefix: 200";
    is s3_admin('HEAD', "${prefix}seg0.ts"), 200, "[$engine] ... and the object is stored";
    is s3($S3, 'PUT', "${prefix}index.m3u8", body => "#EXTM3U\n"), 200,
        "[$engine] PUT of the playlist: 200";
    is s3($S3, 'DELETE', "${prefix}index.m3u8"), 204, "[$engine] DELETE under the prefix: 204";
    is s3($S3, 'PUT', "bob/x/seg0.ts"), 403, "[$engine] PUT under another user's prefix: 403";
    is s3($S3, 'PUT', "alice/seg0.ts"), 403, "[$engine] PUT outside (the user's folder): 403";
    is s3($S3, 'PUT', "seg0.ts"), 403, "[$engine] PUT at the bucket's root: 403";
    is s3($S3, 'PUT', "${prefix}seg1.ts", token => 0), 403,
        "[$engine] PUT without the session token: 403";
    # (curl 7.88 signs the query as given: '/' must be encoded by hand)
    is s3($S3, 'GET', '', query => 'list-type=2&prefix=' . uri_escape($prefix)), 200,
        "[$engine] ListBucket under the prefix: 200";
    is s3($S3, 'GET', '', query => 'list-type=2&prefix=bob%2F'), 403,
        "[$engine] ListBucket of another prefix: 403";

    # a second stream: its credentials do not reach the first one's prefix
    my $r2 = api(%A, path => '/stream/start', body => form(type => 'hls', name => 'Second'));
    is $r2->code, 200, "[$engine] start with a form body (type=hls)";
    is $r2->{json}{stream}{name}, 'Second', "[$engine] name from the body";
    my $S3b = $r2->{json}{endpoint}{S3};
    note_secret($S3b->{aws_secret_access_key});
    isnt $r2->{json}{stream}{id}, $j->{stream}{id}, "[$engine] another id";
    is s3($S3b, 'PUT', "${prefix}seg9.ts"), 403, "[$engine] PUT under another stream's prefix: 403";
    is s3($S3b, 'PUT', "$S3b->{s3_bucket_path}seg0.ts"), 200, "[$engine] ... and its own: 200";

    # no name: empty; UTF-8 name kept as is
    my $r3 = api(%A, path => '/stream/start');
    is $r3->code, 200, "[$engine] start without any parameter";
    is $r3->{json}{stream}{name}, '', "[$engine] name defaults to empty";
    my $utf8 = "Pr\xc3\xa9sentation \xf0\x9f\x8e\xa5";
    my $r4 = api(%A, path => '/stream/start', body => form(name => $utf8));
    is $r4->code, 200, "[$engine] UTF-8 name";
    my $got = $r4->{json}{stream}{name};
    utf8::encode($got);
    is $got, $utf8, "[$engine] UTF-8 name round trip";
    my $r5 = api(%A, path => '/stream/start', body => form(name => 'x' x 255));
    is $r5->code, 200, "[$engine] a 255-byte name";

    # another template
    my $r6 = api(%A, path => '/custom/start');
    is $r6->code, 200, "[$engine] start at a location with BroadcastS3Path live/%{id}/";
    my $c6 = $r6->{json}{endpoint}{S3};
    is $c6->{s3_bucket_path}, "live/$r6->{json}{stream}{id}/", "[$engine] templated prefix";
    is s3($c6, 'PUT', "$c6->{s3_bucket_path}a.ts"), 200, "[$engine] PUT in the templated prefix";
    is s3($c6, 'PUT', "live/a.ts"), 403, "[$engine] PUT beside it: 403";
    # the handler in an inner <Location>, the settings in an outer one
    my $r7 = api(%A, path => '/nested/api/start');
    is $r7->code, 200, "[$engine] start at /nested/api (settings from /nested)";
    is $r7->{json}{endpoint}{S3}{s3_bucket_path}, "nested/$r7->{json}{stream}{id}/",
        "[$engine] ... with the outer template";
    is api(%A, method => 'GET', path => '/nested/api/')->code, 200, "[$engine] list at /nested/api/";
    note_secret($_->{json}{endpoint}{S3}{aws_secret_access_key}) for $r3, $r4, $r5, $r6, $r7;
}

# A real client: the aws CLI from Debian uploads a segment with the
# credentials (its crash on RGW error replies does not concern success).
{
    my ($engine, $port) = @{ (engines())[0] };
    my $r = api(port => $port, method => 'POST', user => 'bob', path => '/stream/start',
                query => form(type => 'hls', name => 'cli'));
    is $r->code, 200, 'start for the aws CLI';
    my $S3 = $r->{json}{endpoint}{S3};
    note_secret($S3->{aws_secret_access_key});
    my $seg = ($ENV{MB_T_DIR} // 't') . '/data/videos/seg0.ts';
    local $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    local $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    local $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    local $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    local $ENV{AWS_CONFIG_FILE} = '/dev/null';
    local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}seg0.ts";
    my $out = `/usr/bin/aws --endpoint-url $ENV{MB_RGW_ENDPOINT} s3 cp $seg $dest --content-type video/MP2T --no-progress 2>&1`;
    is $?, 0, "aws s3 cp with the returned credentials succeeds" or diag $out;
    is s3_admin('HEAD', "$S3->{s3_bucket_path}seg0.ts"), 200, 'the segment is stored';
}

done_testing();
