#!/usr/bin/perl
# C unit tests of src/core/hls.c and src/core/hls_ingest.c (TAP from build/unit_hls)
exec "build/unit_hls" or die "cannot run build/unit_hls: $!";
