#!/usr/bin/perl
# C unit tests (TAP from build/unit_text)
exec "build/unit_text" or die "cannot run build/unit_text: $!";
