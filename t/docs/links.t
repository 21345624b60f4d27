# The documentation's cross-references hold (issue 10): README.md and
# docs/*.md link to each other by relative path and #anchor, and name the
# repository's files in `code`; after the reference moved into docs/, one
# page per topic, every such link must lead to a file that exists and, for
# a page, to one of its headings (GitHub's anchors), and every file named
# (src/..., t/..., conf/..., bench/..., include/..., .ci/...) must exist.
# Every page of docs/ is linked from the README.
use strict;
use warnings FATAL => 'all';
use Test::More;
use FindBin;
use File::Basename qw(dirname);
use Cwd qw(abs_path);

my $TOP = abs_path("$FindBin::Bin/../..");
my @pages = ('README.md', map { s{^\Q$TOP\E/}{}r } sort glob("$TOP/docs/*.md"));

sub slurp {
    my ($f) = @_;
    open my $fh, '<:encoding(UTF-8)', "$TOP/$f" or die "$f: $!";
    local $/;
    return scalar <$fh>;
}

# the text outside fenced blocks
sub prose { my ($t) = @_; $t =~ s/^```.*?^```[ \t]*$//msg; return $t }

# GitHub's anchor of a heading: lower case, punctuation out, spaces to "-"
sub anchor {
    my ($h) = @_;
    $h = lc $h;
    $h =~ s/[^\w\- ]//g;
    $h =~ tr/ /-/;
    return $h;
}

my %anchors;
for my $p (@pages) {
    my $text = prose(slurp($p));
    my %a;
    $a{ anchor($1) } = 1 while $text =~ /^#+[ \t]+(.+?)[ \t]*$/mg;
    $anchors{$p} = \%a;
}

my (@bad_links, @bad_files, $links, $files);
for my $p (@pages) {
    my $text = prose(slurp($p));
    (my $no_code = $text) =~ s/`[^`\n]*`//g;
    while ($no_code =~ /\]\(([^)\s]+)\)/g) {
        my $u = $1;
        next if $u =~ m{^[a-z]+:}i;    # http:, https:, mailto:
        $links++;
        my ($path, $frag) = split /#/, $u, 2;
        my $abs = length $path ? dirname("$TOP/$p") . "/$path" : "$TOP/$p";
        if (!-e $abs) { push @bad_links, "$p: $u (no such file)"; next }
        my $target = abs_path($abs) =~ s{^\Q$TOP\E/}{}r;
        next unless defined $frag && $target =~ /\.md$/;
        push @bad_links, "$p: $u (no heading #$frag in $target)"
            unless $anchors{$target}{$frag};
    }
    # files of the repository named in code spans; placeholders (<id>, ...) and
    # what the build or the suite makes (build/, t/state, t/logs) aside
    while ($text =~ /`((?:src|include|t|conf|bench|\.ci)\/[^`\s]*)`/g) {
        my $f = $1;
        next if $f =~ /[<{]|\.\.\./ || $f =~ m{^t/(?:state|logs)\b};
        $files++;
        my @hit = $f =~ /[*?]/ ? glob("$TOP/$f") : (-e "$TOP/$f" ? ($f) : ());
        push @bad_files, "$p: $f" unless @hit;
    }
}
ok $links >= 50, "$links links between the pages";
is_deeply \@bad_links, [], 'every relative link leads to a file and a heading';
ok $files >= 50, "$files files of the repository named";
is_deeply \@bad_files, [], 'every file named exists';

my %from_readme = map { $_ => 1 } slurp('README.md') =~ /\]\((docs\/[\w.-]+\.md)[#)]/g;
is_deeply [grep { m{^docs/} && !$from_readme{$_} } @pages], [],
    'the README links to every page of docs/';

done_testing;
