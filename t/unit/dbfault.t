#!/usr/bin/perl
# C unit tests (TAP from build/unit_dbfault)
exec "build/unit_dbfault" or die "cannot run build/unit_dbfault: $!";
