#!/usr/bin/env bash
# bench/nginx.sh -- broadcast-video (/mod), Apache's core static handler
# (/core) and nginx (/nginx, its own server on PORT+1, bench/nginx.conf.in)
# on the rows bound by per-request cost: a playlist-sized file (600 bytes)
# and random 64 KiB ranges of a 256 MiB file.  wrk -t2 -c8, the three
# sides alternated round by round; prints req/s and the ratios mod/nginx
# and core/nginx.  nginx is Debian's (apt-get install nginx-light, or
# NGINX_BIN=/path/to/nginx; not NGINX, which nginx reads itself).
#
#   bench/nginx.sh            (env: DURATION=5 ROUNDS=3 PORT=8094 NGINX_BIN=nginx
#                              MPM=event|worker: Apache's MPM, event as Debian ships it)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-5}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-8094}; MPM=${MPM:-event}
NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}
HTTPD=${HTTPD:-/usr/sbin/apache2}
make -s all >/dev/null

B=$TOP/bench/out
mkdir -p "$B/nginx"
. bench/lib.sh
bench_files
sed -e "s|@B@|$B|g" -e "s|@PORT@|$((PORT + 1))|g" bench/nginx.conf.in > "$B/nginx/nginx.conf"

export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
CONF=$B/httpd-$MPM.conf
bench_httpd_conf "$MPM" "$CONF"
"$HTTPD" -f "$CONF" -k start
"$NGINX_BIN" -c "$B/nginx/nginx.conf" -p "$B/nginx"
stop() {
  "$HTTPD" -f "$CONF" -k stop >/dev/null 2>&1 || true
  [ -f "$B/nginx/nginx.pid" ] && kill "$(cat "$B/nginx/nginx.pid")" 2>/dev/null || true
}
trap stop EXIT
url() { # url SIDE ROW
  local port=$PORT
  [ "$1" = nginx ] && port=$((PORT + 1))
  echo "http://127.0.0.1:$port/$1/$([ "$2" = playlist ] && echo index.m3u8 || echo big.bin)"
}
for _ in $(seq 50); do curl -sf -o /dev/null "$(url nginx playlist)" && curl -sf -o /dev/null "$(url core playlist)" && break; sleep 0.1; done
# sanity: the three serve the same bytes
for side in mod core nginx; do
  cmp -s "$B/files/index.m3u8" <(curl -sf "$(url $side playlist)") \
    && curl -sf -r 1000-1999 "$(url $side range)" | cmp -s - <(dd if="$F" bs=1000 skip=1 count=1 status=none) \
    || { echo "bench: $side does not serve the right bytes" >&2; exit 1; }
done

run_wrk() { # run_wrk SIDE ROW -> req/s
  local out
  if [ "$2" = playlist ]; then
    out=$(wrk -t2 -c8 -d"${DURATION}s" "$(url "$1" "$2")")
  else
    out=$(FILE_SIZE=$SIZE CHUNK=65536 wrk -t2 -c8 -d"${DURATION}s" -s bench/random-range.lua "$(url "$1" "$2")")
  fi
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: wrk saw errors on $1 $2" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec/ {print $2}' <<<"$out"
}

printf '%-14s %10s %10s %10s %10s %10s\n' row "mod req/s" "core req/s" "nginx req/s" mod/nginx core/nginx
for row in playlist range64k; do
  declare -A S=([mod]=0 [core]=0 [nginx]=0)
  for round in $(seq "$ROUNDS"); do
    case $((round % 3)) in 1) order="mod core nginx";; 2) order="nginx mod core";; 0) order="core nginx mod";; esac
    for side in $order; do
      S[$side]=$(echo "${S[$side]} + $(run_wrk $side $row)" | bc -l)
    done
  done
  printf '%-14s %10.1f %10.1f %10.1f %10.3f %10.3f\n' "$row" \
    "$(echo "${S[mod]} / $ROUNDS" | bc -l)" "$(echo "${S[core]} / $ROUNDS" | bc -l)" \
    "$(echo "${S[nginx]} / $ROUNDS" | bc -l)" \
    "$(echo "${S[mod]} / ${S[nginx]}" | bc -l)" "$(echo "${S[core]} / ${S[nginx]}" | bc -l)"
done
echo "Apache MPM $MPM; machine: $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c8 -d${DURATION}s x $ROUNDS rounds; $("$NGINX_BIN" -v 2>&1)"
