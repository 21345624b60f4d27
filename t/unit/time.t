#!/usr/bin/perl
# C unit tests of src/core/timefmt.c (TAP from build/unit_time)
exec "build/unit_time" or die "cannot run build/unit_time: $!";
