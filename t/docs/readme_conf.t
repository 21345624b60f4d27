# The documentation's configuration blocks (README.md and docs/*.md) work
# as written (issue 9 section 5):
# every ```apache block, with its placeholders made real (paths under a
# scratch directory, the module from the build tree), passes `apache2 -t`
# in a scratch ServerRoot that loads the modules the block needs; every
# ```json block is JSON.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Readme qw(fences readme_path);
use File::Path qw(make_path remove_tree);
use JSON::PP ();

my $TOP = "$ENV{MB_T_DIR}/..";
my $HTTPD = $ENV{HTTPD} // '/usr/sbin/apache2';
my $MODDIR = `apxs -q LIBEXECDIR`; chomp $MODDIR;
my $S = "$ENV{MB_T_DIR}/state/readme-conf";
remove_tree($S);
make_path("$S/srv/videos", "$S/var/lib/broadcast/live", "$S/etc/apache2",
          "$S/usr/share/mod_broadcast/assets", "$S/logs");
# what the blocks name: a key file (read at startup) and the environment
open my $k, '>', "$S/etc/apache2/broadcast-aws-secret" or die; print $k "wJalrEXAMPLEKEY\n"; close $k;
open my $v, '>', "$S/etc/apache2/broadcast-viewer.secret" or die; print $v "an-example-viewer-secret-of-32-b\n"; close $v;
open my $vs, '>', "$S/etc/apache2/broadcast-video.secret" or die; print $vs "an-example-video-secret-of-32-by\n"; close $vs;
$ENV{BROADCAST_AWS_ACCESS_KEY_ID} = 'AKIAEXAMPLEEXAMPLE00';

# The modules a README block may use, in load order; a block that loads
# one itself (its LoadModule lines are checked too) gets it from there.
my @modules = qw(mpm_event authn_core authn_file auth_basic authz_core authz_user
                 authz_host authz_groupfile alias mime dir env setenvif headers
                 remoteip reqtimeout filter substitute deflate include dbd);

# The README's placeholders: absolute paths of a Debian machine, made to
# point into the scratch directory; the installed module is the built one.
sub localize {
    my ($text) = @_;
    $text =~ s{/usr/lib/apache2/modules/mod_broadcast\.so}{$TOP/.libs/mod_broadcast.so}g;
    $text =~ s{(?<![\w/.])(/srv/|/var/lib/broadcast|/etc/apache2/|/usr/share/mod_broadcast)}{$S$1}g;
    return $text;
}

my @blocks = fences(qr/^apache$/);
ok @blocks >= 10, scalar(@blocks) . ' apache blocks in ' . readme_path();
my $port = 10000 + ($ENV{TEST_PORT} // 8529) % 1000 * 20 + 9;   # never bound by -t
for my $b (@blocks) {
    my $text = localize($b->{text});
    my %own = map { $_ => 1 } $text =~ /^\s*LoadModule\s+(\w+)_module\b/mg;
    my $conf = "$S/block-" . ($b->{file} =~ s{\W}{_}gr) . "-$b->{line}.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh "ServerRoot \"$S\"\nServerName 127.0.0.1\nListen 127.0.0.1:$port\n",
              "PidFile \"$S/logs/httpd.pid\"\nErrorLog \"$S/logs/error_log\"\n",
              "DefaultRuntimeDir \"$S/logs\"\nTypesConfig /etc/mime.types\n";
    print $fh "LoadModule ${_}_module $MODDIR/mod_$_.so\n" for grep { !$own{$_} } @modules;
    print $fh "LoadModule broadcast_module $TOP/.libs/mod_broadcast.so\n" unless $own{broadcast};
    print $fh "# ---- $b->{file} line $b->{line}\n", $text;
    close $fh;
    # Apache has no end-of-line comments: "Require all granted  # x" is an
    # error, and a directive that takes a list would take "#" and "x"
    my @eol = grep { my $l = $_; $l =~ s/"(?:[^"\\]|\\.)*"//g; $l =~ /^\s*[^\s#].*\s#/ }
              split /\n/, $b->{text};
    is_deeply \@eol, [], "$b->{file} line $b->{line}: no comment after a directive";
    my $out = `$HTTPD -t -f '$conf' 2>&1`;
    my $rc = $? >> 8;
    ok $rc == 0 && $out =~ /Syntax OK/, "$b->{file} line $b->{line}: apache2 -t accepts the block"
        or diag "$out\n---- the block as checked:\n$text";
}

# the JSON examples (policies, answers) parse
my $json = JSON::PP->new->utf8(0);
for my $b (fences(qr/^json$/)) {
    ok eval { $json->decode($b->{text}); 1 }, "$b->{file} line $b->{line}: the json block is JSON"
        or diag $@;
}

done_testing();
