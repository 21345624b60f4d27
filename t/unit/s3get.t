#!/usr/bin/perl
# C unit tests of src/core/s3get.c (TAP from build/unit_s3get)
exec "build/unit_s3get" or die "cannot run build/unit_s3get: $!";
