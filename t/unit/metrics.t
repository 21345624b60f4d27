#!/usr/bin/perl
# C unit tests of src/core/metrics_table.c and metrics_text.c (TAP from build/unit_metrics)
exec "build/unit_metrics" or die "cannot run build/unit_metrics: $!";
