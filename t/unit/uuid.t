#!/usr/bin/perl
# C unit tests of src/core/uuid.c (TAP from build/unit_uuid)
exec "build/unit_uuid" or die "cannot run build/unit_uuid: $!";
