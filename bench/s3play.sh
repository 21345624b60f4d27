#!/usr/bin/env bash
# bench/s3play.sh -- playback of an S3 stream through broadcast-live
# (BroadcastS3Playback proxy) against GETs straight from the S3 server (a
# local Ceph RGW, t/rgw-server), in the same run, alternating the order of
# the sides each round: a 2 MiB segment whole, a 64 KiB range of it, and
# the playlist; plus the playlist through redirect mode (the module signs
# every segment URI).  The direct side uses a URL pre-signed by the
# module's own code (the Location of a segment asked in redirect mode), so
# both sides are signed GETs of the same object.  Worker RSS (VmRSS of the
# httpd children) before and after.  Loopback only, bounded.  Uses the
# suite's helper t/rgw-server with ports of its own: do not run it during
# the suite on the same ports.  Prints a Markdown section for
# bench/RESULTS.md.
#   MB_BENCH_SECONDS [8]  MB_BENCH_ROUNDS [2]  MB_BENCH_CONNS [8]
#   MB_BENCH_THREADS [2]  MB_BENCH_PORT [8561]
#   MB_RGW_PORT [7495]  MB_MON_PORT [7695]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOP=$PWD
SECS=${MB_BENCH_SECONDS:-8}
ROUNDS=${MB_BENCH_ROUNDS:-2}
CONNS=${MB_BENCH_CONNS:-8}
THREADS=${MB_BENCH_THREADS:-2}
PORT=${MB_BENCH_PORT:-8561}
export MB_RGW_PORT=${MB_RGW_PORT:-7495}
export MB_MON_PORT=${MB_MON_PORT:-7695}
HTTPD=${HTTPD:-/usr/sbin/apache2}
MODDIR=$(apxs -q LIBEXECDIR)
O=$TOP/bench/out/s3play
command -v wrk >/dev/null || { echo "bench: wrk is missing" >&2; exit 1; }
make -s all >/dev/null

rm -rf "$O"; mkdir -p "$O/db" "$O/logs" "$O/files"
cleanup() {
  [ -s "$O/logs/httpd.pid" ] && kill "$(cat "$O/logs/httpd.pid")" 2>/dev/null
  sleep 1
  t/rgw-server stop "$O/rgw" >/dev/null 2>&1
}
trap cleanup EXIT

t/rgw-server start "$O/rgw" >"$O/rgw.log" 2>&1 || { cat "$O/rgw.log"; exit 1; }
set -a; . "$O/rgw/env"; set +a

# one S3 stream: its row, and its objects put with the module's keys
ID=0b3c5a8e-1d2f-4e6a-9b7c-2d4e6f8a0b1c
PREFIX=bench/$ID/
sqlite3 "$O/db/api.sqlite" <conf/schema/sqlite/streams.sql >/dev/null
sqlite3 "$O/db/api.sqlite" "INSERT INTO mb_stream (id, owner, name, s3_path, is_live, start_us)
                            VALUES ('$ID', 'bench', 'bench', '$PREFIX', 1, 0)"
chown -R nobody:nogroup "$O/db"
head -c $((2 * 1024 * 1024)) /dev/urandom >"$O/files/seg0.ts"
{
  echo '#EXTM3U'; echo '#EXT-X-VERSION:3'; echo '#EXT-X-TARGETDURATION:2'
  echo '#EXT-X-MEDIA-SEQUENCE:0'
  for i in $(seq 0 29); do echo '#EXTINF:2.000000,'; echo "seg$i.ts"; done
} >"$O/files/index.m3u8"
put() {
  curl -sf -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 \
    --user "$MB_RGW_ACCESS_KEY:$MB_RGW_SECRET_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    -X PUT --data-binary "@$O/files/$1" "$MB_RGW_ENDPOINT/$MB_RGW_BUCKET/$PREFIX$1"
}
put seg0.ts; put index.m3u8
chmod -R a+rX "$O"

cat >"$O/httpd.conf" <<CONF
ServerRoot "$O"
ServerName 127.0.0.1
PidFile "$O/logs/httpd.pid"
ErrorLog "$O/logs/error_log"
LogLevel warn
DefaultRuntimeDir "$O/logs"
User nobody
Group nogroup
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule mime_module $MODDIR/mod_mime.so
LoadModule dbd_module $MODDIR/mod_dbd.so
LoadModule broadcast_module $TOP/.libs/mod_broadcast.so
TypesConfig /etc/mime.types
StartServers 1
ServerLimit 2
ThreadsPerChild 32
MaxRequestWorkers 64
KeepAlive On
MaxKeepAliveRequests 0
Listen 127.0.0.1:$PORT
DBDriver sqlite3
DBDParams "$O/db/api.sqlite"
DBDInitSQL "PRAGMA busy_timeout = 10000"
DBDMax 32
<Location />
    BroadcastStorage S3
    BroadcastS3Bucket $MB_RGW_BUCKET
    BroadcastS3Endpoint $MB_RGW_ENDPOINT
    BroadcastAWSCredentials env:MB_RGW_ACCESS_KEY env:MB_RGW_SECRET_KEY
    Require all granted
</Location>
<Location /live>
    SetHandler broadcast-live
</Location>
<Location /live-r>
    SetHandler broadcast-live
    BroadcastS3Playback redirect
    BroadcastS3PresignLifetime 3600
</Location>
CONF
"$HTTPD" -f "$O/httpd.conf" -k start
M=http://127.0.0.1:$PORT
for _ in $(seq 1 50); do curl -s -o /dev/null "$M/" && break; sleep 0.1; done

