#!/usr/bin/perl
# C unit tests (TAP from build/unit_chart)
exec "build/unit_chart" or die "cannot run build/unit_chart: $!";
