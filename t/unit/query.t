#!/usr/bin/perl
# C unit tests of src/core/query.c (TAP from build/unit_query)
exec "build/unit_query" or die "cannot run build/unit_query: $!";
