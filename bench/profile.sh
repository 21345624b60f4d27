#!/usr/bin/env bash
# bench/profile.sh -- where one request's time goes, broadcast-video against
# Apache's core static handler, on the rows of bench/range.sh that are
# bound by per-request cost: a 64 KiB range of a 256 MiB file and a
# playlist-sized file (600 bytes).  For each row and side:
#  - the system calls of N requests on one kept-alive curl connection
#    (strace -c on the worker): calls per request, which do not depend on
#    the machine's load;
#  - a profile of the worker under wrk (perf record -e cpu-clock -g; this
#    machine has no hardware counters): the top entries by self time, and
#    the share of mod_broadcast.so, httpd, APR and the kernel.
# (valgrind 3.19's callgrind cannot be used here: it does not know openat2(2)
# and answers ENOSYS, so the module refuses every file under it.)
#
#   bench/profile.sh          (env: N=2000 DURATION=8 PORT=8091 TOP_N=20)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
N=${N:-2000}; DURATION=${DURATION:-8}; PORT=${PORT:-8091}; TOP_N=${TOP_N:-20}
HTTPD=${HTTPD:-/usr/sbin/apache2}
make -s all >/dev/null

B=$TOP/bench/out
P=$B/profile
mkdir -p "$P"
. bench/lib.sh
bench_files
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-bench.conf" -k start
trap '"$HTTPD" -f "$TOP/bench/httpd-bench.conf" -k stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/core/index.m3u8" && break; sleep 0.1; done
W=$(pgrep -P "$(cat "$B/httpd.pid")" | head -1)

url() { echo "http://127.0.0.1:$PORT/$1/$([ "$2" = playlist ] && echo index.m3u8 || echo big.bin)"; }
hdr() { [ "$1" = playlist ] || echo "-r 1048576-1114111"; }

printf '%-10s %-5s %10s  %s\n' row side "calls/req" "system calls per request (strace -c, $N requests)"
for row in range64k playlist; do
  for side in mod core; do
    u=$(url $side $row)
    { for _ in $(seq "$N"); do echo "url = \"$u\""; echo "output = /dev/null"; done; } > "$P/curl.cfg"
    strace -q -f -c -o "$P/strace.$row.$side" -p "$W" 2>/dev/null & st=$!
    sleep 1
    # shellcheck disable=SC2046
    curl -s $(hdr $row) -K "$P/curl.cfg"
    sleep 0.5; kill -INT $st; wait $st || true
    calls=$(awk '$NF=="total" {print $(NF-2)}' "$P/strace.$row.$side")
    detail=$(awk 'NR>2 && $NF!="total" && $1!~/^-/ {n=($5 ~ /^[0-9]+$/ && NF==6)?$4:$4; printf "%s %.2f, ", $NF, n/'"$N"'}' "$P/strace.$row.$side")
    printf '%-10s %-5s %10.2f  %s\n' $row $side "$(echo "$calls / $N" | bc -l)" "$detail"
  done
done
echo
for row in range64k playlist; do
  for side in mod core; do
    out=$P/perf.$row.$side
    perf record -q -e cpu-clock -g -o "$out" -p "$W" -- sleep "$DURATION" >/dev/null 2>&1 &
    pr=$!
    if [ $row = playlist ]; then
      r=$(wrk -t2 -c8 -d"${DURATION}s" "$(url $side $row)" | awk '/^Requests\/sec/ {print $2}')
    else
      r=$(FILE_SIZE=268435456 CHUNK=65536 wrk -t2 -c8 -d"${DURATION}s" -s bench/random-range.lua "$(url $side $row)" | awk '/^Requests\/sec/ {print $2}')
    fi
    wait $pr || true
    echo "== $row $side: $r req/s under perf; share of the worker's samples by object:"
    { perf report -i "$out" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8; } || true
    echo "   top $TOP_N symbols (self):"
    { perf report -i "$out" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -n "$TOP_N"; } || true
  done
done
