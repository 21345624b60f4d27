#!/usr/bin/perl
# The built module exports its module record and nothing else (issue 10):
# every other function and variable of mod_broadcast.c and src/ is
# hidden (-fvisibility=hidden), so that no mb_* symbol of ours can clash
# with, or be bound by, another module or library loaded into httpd.
use strict;
use warnings FATAL => 'all';
use Test::More;

my $so = '.libs/mod_broadcast.so';
ok -f $so, "$so is built" or BAIL_OUT("no $so: run make");
my @lines = `nm -D --defined-only $so`;
is $?, 0, 'nm -D reads it';
my %sym = map { my @f = split ' '; ($f[-1] => $f[-2]) } grep { /\S/ } @lines;
# what the toolchain itself may define in any shared object
delete @sym{qw(_init _fini _edata _end __bss_start)};
# and, in the SANITIZE=1 build (make test-sanitize runs this test too),
# AddressSanitizer's ODR indicator of each exported global
delete @sym{ map { "__odr_asan.$_" } keys %sym };
is_deeply [sort keys %sym], ['broadcast_module'],
    'the only defined dynamic symbol is broadcast_module'
    or diag "also exported: ", join(' ', grep { $_ ne 'broadcast_module' } sort keys %sym);
like $sym{broadcast_module} // '', qr/^[DdBb]$/, 'broadcast_module is data';
done_testing;
