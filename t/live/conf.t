# The example configuration ships mod_reqtimeout's limits for slow uploads
# (issue 8, section 4): conf/httpd-run.conf (what `make run` runs, with
# conf/mod_broadcast.conf) loads mod_reqtimeout and is accepted by httpd
# with those lines in it; the suite's ingest host uses the same directive,
# shortened (t/conf/ingest-vhost.inc, t/live/slow.t).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use Cwd qw(abs_path);

my $top = abs_path("$ENV{MB_T_DIR}/..");
my $run = tempdir(CLEANUP => 1);
mkdir "$run/$_" for qw(videos live htdocs db);
my $moddir = `apxs -q LIBEXECDIR`;
chomp $moddir;

sub slurp { open my $fh, '<', $_[0] or die "$_[0]: $!"; local $/; <$fh> }
my $example = slurp("$top/conf/mod_broadcast.conf");
my ($line) = $example =~ /^\s*(RequestReadTimeout [^\n]*)/m;
like $line // '', qr/\bbody=\d+(-\d+)?,MinRate=\d+/, 'the example cuts slow bodies (RequestReadTimeout body=...,MinRate=...)';
like $example, qr/<IfModule reqtimeout_module>\s*\n\s*\Q$line\E/, '... when mod_reqtimeout is loaded';
like slurp("$top/conf/httpd-run.conf"), qr/^LoadModule reqtimeout_module /m, 'make run loads mod_reqtimeout';

local %ENV = (%ENV, MB_RUN => $run, MB_PORT => 1, MB_TOP => $top, MB_VIDEOS => "$run/videos",
              MB_MODDIR => $moddir, MB_STREAMS_DB => "$run/db/s.sqlite",
              MB_HTPASSWD => "$run/htpasswd", MB_LIVE => "$run/live",
              MB_ASSETS => "$top/build/assets");
# HTTPD: t/run-suite's server binary (the sanitizer wrapper under make test-sanitize)
my $httpd = $ENV{HTTPD} // '/usr/sbin/apache2';
my $out = `$httpd -t -f $top/conf/httpd-run.conf -D MB_STREAMS_DB 2>&1`;
like $out, qr/Syntax OK/, 'httpd accepts the example configuration with these limits' or diag $out;

done_testing();
