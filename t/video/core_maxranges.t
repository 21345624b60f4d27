# broadcast-video honours MaxRanges as the core does, single ranges
# included (issue 9 section 4; the cases of httpd-tests' maxranges.t), in
# both modes, each answer compared with the core's for the same file.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Core qw(write_cmp_file same_as_core counted_text);

my $content = counted_text(2000);
write_cmp_file('byteranges.txt', $content);
my $size = length $content;

my ($medrange, $longrange) = ('', '');
for (0 .. 50) {
    $longrange .= '0-1,3-4,0-1,3-4,';
    $medrange  .= '0-1,3-4,0-1,3-4,' if $_ % 2;
}

my @cases = (
    [ 'mr-default',     '0-100',           206 ],
    [ 'mr-default',     $medrange,         206 ],
    [ 'mr-default',     $longrange,        200 ],
    [ 'mr-none',        '0-100',           200 ],   # the module said 206
    [ 'mr-none',        $medrange,         200 ],
    [ 'mr-none',        $longrange,        200 ],
    [ 'mr-1/merge/none', '0-100',          200 ],   # the module said 206
    [ 'mr-1/merge/none', $medrange,        200 ],
    [ 'mr-1/merge/none', $longrange,       200 ],
    [ 'mr-1',           '0-100',           206 ],
    [ 'mr-1',           '0-100,200-300',   200 ],
    [ 'mr-2',           '0-100,200-300',   206 ],
    [ 'mr-2',           '0-100,200-300,400-500', 200 ],
    [ 'mr-unlimited',   '0-100',           206 ],
    [ 'mr-unlimited',   $medrange,         206 ],
    [ 'mr-unlimited',   $longrange,        206 ],
    # the server's MaxRanges 10 (t/conf/extra.conf.in)
    [ 'inherit',        '0-100',           206 ],
    [ 'inherit',        $medrange,         200 ],
    # under MaxRanges none the other single forms too, and a range that
    # cannot be satisfied is still 416, as the core answers
    [ 'mr-none',        '100-',            200 ],
    [ 'mr-none',        '-100',            200 ],
    [ 'mr-none',        "$size-",          416 ],
);

for my $c (@cases) {
    my ($variant, $h, $want) = @$c;
    my $label = length $h > 30 ? substr($h, 0, 24) . '...(' . length($h) . ')' : $h;
    my ($core, $got) = same_as_core($variant, 'byteranges.txt',
                                    [ Range => "bytes=$h" ],
                                    "$variant bytes=$label");
    is $core->code, $want, "$variant bytes=$label: the core answers $want";
    is $got->{$_}->code, $want, "$variant bytes=$label: $_ mode answers $want"
        for qw(map query);
}

# HEAD under MaxRanges none: the same headers as the core, no 206
same_as_core('mr-none', 'byteranges.txt', [ Range => 'bytes=0-9' ],
             'mr-none HEAD bytes=0-9', 'HEAD');

# BroadcastMaxChunk under MaxRanges none: the core ignores the range, so
# the whole file (a 200 is never capped)
{
    my ($core, $got) = same_as_core('mr-none-capped', 'byteranges.txt',
                                    [ Range => 'bytes=0-' ],
                                    'mr-none with BroadcastMaxChunk 1K');
    is length $got->{$_}->content, $size, "$_: MaxRanges none, whole file"
        for qw(map query);
}

done_testing();
