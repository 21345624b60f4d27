#!/usr/bin/env bash
# bench/switches.sh -- why Apache serves fewer small requests per second
# than nginx on this machine, in numbers that do not depend on its load:
# per request, the server's CPU time and its context switches (perf stat
# -e task-clock,context-switches on every server process, software events:
# these virtual CPUs have no hardware counters), for broadcast-video (/mod),
# the core's static handler (/core) and nginx, on a playlist-sized file and
# on random 64 KiB ranges (the CPU time split into user and kernel from
# /proc/PID/stat, clock ticks: use DURATION >= 5), with Apache under the event MPM (what Debian
# ships) and under the worker MPM (a thread stays with its connection, no
# hand-off to the listener between kept-alive requests).
#
#   bench/switches.sh         (env: DURATION=4 PORT=8098 MPMS="event worker")
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-4}; PORT=${PORT:-8098}; MPMS=${MPMS:-event worker}
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
HTTPD=${HTTPD:-/usr/sbin/apache2}
make -s all >/dev/null

B=$TOP/bench/out
S=$B/switches
mkdir -p "$B/nginx" "$S"
. bench/lib.sh
bench_files
sed -e "s|@B@|$B|g" -e "s|@PORT@|$((PORT + 1))|g" bench/nginx.conf.in > "$S/nginx.conf"
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)

stop_all() {
  [ -f "$S/httpd.conf" ] && "$HTTPD" -f "$S/httpd.conf" -k stop >/dev/null 2>&1 || true
  [ -f "$B/nginx/nginx.pid" ] && kill "$(cat "$B/nginx/nginx.pid")" 2>/dev/null || true
  sleep 1
}
trap stop_all EXIT

ticks() { # ticks PIDS FIELD -> the processes' user (14) or kernel (15) clock ticks, all threads
  local p t=0
  for p in ${1//,/ }; do t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f$(($2 - 2))))); done
  echo $t
}
measure() { # measure LABEL URL ROW PIDS -> one table line
  local label=$1 url=$2 row=$3 pids=$4 out n ms cs u0 k0 u1 k1 hz
  hz=$(getconf CLK_TCK); u0=$(ticks "$pids" 14); k0=$(ticks "$pids" 15)
  if [ "$row" = playlist ]; then
    perf stat -x, -e task-clock,context-switches -p "$pids" -o "$S/perf.txt" -- \
      wrk -t2 -c8 -d"${DURATION}s" "$url" > "$S/wrk.txt" 2>&1
  else
    FILE_SIZE=$SIZE CHUNK=65536 perf stat -x, -e task-clock,context-switches -p "$pids" \
      -o "$S/perf.txt" -- wrk -t2 -c8 -d"${DURATION}s" -s bench/random-range.lua "$url" \
      > "$S/wrk.txt" 2>&1
  fi
  if grep -q Non-2xx "$S/wrk.txt"; then echo "bench: errors from $label" >&2; cat "$S/wrk.txt" >&2; exit 1; fi
  u1=$(ticks "$pids" 14); k1=$(ticks "$pids" 15)
  n=$(awk '/requests in/ {print $1}' "$S/wrk.txt")
  ms=$(awk -F, '/task-clock/ {print $1}' "$S/perf.txt")
  cs=$(awk -F, '/context-switches/ {print $1}' "$S/perf.txt")
  printf '| %s | %s | %s | %.0f | %.1f | %.1f | %.1f | %.2f |\n' "$row" "$label" "$n" \
    "$(echo "$n / $DURATION" | bc -l)" "$(echo "$ms * 1000 / $n" | bc -l)" \
    "$(echo "($u1 - $u0) * 1000000 / $hz / $n" | bc -l)" "$(echo "($k1 - $k0) * 1000000 / $hz / $n" | bc -l)" \
    "$(echo "$cs / $n" | bc -l)"
}

printf '| row | server | requests | req/s | server CPU us/request | of it user | of it kernel | context switches/request |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for mpm in $MPMS; do
  bench_httpd_conf "$mpm" "$S/httpd.conf"
  sed -i "s|^PidFile .*|PidFile \"$S/httpd.pid\"|" "$S/httpd.conf"
  "$HTTPD" -f "$S/httpd.conf" -k start
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/core/index.m3u8" && break; sleep 0.1; done
  pids=$(pgrep -d, -f "$S/httpd.conf")
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/mod/index.m3u8"
  wrk -t2 -c8 -d1s "http://127.0.0.1:$PORT/mod/index.m3u8" >/dev/null   # warm
  for row in playlist range64k; do
    for side in ${SIDES:-mod core}; do
      file=$([ $row = playlist ] && echo index.m3u8 || echo big.bin)
      measure "Apache $mpm, /$side" "http://127.0.0.1:$PORT/$side/$file" $row "$pids"
    done
  done
  "$HTTPD" -f "$S/httpd.conf" -k stop; sleep 1
done
"$NGINX_BIN" -c "$S/nginx.conf" -p "$B/nginx"
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$((PORT + 1))/nginx/index.m3u8" && break; sleep 0.1; done
m=$(cat "$B/nginx/nginx.pid"); pids="$m,$(pgrep -d, -P "$m")"
for row in playlist range64k; do
  file=$([ $row = playlist ] && echo index.m3u8 || echo big.bin)
  measure "nginx" "http://127.0.0.1:$((PORT + 1))/nginx/$file" $row "$pids"
done
echo "(wrk -t2 -c8 -d${DURATION}s per line; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $("$NGINX_BIN" -v 2>&1))"
