package MB::Readme;
# The fenced blocks of README.md, for the tests that keep the README true
# (t/docs/readme_conf.t, t/docs/make_run.t).  A fence's info string is its language
# and, for shell blocks, "run" when the block is meant to be pasted and
# run as it stands ("```sh run"); other shell blocks are transcripts or
# examples against hosts the suite does not have.
use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(fences readme_path);

# MB_README=<file> checks another text (e.g. an old README) instead.
sub readme_path { $ENV{MB_README} // "$ENV{MB_T_DIR}/../README.md" }

# fences(qr/^apache$/) -> ({info => 'apache', line => N, text => '...'}, ...)
# in the README's order; `line` is the line of the opening fence.
sub fences {
    my ($info_re) = @_;
    open my $fh, '<:encoding(UTF-8)', readme_path() or die "README: $!";
    my (@out, $cur);
    while (my $l = <$fh>) {
        if (!$cur && $l =~ /^```(\S.*?)\s*$/) {
            $cur = { info => $1, line => $., text => '' };
        }
        elsif ($cur && $l =~ /^```\s*$/) {
            push @out, $cur if $cur->{info} =~ $info_re;
            undef $cur;
        }
        elsif ($cur) {
            $cur->{text} .= $l;
        }
    }
    die "README: unterminated fence at line $cur->{line}\n" if $cur;
    return @out;
}

1;
