#!/usr/bin/perl
# C unit tests of src/core/secret.c (TAP from build/unit_secret)
exec "build/unit_secret" or die "cannot run build/unit_secret: $!";
