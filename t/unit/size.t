#!/usr/bin/perl
# C unit tests of src/core/size.c (TAP from build/unit_size)
exec "build/unit_size" or die "cannot run build/unit_size: $!";
