# Run last (prove takes the files in order): no secret reached a log
# line: neither the long-term keys of the module nor any temporary secret
# key or session token that the API handed out during the suite.  The
# startup warning about a literal key names where it is, not what it is.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(slurp);
use MB::API qw(rgw_env);

my $logs = Apache::Test::vars('t_logs');
my $error_log = slurp("$logs/error_log");
my $access_log = slurp("$logs/access_log");
my @issued = grep { length } split /\n/,
    slurp(($ENV{MB_T_DIR} // 't') . '/state/issued-secrets');

ok length($error_log) > 1000, 'the error log has the suite\'s lines';
ok @issued >= 20, 'the suite noted the secrets it was given (' . scalar(@issued) . ')';
like $error_log, qr/MB0406: STS GetFederationToken .* refused/, 'STS refusals are logged';

my %secret = (
    'the module\'s secret key' => rgw_env('MB_RGW_SECRET_KEY'),
    'the literal (wrong) secret key of /badkey' => 'not-a-valid-secret-key-9f3e1',
);
for my $what (sort keys %secret) {
    ok index($error_log, $secret{$what}) < 0, "error_log does not hold $what";
    ok index($access_log, $secret{$what}) < 0, "access_log does not hold $what";
}
my @leaked = grep { index($error_log, $_) >= 0 || index($access_log, $_) >= 0 } @issued;
is scalar(@leaked), 0, 'no issued secret key or session token in the logs';

my ($warning) = $error_log =~ /^(.*MB0402.*)$/m;
ok defined $warning, 'a literal secret key in the configuration is warned about';
like $warning // '', qr/api-locations\.inc:\d+/, '... naming where it is';
ok index($warning // '', 'not-a-valid-secret-key') < 0, '... and not what it is';

done_testing();
