#!/usr/bin/perl
# C unit tests of src/core/path.c (TAP from build/unit_path)
exec "build/unit_path" or die "cannot run build/unit_path: $!";
