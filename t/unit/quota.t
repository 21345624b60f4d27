#!/usr/bin/perl
# C unit tests of the running count of a live stream's bytes (src/core/quota.c, TAP from build/unit_quota)
exec "build/unit_quota" or die "cannot run build/unit_quota: $!";
