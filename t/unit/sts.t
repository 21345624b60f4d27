#!/usr/bin/perl
# C unit tests of src/core/sts.c (TAP from build/unit_sts)
exec "build/unit_sts" or die "cannot run build/unit_sts: $!";
