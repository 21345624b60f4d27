#!/usr/bin/env bash
# bench/range.sh -- broadcast-video against Apache's own static file serving,
# in one run of one Apache: wrk with random single ranges (64 KiB, 1 MiB)
# full-file requests, and a playlist-sized file (600 bytes, what every
# viewer polls every few seconds). Prints requests/s and MB/s for each and the
# ratio module/core, plus the worker's memory before and after.
#
#   bench/range.sh            (env: DURATION=10 CONNS=8 THREADS=2 ROUNDS=2 WATCHLOG=1
#                              FILE_MB=256 PORT=8090 ROWS="playlist 65536 1048576 full")
# Loopback only; every wrk run is bounded by DURATION.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-10}; CONNS=${CONNS:-8}; THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}; FILE_MB=${FILE_MB:-256}; PORT=${PORT:-8090}
HTTPD=${HTTPD:-/usr/sbin/apache2}
bash .ci/install-deps
make -s all >/dev/null

B=$TOP/bench/out
mkdir -p "$B/files"
F=$B/files/big.bin
if [ "$(stat -c %s "$F" 2>/dev/null || echo 0)" != $((FILE_MB * 1048576)) ]; then
  head -c $((FILE_MB * 1048576)) /dev/urandom > "$F"
fi
bench/playlist.sh "$B/files/index.m3u8"
chmod -R a+rX "$B"
SIZE=$(stat -c %s "$F")
cat "$F" > /dev/null   # in the page cache for both

export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-bench.conf" -k start
trap '"$HTTPD" -f "$TOP/bench/httpd-bench.conf" -k stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/core/big.bin" -r 0-0 && break; sleep 0.1; done

# sanity: both serve the same bytes
for p in mod core; do
  curl -sf -r 1000-1999 "http://127.0.0.1:$PORT/$p/big.bin" | cmp -s - <(dd if="$F" bs=1000 skip=1 count=1 status=none) \
    || { echo "bench: /$p does not serve the right bytes" >&2; exit 1; }
done

rss() { local s=0 p; for p in $(pgrep -P "$(cat "$B/httpd.pid")"); do
          s=$((s + $(awk '/^VmRSS/ {print $2}' /proc/$p/status))); done; echo $s; }

to_mb() { # wrk's "Transfer/sec: 1.23GB" -> MB/s
  awk '{v=$1; u=$1; gsub(/[0-9.]/,"",u); gsub(/[A-Za-z]/,"",v);
        m=(u=="GB")?1024:(u=="MB")?1:(u=="KB")?1/1024:1/1048576; printf "%.1f", v*m}'; }

run_wrk() { # run_wrk PATH KIND -> "req/s MB/s"
  local path=$1 kind=$2 out
  if [ "$kind" = playlist ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$PORT${path%/*}/index.m3u8")
  elif [ "$kind" = full ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$PORT$path")
  else
    out=$(FILE_SIZE=$SIZE CHUNK=$kind wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" \
            -s "$TOP/bench/random-range.lua" "http://127.0.0.1:$PORT$path")
  fi
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: wrk saw errors on $path" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '/^Transfer\/sec/ {print $2}' <<<"$out" | to_mb)"
}

rss0=$(rss)
printf '%-14s %12s %10s %12s %10s %7s\n' row "mod req/s" "mod MB/s" "core req/s" "core MB/s" ratio
declare -A R
for kind in ${ROWS:-playlist 65536 1048576 full}; do
  mr=0; mm=0; cr=0; cm=0
  for round in $(seq "$ROUNDS"); do
    # alternate the order so that neither side always runs first
    if [ $((round % 2)) = 1 ]; then order="mod core"; else order="core mod"; fi
    for side in $order; do
      read -r rq mb < <(run_wrk "/$side/big.bin" "$kind")
      if [ $side = mod ]; then mr=$(echo "$mr + $rq" | bc -l); mm=$(echo "$mm + $mb" | bc -l)
      else cr=$(echo "$cr + $rq" | bc -l); cm=$(echo "$cm + $mb" | bc -l); fi
    done
  done
  case $kind in playlist) name="playlist 600B";; 65536) name="range 64KiB";; 1048576) name="range 1MiB";; full) name="full ${FILE_MB}MiB";; *) name="range $((kind / 1024))KiB";; esac
  printf '%-14s %12.1f %10.1f %12.1f %10.1f %7.3f\n' "$name" \
    "$(echo "$mr / $ROUNDS" | bc -l)" "$(echo "$mm / $ROUNDS" | bc -l)" \
    "$(echo "$cr / $ROUNDS" | bc -l)" "$(echo "$cm / $ROUNDS" | bc -l)" \
    "$(echo "$mr / $cr" | bc -l)"
done
rss1=$(rss)
echo "worker RSS: ${rss0} KiB before, ${rss1} KiB after (every run above, GiBs served)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); wrk -t$THREADS -c$CONNS -d${DURATION}s x $ROUNDS rounds"

# The watch log's row (issue 4): the same kind of ranged requests with
# BroadcastWatchLog On against Off, SQLite, in its own Apache
# (bench/watchlog.sh has the details and PostgreSQL; WATCHLOG=0 skips it).
if [ "${WATCHLOG:-1}" = 1 ]; then
  echo
  echo "watch log on/off (bench/watchlog.sh, SQLite, 64 KiB ranges):"
  ENGINES=sqlite CHUNK=65536 ROUNDS=$ROUNDS DURATION=$DURATION bench/watchlog.sh
fi
