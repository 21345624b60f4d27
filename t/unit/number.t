#!/usr/bin/perl
# C unit tests of src/core/number.c (TAP from build/unit_number)
exec "build/unit_number" or die "cannot run build/unit_number: $!";
