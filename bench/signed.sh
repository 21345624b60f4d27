#!/usr/bin/env bash
# bench/signed.sh -- the cost of a signed link (issue 12): wrk with random
# 64 KiB single ranges through broadcast-video without a link (/plain) and
# through a folder link minted by build/mb-link (/signed/s/<token>/,
# Require broadcast-signed), in one run of one Apache, alternating the
# order every round.  Prints requests/s per side and the ratio
# signed/plain (the issue's target: at least 0.95).
#
#   bench/signed.sh     (env: DURATION=10 CONNS=8 THREADS=2 ROUNDS=4
#                        FILE_MB=64 CHUNK=65536 PORT=8092 CALLGRIND_N=2000)
# Then, as wall-clock rates on a shared machine are noisy, the same server
# in one process (-X) under valgrind's callgrind: instructions per request
# of each side, counted over CALLGRIND_N requests of one curl (the load of
# the machine does not change them); CALLGRIND_N=0 skips it.
# Loopback only; every wrk run is bounded by DURATION.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-10}; CONNS=${CONNS:-8}; THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-4}; FILE_MB=${FILE_MB:-64}; CHUNK=${CHUNK:-65536}; PORT=${PORT:-8092}
HTTPD=${HTTPD:-/usr/sbin/apache2}
make -s all >/dev/null

B=$TOP/bench/out
mkdir -p "$B/files"
F=$B/files/signed.bin
if [ "$(stat -c %s "$F" 2>/dev/null || echo 0)" != $((FILE_MB * 1048576)) ]; then
  head -c $((FILE_MB * 1048576)) /dev/urandom > "$F"
fi
[ -s "$B/video-secret" ] || head -c 32 /dev/urandom | base64 > "$B/video-secret"
chmod -R a+rX "$B"
SIZE=$(stat -c %s "$F")
cat "$F" > /dev/null   # in the page cache for both

export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-signed.conf" -k start
trap '"$HTTPD" -f "$TOP/bench/httpd-signed.conf" -k stop >/dev/null 2>&1 || true' EXIT
LINK=$(build/mb-link video --secret "file:$B/video-secret" --base "http://127.0.0.1:$PORT/signed" \
         --prefix /signed/ --lifetime 86400)
SIGNED=${LINK#http://127.0.0.1:$PORT}signed.bin
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/plain/signed.bin" -r 0-0 && break; sleep 0.1; done

# sanity: both serve the same bytes, and the signed side needs its link
for p in "/plain/signed.bin" "$SIGNED"; do
  curl -sf -r 1000-1999 "http://127.0.0.1:$PORT$p" | cmp -s - <(dd if="$F" bs=1000 skip=1 count=1 status=none) \
    || { echo "bench: $p does not serve the right bytes" >&2; exit 1; }
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/signed/signed.bin")" = 403 ] \
  || { echo "bench: /signed without a link is not refused" >&2; exit 1; }

run_wrk() { # run_wrk PATH -> req/s
  local out
  out=$(FILE_SIZE=$SIZE CHUNK=$CHUNK wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" \
          -s "$TOP/bench/random-range.lua" "http://127.0.0.1:$PORT$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: wrk saw errors on $1" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec/ {print $2}' <<<"$out"
}

printf '%-6s %14s %14s %8s\n' round "plain req/s" "signed req/s" ratio
sp=0; ss=0
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="plain signed"; else order="signed plain"; fi
  for side in $order; do
    if [ $side = plain ]; then p=$(run_wrk /plain/signed.bin); else s=$(run_wrk "$SIGNED"); fi
  done
  printf '%-6s %14.1f %14.1f %8.3f\n' "$round" "$p" "$s" "$(echo "$s / $p" | bc -l)"
  sp=$(echo "$sp + $p" | bc -l); ss=$(echo "$ss + $s" | bc -l)
done
printf '%-6s %14.1f %14.1f %8.3f\n' mean "$(echo "$sp / $ROUNDS" | bc -l)" \
  "$(echo "$ss / $ROUNDS" | bc -l)" "$(echo "$ss / $sp" | bc -l)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNS -d${DURATION}s, ${CHUNK}-byte ranges of a ${FILE_MB} MiB file, x $ROUNDS rounds"

# ---- instructions per request (callgrind), independent of the load -------
# valgrind 3.19 has no openat2(2): under it the handler's confined open
# fails and both sides answer 403 from the same place, after the link's
# check; the difference of the two sides is what the check adds.
# One Apache process (-X) per side under callgrind, counting only inside
# ap_process_request (startup and shutdown left out), N requests of one curl.
N=${CALLGRIND_N:-2000}
[ "$N" -gt 0 ] || exit 0
"$HTTPD" -f "$TOP/bench/httpd-signed.conf" -k stop >/dev/null 2>&1 || true
for _ in $(seq 50); do [ -e "$B/httpd-signed.pid" ] || break; sleep 0.2; done
trap - EXIT
urls() { local i; for i in $(seq "$2"); do echo "url = \"http://127.0.0.1:$PORT$1\""; echo "output = /dev/null"; done; }
count() { # count PATH -> instructions per request over N requests
  rm -rf "$B/cg" && mkdir -p "$B/cg" && chmod 1777 "$B/cg"   # the child runs as nobody
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect='ap_process_request' --toggle-collect='ap_process_async_request' \
    --callgrind-out-file="$B/cg/out.%p" "$HTTPD" -X -f "$TOP/bench/httpd-signed.conf" \
    >"$B/callgrind.log" 2>&1 &
  local vg=$! i
  for i in $(seq 600); do curl -s -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/plain/signed.bin" && break; sleep 0.2; done
  # callgrind made its output file as root; it writes it at exit as nobody
  chown nobody "$B"/cg/out.*
  urls "$1" "$N" | curl -s -r 0-$((CHUNK - 1)) -K - >/dev/null
  kill -TERM $vg; wait $vg || true
  # the one warm-up request above is in the count too: N + 1
  awk -v n="$N" '/^(summary|totals):/ {print $2 / (n + 1); exit}' "$B"/cg/out.*
}
ip=$(count /plain/signed.bin); is=$(count "$SIGNED")
printf 'instructions per request (callgrind, %d requests each side): plain %.0f, signed %.0f: the link adds %.0f\n' \
  "$N" "$ip" "$is" "$(echo "$is - $ip" | bc -l)"
