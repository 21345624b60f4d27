package MB::Readme;
# The fenced blocks of the documentation, README.md and docs/*.md, for the
# tests that keep it true (t/docs/readme_conf.t, t/docs/make_run.t).  A
# fence's info string is its language and, for shell blocks, "run" when the
# block is meant to be pasted and run as it stands ("```sh run"); other
# shell blocks are transcripts or examples against hosts the suite does not
# have.
use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(fences readme_path readme_files);

my $TOP = "$ENV{MB_T_DIR}/..";

# README.md first, then docs/*.md in name order: the order the "sh run"
# blocks run in.  MB_README=<file> checks another text (e.g. an old README)
# instead.
sub readme_files {
    return ($ENV{MB_README}) if $ENV{MB_README};
    return ("$TOP/README.md", sort glob("$TOP/docs/*.md"));
}

# the files read, for test names: "README.md, docs/api.md, ..."
sub readme_path { join ', ', map { s{^\Q$TOP\E/}{}r } readme_files() }

# fences(qr/^apache$/) -> ({info => 'apache', file => 'README.md', line => N,
# text => '...'}, ...) in readme_files() order, each file in its order;
# `line` is the line of the opening fence in `file`.
sub fences {
    my ($info_re) = @_;
    my @out;
    for my $path (readme_files()) {
        my $file = $path =~ s{^\Q$TOP\E/}{}r;
        open my $fh, '<:encoding(UTF-8)', $path or die "$file: $!";
        my $cur;
        while (my $l = <$fh>) {
            if (!$cur && $l =~ /^```(\S.*?)\s*$/) {
                $cur = { info => $1, file => $file, line => $., text => '' };
            }
            elsif ($cur && $l =~ /^```\s*$/) {
                push @out, $cur if $cur->{info} =~ $info_re;
                undef $cur;
            }
            elsif ($cur) {
                $cur->{text} .= $l;
            }
        }
        die "$file: unterminated fence at line $cur->{line}\n" if $cur;
    }
    return @out;
}

1;
