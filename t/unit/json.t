#!/usr/bin/perl
# C unit tests of src/core/json.c (TAP from build/unit_json)
exec "build/unit_json" or die "cannot run build/unit_json: $!";
