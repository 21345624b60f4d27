# The module is loaded and the handler answers.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use lib 't/lib';
use MB::Test qw(data_dir slurp);

my $file = slurp(data_dir() . '/videos/random.bin');
my $r = GET '/videos/random.bin';
is $r->code, 200, 'mapped file served';
ok $r->content eq $file, 'body is the file';
is $r->header('Accept-Ranges'), 'bytes', 'Accept-Ranges on 200';

done_testing();
