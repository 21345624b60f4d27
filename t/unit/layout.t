# The shape of the sources (issue 10): the httpd-free core (src/core/, its
# interface in include/) includes nothing of httpd and nothing of the glue;
# the include graph has no circle, between files nor between folders; the
# hooks are registered in one place (mod_broadcast.c); no source file is
# much over 500 lines.
use strict;
use warnings;
use Test::More;
use FindBin;

my $top = "$FindBin::Bin/../..";
chdir $top or die "$top: $!";

my @files = ('mod_broadcast.c', sort(glob('src/*.[ch] src/*/*.[ch] include/*.h')));
ok @files > 40, 'the sources are found (' . scalar(@files) . ')';

# where an #include "x" is found: next to the file, then -Iinclude -Isrc
sub resolve {
    my ($from, $name) = @_;
    (my $dir = $from) =~ s{[^/]*$}{};
    for my $c ("$dir$name", "include/$name", "src/$name") {
        return $c =~ s{^\./}{}r if -f $c;
    }
    return undef;
}

# the part a file belongs to: its folder under src/, the core with its
# headers, the private header, or the module record
sub part {
    my ($f) = @_;
    return 'core' if $f =~ m{^include/} || $f =~ m{^src/core/};
    return 'module' if $f eq 'mod_broadcast.c';
    return 'private' if $f =~ m{^src/[^/]+$};
    return $1 if $f =~ m{^src/([^/]+)/};
    return $f;
}

my (%inc, %sys, %parts);
for my $f (@files) {
    open my $fh, '<', $f or die "$f: $!";
    while (<$fh>) {
        if (/^\s*#\s*include\s+"([^"]+)"/) {
            my $to = resolve($f, $1);
            ok defined $to, "$f: \"$1\" is one of ours" or next;
            push @{ $inc{$f} }, $to;
            my ($a, $b) = (part($f), part($to));
            $parts{$a}{$b} = "$f -> $to" if $a ne $b;
        }
        elsif (/^\s*#\s*include\s+<([^>]+)>/) {
            push @{ $sys{$f} }, $1;
        }
    }
}

# the core is httpd-free: APR, APR-util, libc, OpenSSL, libcurl, jansson
my @httpd = grep { my $f = $_; part($f) eq 'core'
                   && grep { m{^(httpd|http_\w+|ap_\w+|util_\w+|mod_\w+|scoreboard|mpm_common)\.h$} } @{ $sys{$f} || [] } } @files;
is_deeply \@httpd, [], 'no core file includes an httpd header';
my @up = map { "$_ -> $_[0]" } grep { 0 } ();
for my $f (grep { part($_) eq 'core' } @files) {
    push @up, map { "$f -> $_" } grep { part($_) ne 'core' } @{ $inc{$f} || [] };
}
is_deeply \@up, [], 'the core includes only the core';

# a circle in a graph: depth-first search, a node seen again on the path
sub circle {
    my ($g) = @_;
    my (%state, @path);
    my $found;
    my $visit;
    $visit = sub {
        my ($n) = @_;
        $state{$n} = 1;
        push @path, $n;
        for my $m (sort keys %{ $g->{$n} || {} }) {
            if (($state{$m} // 0) == 1) {
                my @c = @path;
                shift @c while $c[0] ne $m;
                $found = join(' -> ', @c, $m);
                return;
            }
            $visit->($m) unless $state{$m};
            return if $found;
        }
        pop @path;
        $state{$n} = 2;
    };
    for my $n (sort keys %$g) {
        $visit->($n) unless $state{$n};
        last if $found;
    }
    return $found;
}

my %fg = map { my $f = $_; ($f => { map { $_ => 1 } @{ $inc{$f} || [] } }) } @files;
is circle(\%fg), undef, 'the include graph of the files has no circle';
my $pc = circle(\%parts);
is $pc, undef, 'the include graph of the folders has no circle'
    or diag join "\n", map { my $a = $_; map { "  $a -> $_ ($parts{$a}{$_})" } sort keys %{ $parts{$a} } } sort keys %parts;

# hooks: registered in one place
my @hooks;
for my $f (grep { $_ ne 'mod_broadcast.c' && /\.c$/ } @files) {
    open my $fh, '<', $f or die;
    while (<$fh>) {
        push @hooks, "$f:$.: $1" if /\b(ap_hook_\w+)\s*\(/;
    }
}
is_deeply \@hooks, [], 'hooks are registered in mod_broadcast.c only';

# a file a newcomer can read: at most 500 lines
my @long;
for my $f (@files) {
    open my $fh, '<', $f or die;
    1 while <$fh>;
    push @long, "$f: $. lines" if $. > 500;
}
is_deeply \@long, [], 'no source file is over 500 lines';

done_testing;
