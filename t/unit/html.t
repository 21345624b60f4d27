#!/usr/bin/perl
# C unit tests (TAP from build/unit_html)
exec "build/unit_html" or die "cannot run build/unit_html: $!";
