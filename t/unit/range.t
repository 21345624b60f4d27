#!/usr/bin/perl
# C unit tests of src/core/range.c (TAP from build/unit_range)
exec "build/unit_range" or die "cannot run build/unit_range: $!";
