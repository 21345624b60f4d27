#!/usr/bin/env bash
# bench/viewer-instr.sh -- the cost of a viewer link per request in
# instructions (perf stat on the one server process, apache2 -X; unlike
# requests/s, not moved by the load of a shared machine): ranged 64 KiB
# requests without a link, through a link (revocation cache on) and
# through a link with the cache off.  Uses bench/viewer-link.sh's setup
# (run that first, or SETUP=1 here).
#
#   bench/viewer-instr.sh   (env: PORT=30622 SECONDS_EACH=3 ROUNDS=2)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
PORT=${PORT:-30622}; EACH=${SECONDS_EACH:-3}; ROUNDS=${ROUNDS:-2}
HTTPD=${HTTPD:-/usr/sbin/apache2}
B=$TOP/bench/out/viewer
[ -s "$B/token" ] || SETUP_ONLY=1 bench/viewer-link.sh
ID=$(cat "$B/id"); TOKEN=$(cat "$B/token")
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
rm -f "$B/httpd.pid"
(cd "$B" && exec "$HTTPD" -X -f "$TOP/bench/httpd-viewer.conf") &
SRV=$!
trap 'kill $SRV 2>/dev/null || true' EXIT
U=http://127.0.0.1:$PORT
for _ in $(seq 50); do curl -s -o /dev/null "$U/live/$ID/seg.ts" && break; sleep 0.1; done
measure() { # measure NAME URL -> "NAME requests cpu-ms us-per-request"
  perf stat -x, -e task-clock -p "$SRV" -o "$B/perf.txt" -- \
    wrk -t1 -c4 -d"${EACH}s" -H 'Range: bytes=0-65535' "$2" > "$B/wrk.txt" 2>&1
  local n ms
  n=$(awk '/requests in/ {print $1}' "$B/wrk.txt")
  ms=$(grep 'task-clock' "$B/perf.txt" | cut -d, -f1)
  echo "$1 $n $ms $(echo "$ms * 1000 / $n" | bc -l)"
}
printf '| side | requests | server CPU ms | server CPU us/request |\n| --- | ---: | ---: | ---: |\n'
for r in $(seq "$ROUNDS"); do
  for s in plain link nocache; do
    case $s in
      plain) u="$U/live/$ID/seg.ts";; link) u="$U/live/t/$TOKEN/$ID/seg.ts";;
      nocache) u="$U/live-nocache/t/$TOKEN/$ID/seg.ts";;
    esac
    measure "$s" "$u" | awk '{printf "| %s | %d | %.0f | %.1f |\n", $1, $2, $3, $4}'
  done
done
