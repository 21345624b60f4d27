#!/usr/bin/perl
# Log tags (issue 10): every MBLOGNO(n) of mod_broadcast.c, src/ and
# include/*.h names one message only, so that a tag in the error log leads
# to one line of code; and docs/development.md's "Log tags" table is the one this
# test builds from the sources (between <!-- log-tags --> markers), so it
# cannot go stale.  On a mismatch the test prints the table to paste.
use strict;
use warnings FATAL => 'all';
use Test::More;
use FindBin;

my $top = "$FindBin::Bin/../..";
my @files = ('mod_broadcast.c', (map { s{^\Q$top\E/}{}r } sort glob("$top/src/*.[ch] $top/src/*/*.[ch]")),
             (map { s{^\Q$top\E/}{}r } sort glob("$top/include/*.h")));
my (%where, %of_file);
for my $f (@files) {
    open my $fh, '<', "$top/$f" or die "$f: $!";
    while (my $l = <$fh>) {
        while ($l =~ /MBLOGNO\((\d+)\)/g) {
            push @{ $where{$1} }, "$f:$.";
            push @{ $of_file{$f} }, $1;
        }
    }
}
ok scalar(keys %where) > 50, 'the sources have log tags (' . scalar(keys %where) . ')';
my @dup = grep { @{ $where{$_} } > 1 } sort keys %where;
is_deeply \@dup, [], 'every log tag is used once'
    or diag map { "MB$_ used at @{ $where{$_} }\n" } @dup;
my @bad = grep { !/^\d{4}$/ } sort keys %where;
is_deeply \@bad, [], 'every log tag has four digits';

# runs of consecutive numbers: 0101-0109, 0111
sub ranges {
    my @n = sort { $a <=> $b } do { my %u = map { $_ => 1 } @_; keys %u };
    my @out;
    while (@n) {
        my ($lo, $hi) = (shift @n) x 2;
        $hi = shift @n while @n && $n[0] == $hi + 1;
        push @out, $lo == $hi ? sprintf('%04d', $lo)
                              : sprintf('%04d-%04d', $lo, $hi);
    }
    return join ', ', @out;
}
my $want = "| File | Tags (MBnnnn) |\n| --- | --- |\n"
         . join('', map { "| `$_` | " . ranges(@{ $of_file{$_} }) . " |\n" }
                    grep { $of_file{$_} } @files);

open my $rd, '<', "$top/docs/development.md" or die "docs/development.md: $!";
my $readme = do { local $/; <$rd> };
my ($have) = $readme =~ /<!-- log-tags -->\n(.*?)<!-- \/log-tags -->/s;
ok defined $have, 'docs/development.md has the log tags table';
is $have // '', $want, "docs/development.md's log tags table matches the sources"
    or diag "the table for docs/development.md:\n", $want;
done_testing;
