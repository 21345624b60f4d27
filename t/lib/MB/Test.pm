package MB::Test;
# Helpers shared by the suite's test files.
use strict;
use warnings;
use Exporter 'import';
use IO::Socket::INET;
use Apache::Test ();
use Apache::TestRequest ();

our @EXPORT_OK = qw(data_dir slurp base_url raw_request hostport
                    error_log_since error_log_mark);

sub data_dir { Apache::Test::vars('serverroot') . '/data' }
sub hostport { Apache::TestRequest::hostport() }
sub base_url { 'http://' . hostport() }

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "open $path: $!";
    local $/;
    my $d = <$fh>;
    return defined $d ? $d : '';
}

# Send exactly these request bytes (no client-side URL normalisation) and
# return (status, headers-text, body).
sub raw_request {
    my ($request) = @_;
    my ($host, $port) = split /:/, hostport();
    my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port,
                                  Proto => 'tcp', Timeout => 10)
        or die "connect $host:$port: $!";
    binmode $s;
    print $s $request;
    my $resp = '';
    while (1) {
        my $n = sysread($s, my $buf, 65536);
        last unless $n;
        $resp .= $buf;
    }
    close $s;
    my ($head, $body) = split /\r\n\r\n/, $resp, 2;
    my ($status) = ($head // '') =~ m{^HTTP/1\.\d (\d{3})};
    return ($status // 0, $head // '', $body // '');
}

# Position in the error log, and what was written to it since.
sub error_log_mark {
    my $f = Apache::Test::vars('t_logs') . '/error_log';
    return -s $f || 0;
}

sub error_log_since {
    my ($mark) = @_;
    my $f = Apache::Test::vars('t_logs') . '/error_log';
    open my $fh, '<', $f or return '';
    seek $fh, $mark, 0;
    local $/;
    my $d = <$fh>;
    return $d // '';
}

1;
