#!/usr/bin/perl
# C unit tests of src/core/s3presign.c (TAP from build/unit_s3presign)
exec "build/unit_s3presign" or die "cannot run build/unit_s3presign: $!";
