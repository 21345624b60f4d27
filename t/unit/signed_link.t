#!/usr/bin/perl
# C unit tests of src/core/signed_link.c (TAP from build/unit_signed_link)
exec "build/unit_signed_link" or die "cannot run build/unit_signed_link: $!";
