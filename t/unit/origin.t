#!/usr/bin/perl
# C unit tests of src/core/origin.c (TAP from build/unit_origin)
exec "build/unit_origin" or die "cannot run build/unit_origin: $!";
