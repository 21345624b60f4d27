# Many clients at once lose nothing: every started stream is in the table
# exactly once, every stop lands, and of several concurrent stops of one
# stream exactly one wins (the others get 409).  On both engines.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::API qw(engines api form db_rows);

my $CLIENTS = 8;
my $PAIRS = 10;

# Run $n children, each calling $work->($i) and printing lines to the
# parent; returns all lines.
sub in_parallel {
    my ($n, $work) = @_;
    my @fh;
    for my $i (1 .. $n) {
        my $pid = open my $fh, '-|';
        die "fork: $!" unless defined $pid;
        if (!$pid) {
            $| = 1;
            MB::API::fresh_agent();
            eval { $work->($i); 1 } or print "ERROR $@\n";
            require POSIX;
            POSIX::_exit(0);
        }
        push @fh, $fh;
    }
    my @lines;
    for my $fh (@fh) {
        push @lines, map { chomp; $_ } <$fh>;
        close $fh;
    }
    return @lines;
}

for my $e (engines()) {
    my ($engine, $port) = @$e;
    my $tag = "conc-$engine-$$";

    my @lines = in_parallel($CLIENTS, sub {
        my ($i) = @_;
        my $user = $i % 2 ? 'alice' : 'bob';
        for my $k (1 .. $PAIRS) {
            my $r = api(port => $port, method => 'POST', user => $user,
                        path => '/stream/start', body => form(name => "$tag $i $k"));
            my $id = $r->code == 200 ? $r->{json}{stream}{id} : '';
            print "start ", $r->code, " $id\n";
            next unless $id;
            my $s = api(port => $port, method => 'POST', user => $user,
                        path => '/stream/stop', query => "id=$id");
            print "stop ", $s->code, " $id\n";
        }
    });
    my @errors = grep { /^ERROR/ } @lines;
    is_deeply \@errors, [], "[$engine] no client died";
    my @starts = grep { /^start / } @lines;
    my @stops = grep { /^stop / } @lines;
    is scalar(@starts), $CLIENTS * $PAIRS, "[$engine] $CLIENTS clients x $PAIRS starts";
    is scalar(grep { /^start 200 / } @starts), $CLIENTS * $PAIRS, "[$engine] every start 200";
    is scalar(grep { /^stop 200 / } @stops), $CLIENTS * $PAIRS, "[$engine] every stop 200";
    my %ids = map { (split / /)[2] => 1 } @starts;
    is scalar(keys %ids), $CLIENTS * $PAIRS, "[$engine] all ids distinct";
    my @rows = db_rows($engine,
        "SELECT id, is_live, COALESCE(stop_us, 0) > start_us FROM mb_stream WHERE name LIKE '$tag %'");
    is scalar(@rows), $CLIENTS * $PAIRS, "[$engine] every started stream is in the table";
    my %in_db;
    $in_db{ $_->[0] }++ for @rows;
    ok !grep({ $_ != 1 } values %in_db), "[$engine] ... exactly once each";
    is_deeply [sort keys %in_db], [sort keys %ids], "[$engine] ... the ids the clients got";
    ok !grep({ $_->[1] ne '0' || $_->[2] !~ /^(1|t)$/ } @rows),
        "[$engine] ... all stopped, stop after start";

    # concurrent stops of one stream: one wins
    my $r = api(port => $port, method => 'POST', user => 'alice', path => '/stream/start');
    my $id = $r->{json}{stream}{id};
    my @codes = in_parallel($CLIENTS, sub {
        my $s = api(port => $port, method => 'POST', user => 'alice',
                    path => '/stream/stop', body => "id=$id");
        print $s->code, "\n";
    });
    is scalar(grep { $_ eq '200' } @codes), 1, "[$engine] $CLIENTS stops at once: one 200";
    is scalar(grep { $_ eq '409' } @codes), $CLIENTS - 1, "[$engine] ... the others 409"
        or diag "codes: @codes";
}

done_testing();
