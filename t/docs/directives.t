# docs/directives.md is the directive reference (issue 10): one entry per
# directive of the module's command tables (every AP_INIT_* in
# mod_broadcast.c and src/), in httpd's manual layout (Description, Syntax,
# Default, Context, Override, Module), each documented once; its Context is
# the one the flags allow, its Override the OR_* flag's, its Syntax takes
# the arguments the AP_INIT_ kind reads.
use strict;
use warnings FATAL => 'all';
use Test::More;
use FindBin;

my $TOP = "$FindBin::Bin/../..";

sub slurp {
    my ($f) = @_;
    open my $fh, '<', $f or die "$f: $!";
    local $/;
    return scalar <$fh>;
}

# ---- the code: command tables and the handlers' GLOBAL_ONLY checks ------

my @c_files = ("$TOP/mod_broadcast.c", glob("$TOP/src/*/*.[ch]"));
my (%cmd, %body);
for my $f (@c_files) {
    my $src = slurp($f);
    (my $code = $src) =~ s{/\*.*?\*/}{}gs;    # comments out
    # function bodies (K&R-free httpd style: the name, then "{" at column 0)
    while ($code =~ /^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{]*?)\)\s*\n\{\n(.*?)^\}/mgs) {
        $body{$1} = $3;
    }
    my $arg = qr/(?:[^,()]|\([^()]*\))+/;
    while ($code =~ /AP_INIT_(\w+)\s*\(\s*"(\w+)"\s*,\s*(\w+)\s*,\s*$arg,\s*($arg),/gs) {
        my ($kind, $name, $func, $flags) = ($1, $2, $3, $4);
        $flags =~ s/\s+//g;
        ok !exists $cmd{$name}, "$name: in one command table only"
            or next;
        $cmd{$name} = { kind => $kind, func => $func,
                        flags => { map { $_ => 1 } split /\|/, $flags },
                        file => $f =~ s{^\Q$TOP\E/}{}r };
    }
}
ok scalar(keys %cmd) >= 20, scalar(keys %cmd) . ' directives in the command tables';

