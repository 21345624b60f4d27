#!/usr/bin/perl
# C unit tests of src/config/ (TAP from build/unit_conf)
exec "build/unit_conf" or die "cannot run build/unit_conf: $!";
