#!/usr/bin/perl
# C unit tests of src/core/validate.c (TAP from build/unit_validate)
exec "build/unit_validate" or die "cannot run build/unit_validate: $!";
