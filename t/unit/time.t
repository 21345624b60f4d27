#!/usr/bin/perl
# C unit tests of src/timefmt.c (TAP from build/unit_time)
exec "build/unit_time" or die "cannot run build/unit_time: $!";
