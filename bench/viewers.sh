#!/usr/bin/env bash
# bench/viewers.sh -- how many live HLS viewers one machine holds (issue 13
# section 1): ffmpeg pushes a live stream over HTTP PUT (2 s segments) into
# broadcast-live, and the audience simulator (build/hlsviewers: one
# process, each viewer its own kept-alive connection from its own source
# address, polling the playlist every target duration and fetching every
# new segment once) watches it, in steps of more viewers, through
#   module   broadcast-live                       (bench/httpd-viewers.conf /live)
#   module+wl broadcast-live with the watch log on (SQLite, /live-wl)
#   nginx    the same live directory served statically (bench/nginx-viewers.conf)
# alternating the three at every step, in the same run.  A step holds when
# no viewer stalled (no segment later than its duration after it appeared
# in the playlist, no playlist frozen for 3 target durations), the
# playlist's p99 stayed under 500 ms and no request failed (a 5xx or no
# answer).  A 404 is shown apart (column 4xx), not counted as a failure:
# ffmpeg PUTs a segment and the playlist over separate connections without
# waiting for the answers, so a playlist can name a segment a moment
# before the server has stored it, whoever serves the directory.  Reports
# the largest count that held for each.
#
#   bench/viewers.sh   (env: PORT=8096 NGINX_PORT=8097 STEPS="50 100 200 400 800 1600"
#                       STEP_SECONDS=15 RAMP=5 SIZE=640x360 BITRATE=1M)
# The machine's 2 cores are shared by the server, ffmpeg and the load tool.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
PORT=${PORT:-8096}; NGINX_PORT=${NGINX_PORT:-8097}   # bench/nginx.sh has 8094-8095
STEPS=${STEPS:-50 100 200 400 800 1600}; STEP_SECONDS=${STEP_SECONDS:-15}; RAMP=${RAMP:-5}
SIZE=${SIZE:-640x360}; BITRATE=${BITRATE:-1M}
HTTPD=${HTTPD:-/usr/sbin/apache2}; NGINX=${NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || { echo "bench: nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }
make -s all build/hlsviewers >/dev/null
ulimit -n 20000

B=$TOP/bench/out/viewers
rm -rf "$B"
mkdir -p "$B/db" "$B/live" "$B/nginx-tmp" "$B/src"
cat conf/schema/sqlite/streams.sql conf/schema/sqlite/watch_log.sql | sqlite3 "$B/db/bench.sqlite" >/dev/null
TOKEN=$(openssl rand -hex 32)
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
ID=$(cat /proc/sys/kernel/random/uuid)
sqlite3 "$B/db/bench.sqlite" "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live,
  start_us, upload_token_hash, upload_expires_us) VALUES ('$ID', 'bench', 'viewers', 'hls', '', 1,
  0, '$HASH', 9000000000000000)"
mkdir "$B/live/$ID"
chown -R nobody:nogroup "$B/db" "$B/live" "$B/nginx-tmp"
chmod -R a+rX "$B"

# the source: encoded once (x264, a key frame every 2 s), pushed with
# -c copy in a loop, so that ffmpeg costs little during the run
echo "bench: encoding 30 s of ${SIZE} at ${BITRATE}bit/s" >&2
ffmpeg -nostdin -v error -f lavfi -i "testsrc=size=$SIZE:rate=25" -f lavfi -i sine=frequency=440 \
  -t 30 -c:v libx264 -preset veryfast -b:v "$BITRATE" -maxrate "$BITRATE" -bufsize 2M -g 50 \
  -keyint_min 50 -sc_threshold 0 -pix_fmt yuv420p -c:a aac -b:a 64k "$B/src/source.ts"

FFPID=
cleanup() {
  [ -n "$FFPID" ] && kill "$FFPID" 2>/dev/null || true
  "$HTTPD" -f "$TOP/bench/httpd-viewers.conf" -k stop >/dev/null 2>&1 || true
  [ -f "$B/nginx.pid" ] && kill "$(cat "$B/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-viewers.conf" -k start
sed -e "s|\${MB_BENCH}|$B|g" -e "s|\${MB_NGINX_PORT}|$NGINX_PORT|g" bench/nginx-viewers.conf > "$B/nginx.conf"
"$NGINX" -c "$B/nginx.conf"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

ffmpeg -nostdin -v error -re -stream_loop -1 -i "$B/src/source.ts" -c copy -f hls -hls_time 2 \
  -hls_list_size 6 -method PUT -headers "Authorization: Bearer $TOKEN"$'\r\n' \
  "http://127.0.0.1:$PORT/live/$ID/index.m3u8" >"$B/ffmpeg.log" 2>&1 &
FFPID=$!
for _ in $(seq 100); do
  [ "$(grep -c '\.ts' "$B/live/$ID/index.m3u8" 2>/dev/null || echo 0)" -ge 3 ] && break; sleep 0.2
done
grep -q '\.ts' "$B/live/$ID/index.m3u8" || { echo "bench: ffmpeg pushes nothing:" >&2; cat "$B/ffmpeg.log" >&2; exit 1; }

declare -A URL=([module]="http://127.0.0.1:$PORT/live/$ID/index.m3u8"
                [module+wl]="http://127.0.0.1:$PORT/live-wl/$ID/index.m3u8"
                [nginx]="http://127.0.0.1:$NGINX_PORT/live/$ID/index.m3u8")
declare -A HELD=([module]=0 [module+wl]=0 [nginx]=0) DONE=()
field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p"; }
printf '%-10s %7s %9s %10s %8s %8s %7s %6s %4s  %s\n' target viewers requests "MiB" "p50 ms" "p99 ms" stalls errors 4xx held
for n in $STEPS; do
  for target in module module+wl nginx; do
    [ -n "${DONE[$target]:-}" ] && continue
    out=$(build/hlsviewers -u "${URL[$target]}" -n "$n" -d "$STEP_SECONDS" -r "$RAMP" -s 127.10.0.1)
    echo "$out" >> "$B/steps.jsonl"
    p99=$(echo "$out" | field playlist_p99_ms); stalls=$(echo "$out" | field stalls)
    errors=$(( $(echo "$out" | field errors) + $(echo "$out" | field status_5xx) ))
    e4xx=$(echo "$out" | field status_4xx)
    held=no
    if [ "$stalls" = 0 ] && [ "$errors" = 0 ] && awk "BEGIN { exit !($p99 <= 500) }"; then
      held=yes; HELD[$target]=$n
    else
      DONE[$target]=1
    fi
    printf '%-10s %7d %9d %10.1f %8s %8s %7s %6s %4s  %s\n' "$target" "$n" "$(echo "$out" | field requests)" \
      "$(echo "$(echo "$out" | field bytes) / 1048576" | bc -l)" "$(echo "$out" | field playlist_p50_ms)" \
      "$p99" "$stalls" "$errors" "$e4xx" "$held"
  done
done
echo
for target in module module+wl nginx; do
  printf '%-10s held %5d viewers: %6.0f per core (2 cores, shared with ffmpeg and the load tool)\n' \
    "$target" "${HELD[$target]}" "$(echo "${HELD[$target]} / 2" | bc -l)"
done
[ "${HELD[nginx]}" -gt 0 ] && printf 'module / nginx: %.2f   module+wl / nginx: %.2f\n' \
  "$(echo "${HELD[module]} / ${HELD[nginx]}" | bc -l)" "$(echo "${HELD[module+wl]} / ${HELD[nginx]}" | bc -l)"
rows=$(sqlite3 "$B/db/bench.sqlite" "SELECT count(*) FROM watch_log")
echo "(watch log rows written during the run: $rows; steps of ${STEP_SECONDS} s, ramp ${RAMP} s; $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
