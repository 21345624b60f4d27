#!/usr/bin/perl
# C unit tests (TAP from build/unit_status)
exec "build/unit_status" or die "cannot run build/unit_status: $!";
