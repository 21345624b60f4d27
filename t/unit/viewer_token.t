#!/usr/bin/perl
# C unit tests of src/core/viewer_token.c (TAP from build/unit_viewer_token)
exec "build/unit_viewer_token" or die "cannot run build/unit_viewer_token: $!";
