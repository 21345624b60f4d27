# broadcast-video protected by Apache's own authentication/authorization.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use lib 't/lib';
use MB::Test qw(data_dir slurp);

my $url = '/api/private?path=random.bin';
my $data = slurp(data_dir() . '/videos/random.bin');

my $r = GET $url;
is $r->code, 401, 'no credentials: 401';
like $r->header('WWW-Authenticate') // '', qr/^Basic/, 'Basic challenge';
unlike $r->content, qr/\x00/, 'no file bytes in the 401';

$r = GET $url, username => 'alice', password => 'wrong';
is $r->code, 401, 'wrong password: 401';

# httpd answers 401 (not 403) when an authenticated user fails Require,
# unless AuthzSendForbiddenOnFailure is on
$r = GET $url, username => 'bob', password => 'bob-pw';
is $r->code, 401, 'authenticated but not allowed by Require user alice: 401';
ok length($r->content) < 1000 && $r->content !~ /\x00/, 'no file bytes for bob';

$r = GET $url, username => 'alice', password => 'alice-pw';
is $r->code, 200, 'allowed user: 200';
ok $r->content eq $data, 'allowed user: the file';

$r = GET $url, username => 'alice', password => 'alice-pw', Range => 'bytes=0-99';
is $r->code, 206, 'allowed user with Range: 206';
is length($r->content), 100, 'allowed user with Range: 100 bytes';

$r = GET '/api/private?path=link-out', username => 'alice', password => 'alice-pw';
is $r->code, 403, 'authentication does not open the way out of the root';

done_testing();
