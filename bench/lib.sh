# bench/lib.sh -- sourced by the benchmarks that serve bench/out/files
# (nginx.sh, switches.sh, profile.sh); needs B (bench/out) and TOP.

# bench_files: a 256 MiB file of random bytes (F, its SIZE) and a
# playlist-sized index.m3u8 in $B/files, readable by the servers' user,
# the big file read once so that every side finds it in the page cache
bench_files() {
  mkdir -p "$B/files"
  F=$B/files/big.bin
  [ "$(stat -c %s "$F" 2>/dev/null || echo 0)" = 268435456 ] || head -c 268435456 /dev/urandom > "$F"
  SIZE=$(stat -c %s "$F")
  bench/playlist.sh "$B/files/index.m3u8"
  chmod -R a+rX "$B"
  cat "$F" > /dev/null
}

# bench_httpd_conf MPM OUT: bench/httpd-bench.conf with another MPM in OUT
# (event is what Debian ships; worker keeps a thread with its connection)
bench_httpd_conf() {
  sed "s|mpm_event_module \${MB_MODDIR}/mod_mpm_event.so|mpm_$1_module \${MB_MODDIR}/mod_mpm_$1.so|" \
    bench/httpd-bench.conf > "$2"
  grep -q "mod_mpm_$1.so" "$2" || { echo "bench: cannot set the MPM $1" >&2; exit 1; }
}
