# Connections to STS are reused (a process-wide curl share) unless
# BroadcastSTSKeepAlive Off asks for a new one each call.  The module logs,
# for each STS call, whether its connection was new or reused (MB0405).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(error_log_mark error_log_since);
use MB::API qw(engines api note_secret);

my ($engine, $port) = @{ (engines())[0] };

sub starts {
    my ($loc, $n) = @_;
    my $mark = error_log_mark();
    my @ids;
    for (1 .. $n) {
        my $r = api(port => $port, method => 'POST', user => 'alice', path => "$loc/start");
        is $r->code, 200, "start at $loc";
        note_secret($r->{json}{endpoint}{S3}{aws_secret_access_key});
        push @ids, $r->{json}{stream}{id};
    }
    my $log = error_log_since($mark);
    my %kind = map { $_ => ($log =~ /MB0405: STS AssumeRole for stream \Q$_\E: status 0, HTTP 200, (new|reused) connection/ ? $1 : 'none') } @ids;
    return map { $kind{$_} } @ids;
}

# one kept-alive client connection: the same server process each time
my @kept = starts('/stream', 4);
ok !grep({ $_ eq 'none' } @kept), 'every STS call is logged';
ok scalar(grep { $_ eq 'reused' } @kept) >= 2, "connections to STS are reused (@kept)";
my @fresh = starts('/fresh', 4);
is_deeply \@fresh, [('new') x 4], "BroadcastSTSKeepAlive Off: a new connection each call (@fresh)";

done_testing();