# A handler that calls ap_check_cmd_context(cmd, GLOBAL_ONLY), itself or
# through a function it calls, restricts RSRC_CONF to the main server.
sub global_only {
    my ($func, $seen) = @_;
    my $b = $body{$func} // return 0;
    return 1 if $b =~ /ap_check_cmd_context\s*\([^)]*GLOBAL_ONLY/;
    return 1 if $b =~ /\bNOT_IN_VIRTUALHOST\b/ && $b =~ /\bNOT_IN_DIR_CONTEXT\b/;
    $seen->{$func} = 1;
    for my $callee ($b =~ /\b(\w+)\s*\(/g) {
        next if $seen->{$callee};
        return 1 if global_only($callee, $seen);
    }
    return 0;
}

my %override_name = (OR_FILEINFO => 'FileInfo', OR_AUTHCFG => 'AuthConfig',
                     OR_INDEXES => 'Indexes', OR_LIMIT => 'Limit',
                     OR_OPTIONS => 'Options', OR_ALL => 'All');

# httpd's words for where a directive may be: what the flags allow.
# OR_* directives are also read in the server's own configuration (httpd
# processes it with RSRC_CONF|OR_ALL, sections with ACCESS_CONF|OR_ALL).
sub context_of {
    my ($c) = @_;
    my %f = %{ $c->{flags} };
    my $or = grep { /^OR_/ && $_ ne 'OR_NONE' } keys %f;
    my @ctx;
    if ($f{RSRC_CONF} || $or) {
        push @ctx, 'server config';
        push @ctx, 'virtual host' unless global_only($c->{func}, {});
    }
    push @ctx, 'directory' if $f{ACCESS_CONF} || $or;
    push @ctx, '.htaccess' if $or;
    return join ', ', @ctx;
}

sub override_of {
    my ($c) = @_;
    my @o = map { $override_name{$_} // $_ }
            sort grep { /^OR_/ && $_ ne 'OR_NONE' } keys %{ $c->{flags} };
    return @o ? join(', ', @o) : undef;
}

# ---- the reference ------------------------------------------------------

my $doc = slurp("$TOP/docs/directives.md");
my @fields = qw(Description Syntax Default Context Override Module);
my %doc;
for my $entry (split /^(?=## )/m, $doc) {
    next unless $entry =~ /^## (\S+)\s*\n/;
    my $name = $1;
    next unless $name =~ /^Broadcast\w+$/;
    ok !exists $doc{$name}, "$name: documented once" or next;
    my %row;
    my @seen;
    while ($entry =~ /^\|\s*(\w+)\s*\|\s*(.*?)\s*\|\s*$/mg) {
        my ($k, $v) = ($1, $2);
        next unless grep { $_ eq $k } @fields;
        $v =~ s{\\\|}{|}g;    # GFM: a "|" in a cell is written "\|"
        $row{$k} = $v;
        push @seen, $k;
    }
    my $text = $entry;
    $text =~ s/^\|.*\n//mg;
    $text =~ s/^## .*\n//;
    $doc{$name} = { rows => \%row, seen => \@seen, text => $text };
}

# both sides name the same directives
is_deeply [sort grep { !$doc{$_} } keys %cmd], [],
    'every directive of the command tables is in docs/directives.md';
is_deeply [sort grep { !$cmd{$_} } keys %doc], [],
    'docs/directives.md documents only directives of the command tables';

for my $name (sort keys %cmd) {
    my $c = $cmd{$name};
    my $d = $doc{$name} or next;
    my $r = $d->{rows};
    my $want_override = override_of($c);
    my @want = grep { $_ ne 'Override' || defined $want_override } @fields;
    is_deeply $d->{seen}, \@want,
        "$name: the rows of httpd's manual, in its order (@want)";
    for my $f (qw(Description Syntax Default)) {
        ok defined $r->{$f} && length $r->{$f}, "$name: $f given";
    }
    is $r->{Context}, context_of($c),
        "$name: Context matches the flags " . join('|', sort keys %{ $c->{flags} })
        . " of $c->{file}";
    is $r->{Override}, $want_override, "$name: Override matches the flags"
        if defined $want_override || defined $r->{Override};
    is $r->{Module}, 'mod_broadcast', "$name: Module";
    # Syntax: the name, then what the AP_INIT_ kind reads
    my $syn = $r->{Syntax} // '';
    $syn =~ s/`//g;
    my ($sname, @args) = split ' ', $syn;
    is $sname, $name, "$name: Syntax starts with the directive's name";
    my $k = $c->{kind};
    if ($k eq 'FLAG') {
        is "@args", 'On|Off', "$name: a FLAG's Syntax is On|Off";
    }
    elsif ($k =~ /^TAKE(\d)$/) {
        is scalar(@args), $1, "$name: TAKE$1 takes $1 argument(s) (@args)";
    }
    elsif ($k =~ /^TAKE(\d)(\d)$/) {
        my ($need, $most) = ($1, $2);
        my $opt = grep { /^\[/ } @args;
        ok @args == $most && $opt == $most - $need,
            "$name: TAKE$need$most: $need argument(s), then " . ($most - $need)
            . " in [brackets] (@args)";
    }
    elsif ($k eq 'ITERATE' || $k eq 'RAW_ARGS' || $k eq 'TAKE_ARGV') {
        like "@args", qr/\.\.\.\]?$/, "$name: $k: the Syntax ends with ...";
    }
    else {
        fail "$name: AP_INIT_$k not known to this test";
    }
    like $d->{text}, qr/\S.{40,}/s, "$name: a paragraph of behaviour";
}

# the README and the other pages of docs/ link here by name: each link
# names a documented directive
my @links = slurp("$TOP/README.md") =~ /\(docs\/directives\.md#(\w+)\)/g;
for my $page (grep { !m{/directives\.md$} } sort glob("$TOP/docs/*.md")) {
    push @links, slurp($page) =~ /\((?:\.\/)?directives\.md#(\w+)\)/g;
}
ok @links >= 20, scalar(@links) . ' links of the README and docs/*.md into docs/directives.md';
my %anchor = map { lc($_) => 1 } keys %doc;
is_deeply [grep { !$anchor{$_} } @links], [],
    'every README and docs/*.md link into docs/directives.md names a documented directive';

done_testing;
