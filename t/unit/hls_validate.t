#!/usr/bin/perl
# C unit tests of the validation of uploaded playlists (src/core/hls_ingest.c, TAP from build/unit_hls_validate)
exec "build/unit_hls_validate" or die "cannot run build/unit_hls_validate: $!";
