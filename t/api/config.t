# The API's directives refuse bad values when the configuration is read
# (apache2 -t on small configurations), and the credential lifetime is
# checked against the STS action's limits.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use IO::Socket::INET;

my $httpd = $ENV{HTTPD} // '/usr/sbin/apache2';
my $moddir = `apxs -q LIBEXECDIR`;
chomp $moddir;
my $top_dir = $ENV{MB_T_DIR} ? "$ENV{MB_T_DIR}/.." : '.';
my $dir = tempdir(CLEANUP => 1);
open my $sf, '>', "$dir/secret" or die;
print $sf "secret-from-a-file\n";
close $sf;

# apache2 -t on a configuration with these lines in a <Location>;
# returns (ok, output).
sub check {
    my ($lines, %o) = @_;
    $o{server} //= '';
    my $dbd = $o{no_dbd} ? '' : "LoadModule dbd_module $moddir/mod_dbd.so\n";
    open my $fh, '>', "$dir/httpd.conf" or die;
    print $fh <<CONF;
ServerRoot "$dir"
ServerName 127.0.0.1
PidFile "$dir/pid"
ErrorLog "$dir/error_log"
LoadModule mpm_event_module $moddir/mod_mpm_event.so
LoadModule authz_core_module $moddir/mod_authz_core.so
${dbd}LoadModule broadcast_module $top_dir/.libs/mod_broadcast.so
$o{server}
<Location /stream>
    SetHandler broadcast-api
$lines
</Location>
CONF
    close $fh;
    local $ENV{MB_CONF_TEST_KEY} = 'AKIDEXAMPLE';
    my $out = `$httpd -t -f $dir/httpd.conf 2>&1`;
    return ($? == 0, $out);
}

sub good { my ($l, $what) = @_; my ($ok, $out) = check($l); ok $ok, "accepted: $what" or diag $out }
my ($ok, $out);
sub bad {
    my ($l, $re, $what, %o) = @_;
    my ($ok, $out) = check($l, %o);
    ok !$ok, "refused: $what";
    like $out, $re, "... saying why";
}

my $base = "BroadcastStorage S3\nBroadcastS3Bucket b\nBroadcastAWSCredentials env:MB_CONF_TEST_KEY file:$dir/secret";
good($base, 'a minimal S3 configuration');
good("$base\nBroadcastCredentialLifetime 43200", 'AssumeRole 43200 s');
good("$base\nBroadcastSTSAction GetFederationToken\nBroadcastCredentialLifetime 129600",
     'GetFederationToken 129600 s');
good("$base\nBroadcastS3Path live/%{id}", 'a template without the final /');
bad("$base\nBroadcastCredentialLifetime 899", qr/899 s is outside .* limits \(900 to/, 'lifetime 899');
bad("$base\nBroadcastSTSAction AssumeRole\nBroadcastCredentialLifetime 43201",
    qr/outside AssumeRole's limits/, 'AssumeRole lifetime 43201');
bad("$base\nBroadcastCredentialLifetime 129601", qr/to 129600 for GetFederationToken/,
    'lifetime 129601 (past any action)');
bad("$base\nBroadcastCredentialLifetime 50000\nBroadcastSTSAction AssumeRole",
    qr/outside AssumeRole's limits/, 'AssumeRole after a 50000 s lifetime');
bad("$base\nBroadcastSTSAction GetFederationToken\nBroadcastCredentialLifetime 129601",
    qr/BroadcastCredentialLifetime/, 'GetFederationToken lifetime 129601');
bad("$base\nBroadcastCredentialLifetime 1h", qr/number of seconds/, 'lifetime 1h');
bad("$base\nBroadcastSTSAction GetSessionToken", qr/AssumeRole or GetFederationToken/, 'an unknown action');
bad("$base\nBroadcastS3Path %{user}/", qr/must contain %\{id\}/, 'a template without %{id}');
bad("$base\nBroadcastS3Path */%{id}/", qr/not allowed in a prefix/, 'a template with *');
bad("$base\nBroadcastS3Path ../%{id}/", qr/'\.' or '\.\.' segment/, 'a template with ..');
bad("$base\nBroadcastS3Path %{date}/%{id}/", qr/unknown variable/, 'an unknown variable');
bad("BroadcastS3Bucket a/b", qr/not a bucket name/, 'a bucket with /');
bad("BroadcastS3Region EU_WEST", qr/not a region/, 'a bad region');
bad("BroadcastStorage GCS", qr/storage is S3 or local/, 'another storage');
bad("BroadcastSTSEndpoint ftp://x/", qr/http:\/\/ or https:\/\//, 'an ftp endpoint');
bad("BroadcastSTSRoleArn role/x", qr/not a role ARN/, 'a bad role ARN');
bad("BroadcastSTSTimeout 0", qr/1 to 300/, 'timeout 0');
bad("BroadcastAWSCredentials env:MB_NO_SUCH_VARIABLE_X secret", qr/is not set/, 'an unset variable');
bad("BroadcastAWSCredentials AK file:$dir/nope", qr/cannot open/, 'a missing file');
# the lifetime in the server, the action in the <Location>: checked after
# merging, when the server starts (apache2 -t does not get that far)
sub start_for {
    my ($secs, %o) = @_;
    check($o{lines}, server => $o{server});
    unlink "$dir/error_log";
    system("timeout $secs $httpd -X -f $dir/httpd.conf -C 'User nobody' -C 'Group nogroup' "
           . "-C 'Listen 127.0.0.1:$o{port}' >/dev/null 2>&1");
    my $rc = $? >> 8;
    open my $fh, '<', "$dir/error_log";
    my $log = $fh ? do { local $/; <$fh> } : '';
    return ($rc, $log // '');
}
my $free = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1);
my $port = $free->sockport;
close $free;
my ($rc, $log) = start_for(10, lines => 'BroadcastSTSAction AssumeRole', port => $port,
                           server => 'BroadcastCredentialLifetime 100000');
ok $rc != 0 && $rc != 124, "refused at startup: a server lifetime of 100000 s, AssumeRole in a <Location> (exit $rc)";
like $log, qr/MB0411: BroadcastCredentialLifetime 100000 s is outside AssumeRole's limits/, '... saying why';
($rc, $log) = start_for(3, lines => 'BroadcastSTSAction GetFederationToken', port => $port,
                        server => 'BroadcastCredentialLifetime 100000');
is $rc, 124, 'started (and stopped by timeout): the same with GetFederationToken' or diag $log;
($rc, $log) = start_for(10, lines => 'BroadcastS3Bucket b', port => $port,
                        server => 'BroadcastCredentialLifetime 100000');
ok $rc != 0 && $rc != 124, "refused at startup: a server lifetime of 100000 s, no action anywhere (exit $rc)";
like $log, qr/MB0411/, '... saying why';
bad("BroadcastStorage S3", qr/needs mod_dbd/, 'BroadcastStorage without mod_dbd', no_dbd => 1);

done_testing();
