#!/usr/bin/perl
# C unit tests of src/core/s3list.c (TAP from build/unit_s3list)
exec "build/unit_s3list" or die "cannot run build/unit_s3list: $!";
