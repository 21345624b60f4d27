# The watch log of S3 streams (issue 11): a playback request that
# broadcast-live answers from the bucket leaves a row shaped as for a
# self-hosted stream: path "<stream id>/<file>", the stream id, the status,
# the Range asked and the body bytes actually sent.  On the ingest test
# host (t/conf/ingest-vhost.inc), whose database holds the streams and the
# watch log.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use LWP::UserAgent;
use MB::API qw(api form note_secret s3 rgw_env);

my $port = rgw_env('MB_API_PORT_INGEST');
my $db = rgw_env('MB_INGEST_DB');
my $ua = LWP::UserAgent->new(timeout => 30);
my $tag = "mb-test/s3watch-$$-" . time;

sub rows {
    my ($sql) = @_;
    open my $fh, '-|', 'runuser', '-u', 'nobody', '--', 'sqlite3', '-separator', '|', $db, $sql
        or die "sqlite3: $!";
    my @r = map { chomp; [split /\|/, $_, -1] } grep { /\S/ } <$fh>;
    close $fh or die "sqlite3 '$sql' failed";
    return @r;
}

my $r = api(port => $port, method => 'POST', user => 'alice', path => '/s3/start',
            query => form(type => 'hls', name => 's3watch'));
is $r->code, 200, 'start an S3 stream';
my $id = $r->{json}{stream}{id};
my $S3 = $r->{json}{endpoint}{S3};
note_secret($S3->{aws_secret_access_key});
note_secret($S3->{aws_session_token});
my $seg = '0123456789' x 1000;
is s3($S3, 'PUT', "$S3->{s3_bucket_path}seg0.ts", body => $seg), 200,
    'a segment uploaded with the temporary credentials';

my $base = "http://127.0.0.1:$port/live-s3/$id";
my $g = $ua->get("$base/seg0.ts", 'User-Agent' => "$tag whole");
is $g->code, 200, 'the segment through Apache';
my $p = $ua->get("$base/seg0.ts", 'User-Agent' => "$tag part", Range => 'bytes=0-99');
is $p->code, 206, 'a range of it';
my $m = $ua->get("$base/seg9.ts", 'User-Agent' => "$tag missing");
is $m->code, 404, 'a missing segment';

my @rows;
for (1 .. 100) {
    @rows = rows("SELECT user_agent, method, path, stream_id, status, bytes_sent, "
                 . "COALESCE(range_header, '') FROM watch_log WHERE user_agent LIKE '$tag %' "
                 . "ORDER BY id");
    last if @rows >= 3;
    select undef, undef, undef, 0.1;
}
is scalar @rows, 3, 'one watch log row per request';
my %by = map { ($_->[0] =~ /(\w+)$/)[0] => $_ } @rows;
is_deeply [@{ $by{whole} }[1 .. 6]], ['GET', "$id/seg0.ts", $id, 200, length $seg, ''],
    'the whole segment: path below the stream, stream id, 200, every byte';
is_deeply [@{ $by{part} }[1 .. 6]], ['GET', "$id/seg0.ts", $id, 206, 100, 'bytes=0-99'],
    'a range: 206, the bytes sent, the Range asked';
is_deeply [@{ $by{missing} }[1 .. 5]], ['GET', "$id/seg9.ts", $id, 404, 0],
    'a missing segment: 404';

done_testing();
