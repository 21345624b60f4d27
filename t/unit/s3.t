#!/usr/bin/perl
# C unit tests of src/core/s3.c (TAP from build/unit_s3)
exec "build/unit_s3" or die "cannot run build/unit_s3: $!";