# the direct side: pre-signed URLs from the module's own signing code
# (src/core/s3presign.c, through bench/presign.c); the segment's URL as
# redirect mode hands it out must work too
cc -O2 -Iinclude $(apr-1-config --cflags --cppflags --includes) $(apu-1-config --includes) -o build/presign \
   bench/presign.c build/plain/libmbcore.a $(apr-1-config --link-ld --libs) \
   $(apu-1-config --link-ld --libs) -lcrypto
presign() { build/presign "$MB_RGW_ENDPOINT/$MB_RGW_BUCKET/$PREFIX$1" us-east-1 \
              "$MB_RGW_ACCESS_KEY" "$MB_RGW_SECRET_KEY" 3600; }
SEG_URL=$(presign seg0.ts)
PL_URL=$(presign index.m3u8)
REDIRECTED=$(curl -s -o /dev/null -w '%{redirect_url}' "$M/live-r/$ID/seg0.ts")
[ "$(curl -s -o /dev/null -w '%{http_code}' "$REDIRECTED")" = 200 ] \
  || { echo "bench: the segment URL of redirect mode does not work" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SEG_URL")" = 200 ] \
  || { echo "bench: the pre-signed segment URL does not work" >&2; exit 1; }
cmp -s <(curl -s "$M/live/$ID/seg0.ts") "$O/files/seg0.ts" \
  || { echo "bench: the module does not serve the segment's bytes" >&2; exit 1; }

rss() { # total VmRSS (KiB) of the httpd children
  local t=0 p
  for p in $(pgrep -P "$(cat "$O/logs/httpd.pid")"); do
    t=$((t + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")))
  done
  echo $t
}

RANGE='Range: bytes=1048576-1114111'
declare -A REQ MBS
# name:url:header
ROWS=("seg-module|$M/live/$ID/seg0.ts|" "seg-s3|$SEG_URL|"
      "range-module|$M/live/$ID/seg0.ts|$RANGE" "range-s3|$SEG_URL|$RANGE"
      "pl-module|$M/live/$ID/index.m3u8|" "pl-s3|$PL_URL|"
      "pl-redirect|$M/live-r/$ID/index.m3u8|")
for row in "${ROWS[@]}"; do IFS='|' read -r n _ _ <<<"$row"; REQ[$n]=0; MBS[$n]=0; done

run() { # run NAME URL HEADER -> "req/s MB/s"
  local out
  if [ -n "$3" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s -H "$3" "$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s "$2")
  fi
  if echo "$out" | grep -q 'Non-2xx'; then
    echo "bench: $1: non-2xx answers" >&2; echo "$out" >&2; exit 1
  fi
  echo "$out" | awk '/^Requests\/sec/ { r = $2 } /^Transfer\/sec/ { t = $2;
    if (t ~ /GB$/) m = t * 1024; else if (t ~ /MB$/) m = t + 0; else if (t ~ /KB$/) m = t / 1024; else m = t / 1048576 }
    END { printf "%.1f %.1f", r, m }'
}

# warm up both sides (connections, page cache of RGW's store)
for row in "${ROWS[@]}"; do
  IFS='|' read -r n u h <<<"$row"
  wrk -t1 -c2 -d1s ${h:+-H "$h"} "$u" >/dev/null 2>&1 || true
done
RSS0=$(rss)
for r in $(seq 1 "$ROUNDS"); do
  order=("${ROWS[@]}")
  if [ $((r % 2)) = 0 ]; then # every row in the reverse order: the other side first
    order=(); for ((i = ${#ROWS[@]} - 1; i >= 0; i--)); do order+=("${ROWS[i]}"); done
  fi
  for row in "${order[@]}"; do
    IFS='|' read -r n u h <<<"$row"
    res=$(run "$n" "$u" "$h")
    read -r q m <<<"$res"
    REQ[$n]=$(echo "${REQ[$n]} + $q / $ROUNDS" | bc -l)
    MBS[$n]=$(echo "${MBS[$n]} + $m / $ROUNDS" | bc -l)
  done
done
RSS1=$(rss)

f() { printf '%.1f' "$1"; }
ratio() { printf '%.3f' "$(echo "$1 / $2" | bc -l)"; }
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($CPU), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "\`MB_BENCH_SECONDS=$SECS MB_BENCH_ROUNDS=$ROUNDS bench/s3play.sh\`: wrk -t$THREADS -c$CONNS, ${SECS}s per row and round, $ROUNDS rounds (order alternated), averages."
echo
echo "| row | module req/s | module MB/s | RGW direct req/s | RGW direct MB/s | ratio module / direct |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| 2 MiB segment, whole | $(f "${REQ[seg-module]}") | $(f "${MBS[seg-module]}") | $(f "${REQ[seg-s3]}") | $(f "${MBS[seg-s3]}") | $(ratio "${REQ[seg-module]}" "${REQ[seg-s3]}") |"
echo "| 64 KiB range of it | $(f "${REQ[range-module]}") | $(f "${MBS[range-module]}") | $(f "${REQ[range-s3]}") | $(f "${MBS[range-s3]}") | $(ratio "${REQ[range-module]}" "${REQ[range-s3]}") |"
echo "| playlist (30 segments), proxy | $(f "${REQ[pl-module]}") | $(f "${MBS[pl-module]}") | $(f "${REQ[pl-s3]}") | $(f "${MBS[pl-s3]}") | $(ratio "${REQ[pl-module]}" "${REQ[pl-s3]}") |"
echo "| playlist, redirect (30 URIs pre-signed) | $(f "${REQ[pl-redirect]}") | $(f "${MBS[pl-redirect]}") | $(f "${REQ[pl-s3]}") | $(f "${MBS[pl-s3]}") | $(ratio "${REQ[pl-redirect]}" "${REQ[pl-s3]}") |"
echo
echo "Worker RSS (all httpd children, VmRSS): ${RSS0} KiB before the measured rounds, ${RSS1} KiB after."
