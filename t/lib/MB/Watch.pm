package MB::Watch;
# Helpers of the watch log tests: requests to the two watch log virtual
# hosts (one per database engine, chosen by the Host header), and reads of
# their databases with the engines' own command-line clients.
use strict;
use warnings;
use Exporter 'import';
use Time::HiRes qw(time sleep);
use LWP::UserAgent ();
use HTTP::Request ();
use Apache::Test ();
use Apache::TestRequest ();

our @EXPORT_OK = qw(engines vhost watch_request sql sql_rows wait_count quote
                    sqlite_db pg_params tag as_nobody dropped_since
                    forget_connections);

sub engines { qw(sqlite pgsql) }
sub vhost   { "watch-$_[0].test" }

sub t_dir { Apache::Test::vars('serverroot') }
sub sqlite_db { t_dir() . '/data/db/watch.sqlite' }

sub pg_params {
    my $f = t_dir() . '/conf/watch-pg.conf';
    open my $fh, '<', $f or die "open $f: $!";
    my ($p) = <$fh> =~ /DBDParams\s+"([^"]+)"/;
    return $p;
}

# A tag unique to this run and test, to find the rows a test made.
sub tag { sprintf "mb-test/%s-%d-%d", $_[0], $$, int(time() * 1000) }

# Commands as the server's unprivileged user (SQLite files it must keep
# owning: -wal and -shm are created by whoever opens the database first).
sub as_nobody { ($> == 0 ? ('runuser', '-u', 'nobody', '--') : (), @_) }

my $ua;
# A request to the watch log vhost of `engine`; returns the response.
# %h: headers; method defaults to GET.
sub watch_request {
    my ($engine, $uri, %h) = @_;
    my $method = delete $h{method} || 'GET';
    $ua ||= LWP::UserAgent->new(timeout => 20, keep_alive => 4);
    my $req = HTTP::Request->new($method =>
                                 'http://' . Apache::TestRequest::hostport()
                                 . $uri);
    $req->header(Host => vhost($engine));
    $req->header($_ => $h{$_}) for keys %h;
    return $ua->request($req);
}

# Drop the kept-alive connections (after a restart of the server).
sub forget_connections { undef $ua }

# Rows of a query, each an array ref; SQL NULL is undef.
sub sql_rows {
    my ($engine, $query) = @_;
    my @cmd;
    if ($engine eq 'sqlite') {
        @cmd = as_nobody('sqlite3', '-batch', '-noheader', '-separator',
                         "\x1f", '-nullvalue', "\x1e", sqlite_db(), $query);
    }
    else {
        @cmd = ('psql', '-X', '-q', '-A', '-t', '-F', "\x1f", '-P',
                "null=\x1e", '-v', 'ON_ERROR_STOP=1', '-d', pg_params(),
                '-c', $query);
    }
    open my $fh, '-|', @cmd or die "@cmd: $!";
    my @rows;
    while (my $l = <$fh>) {
        chomp $l;
        push @rows, [ map { $_ eq "\x1e" ? undef : $_ } split /\x1f/, $l, -1 ];
    }
    close $fh or die "query failed ($engine): $query\n";
    return @rows;
}

sub sql { my @r = sql_rows(@_); return @r ? $r[0][0] : undef }

sub quote { my $s = shift; $s =~ s/'/''/g; "'$s'" }

# Wait (at most `secs`) until `where` matches `want` rows; returns the
# count last seen.
sub wait_count {
    my ($engine, $where, $want, $secs) = @_;
    my $end = time() + ($secs || 10);
    my $n;
    while (1) {
        $n = sql($engine, "SELECT COUNT(*) FROM watch_log WHERE $where");
        last if $n >= $want || time() > $end;
        sleep 0.1;
    }
    return $n;
}

# Rows reported dropped (MB0510) in the error log since `mark`.
sub dropped_since {
    my ($mark) = @_;
    require MB::Test;
    my $log = MB::Test::error_log_since($mark);
    my $n = 0;
    $n += $1 while $log =~ /MB0510: watch log: (\d+) rows dropped/g;
    return $n;
}

1;
