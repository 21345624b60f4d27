# FileETag on broadcast-video (httpd-tests t/apache/etags.t, our own code):
# the fields the ETag holds for every keyword, relative keyword and
# inheritance case, in both modes, each equal to the core's ETag for the
# same file under the same settings (t/conf/byterange.conf.in).
# Where etags.t expects "" after relative removals it asserts nothing (an
# empty Perl pattern matches whatever the last one did); httpd 2.4 there
# keeps the other fields, and removing every field gives the default
# (MTime Size): those are asserted here.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Core qw(write_cmp_file same_as_core);

write_cmp_file('test.txt', "etag test file\n");

my $x = '[0-9a-fA-F]+';
my ($one, $two, $three) = (qr/^"$x"$/, qr/^"$x-$x"$/, qr/^"$x-$x-$x"$/);
my %fields = (plain => $two);           # the default: MTime Size
$fields{$_->[0]} = $_->[1] for (
    [ m => $one ], [ i => $one ], [ s => $one ], [ mi => $two ], [ ms => $two ],
    [ is => $two ], [ mis => $three ], [ all => $three ], [ none => undef ],
    (map { [ "all/$_->[0]", $_->[1] ] }
         [ m => $one ], [ i => $one ], [ s => $one ], [ mi => $two ],
         [ ms => $two ], [ is => $two ], [ mis => $three ],
         [ inherit => $three ], [ 'minus-m' => $two ], [ 'minus-i' => $two ],
         [ 'minus-s' => $two ], [ 'minus-mi' => $one ], [ 'minus-ms' => $one ],
         [ 'minus-is' => $one ], [ 'minus-mis' => $two ]),
    (map { [ "none/$_->[0]", $_->[1] ] }
         [ m => $one ], [ i => $one ], [ s => $one ], [ mi => $two ],
         [ ms => $two ], [ is => $two ], [ mis => $three ], [ inherit => undef ],
         [ 'plus-m' => $one ], [ 'plus-i' => $one ], [ 'plus-s' => $one ],
         [ 'plus-mi' => $two ], [ 'plus-ms' => $two ], [ 'plus-is' => $two ],
         [ 'plus-mis' => $three ]),
    (map { [ "none/plus-mis/$_->[0]", $_->[1] ] }
         [ 'minus-m' => $two ], [ 'minus-i' => $two ], [ 'minus-s' => $two ],
         [ 'minus-mi' => $one ], [ 'minus-ms' => $one ], [ 'minus-is' => $one ],
         [ 'minus-mis' => $two ]),
    (map { [ "m/$_->[0]", $_->[1] ] }
         [ 'plus-m' => $one ], [ 'plus-i' => $two ], [ 'plus-s' => $two ],
         [ 'plus-mi' => $two ], [ 'plus-ms' => $two ], [ 'plus-is' => $three ],
         [ 'plus-mis' => $three ], [ 'minus-m' => $two ],
         [ 'minus-i' => $one ], [ 'minus-s' => $one ],
         [ 'minus-mi' => $two ], [ 'minus-ms' => $two ],
         [ 'minus-is' => $one ], [ 'minus-mis' => $two ]),
);

for my $v (sort keys %fields) {
    my $variant = $v eq 'plain' ? 'plain' : "etag/$v";
    for my $method (qw(HEAD GET)) {
        my ($core, $got) = same_as_core($variant, 'test.txt', [],
                                        "FileETag $v $method", $method);
        for my $mode (qw(map query)) {
            my $etag = $got->{$mode}->header('ETag');
            if (defined $fields{$v}) {
                like $etag // '', $fields{$v},
                    "FileETag $v $method ($mode): the expected fields";
            }
            else {
                ok !defined $etag, "FileETag $v $method ($mode): no ETag";
            }
        }
    }
}

# the validators work as the core's: If-None-Match with the ETag, If-Range
my ($core) = same_as_core('etag/mis', 'test.txt', [], 'ETag for conditions');
my $etag = $core->header('ETag');
same_as_core('etag/mis', 'test.txt', [ 'If-None-Match' => $etag ],
             'If-None-Match with the ETag');
same_as_core('etag/mis', 'test.txt', [ Range => 'bytes=0-3', 'If-Range' => $etag ],
             'If-Range with the ETag');
same_as_core('etag/mis', 'test.txt', [ Range => 'bytes=0-3', 'If-Range' => '"x"' ],
             'If-Range with another ETag');
same_as_core('etag/none', 'test.txt', [ Range => 'bytes=0-3', 'If-Range' => $etag ],
             'If-Range without an ETag');

done_testing();
