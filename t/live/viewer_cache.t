# The per-process cache of verified viewer tokens (src/viewer/revocations.c):
# a token verified once is not verified again by the same process, but a hit
# still checks the stream and the expiry.  A link used many times (so that
# every child has it cached) is refused on another stream's path and, once
# its expiry has passed, on its own: the cache never outlives a token.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream ffmpeg_push live_dir);
use MB::Test qw(slurp);
use Digest::SHA qw(hmac_sha256);
use Time::HiRes ();
use MIME::Base64 qw(encode_base64url);

my ($engine, $port) = @{ (engines())[0] };
my $secret = slurp("$ENV{MB_T_DIR}/conf/viewer-secret");
$secret =~ s/\s+$//;

# a token as include/mb_viewer_token.h writes it
sub sign {
    my ($id, $expires) = @_;
    my $body = pack('Q>', $expires) . pack('Q>', int(Time::HiRes::time() * 1e6))
             . pack('C16', map { int rand 256 } 1 .. 16);
    return encode_base64url($body . hmac_sha256("mb-viewer-2\0$id\0$body", $secret));
}
sub codes {
    my ($path, $n) = @_;
    my %c;
    $c{ api(port => $port, path => $path)->code }++ for 1 .. $n;
    return join ',', map { "$_ x$c{$_}" } sort keys %c;
}

my ($id, $H) = start_stream($port, 'viewer-cache');
my ($id2, $H2) = start_stream($port, 'viewer-cache-other');
is ffmpeg_push($H, seconds => 2, wait => 1, dir => live_dir($id)), 0, 'ffmpeg pushed a stream';
is ffmpeg_push($H2, seconds => 2, wait => 1, dir => live_dir($id2)), 0, '... and another';

my $expires = time + 4;
my $tok = sign($id, $expires);
is codes("/live/t/$tok/$id/index.m3u8", 20), '200 x20',
   'a link plays, again and again (verified once per process, then cached)';
is codes("/live/t/$tok/$id2/index.m3u8", 20), '403 x20',
   'the same token, cached as valid for its stream, is refused for another one';
is codes("/live/t/$tok/$id/index.m3u8", 5), '200 x5', '... and still plays for its own';

Time::HiRes::sleep(0.2) while time <= $expires;
is codes("/live/t/$tok/$id/index.m3u8", 20), '403 x20',
   'once expired, the cached link is refused by every process';
is codes("/live/t/" . sign($id, time + 600) . "/$id/index.m3u8", 5), '200 x5',
   'a new link plays';

done_testing;
