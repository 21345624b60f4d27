#!/usr/bin/env bash
# bench/watchlog.sh -- what the watch log costs: ranged throughput of
# broadcast-video with BroadcastWatchLog On against the same requests with
# it Off, in one run of one Apache, for SQLite and PostgreSQL.  Prints
# requests/s for each side, the ratio on/off (target >= 0.9), and whether
# every request of the "on" runs became a row (rows written, reported
# dropped).
#
#   bench/watchlog.sh   (env: DURATION=5 CONNS=8 THREADS=2 ROUNDS=2
#                        CHUNK=65536 FILE_MB=64 PORT=8091 ENGINES="sqlite pgsql"
#                        PG_PORT=54331)
# Loopback only; every wrk run is bounded by DURATION.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-5}; CONNS=${CONNS:-8}; THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}; CHUNK=${CHUNK:-65536}; FILE_MB=${FILE_MB:-64}
PORT=${PORT:-8091}; PG_PORT=${PG_PORT:-54331}
ENGINES=${ENGINES:-sqlite pgsql}
HTTPD=${HTTPD:-/usr/sbin/apache2}
bash .ci/install-deps
make -s all >/dev/null

B=$TOP/bench/out/watchlog
mkdir -p "$B/files" "$B/db"
F=$B/files/video.bin
if [ "$(stat -c %s "$F" 2>/dev/null || echo 0)" != $((FILE_MB * 1048576)) ]; then
  head -c $((FILE_MB * 1048576)) /dev/urandom > "$F"
fi
SIZE=$(stat -c %s "$F")
cat "$F" > /dev/null    # in the page cache for both sides

# fresh databases with the schemas of conf/schema/
DB=$B/db/watch.sqlite
rm -f "$DB" "$DB-wal" "$DB-shm"
sqlite3 "$DB" < conf/schema/sqlite/watch_log.sql >/dev/null
chown -R nobody:nogroup "$B/db"
chmod -R a+rX "$B"
defines=()
cleanup() {
  "$HTTPD" -f "$TOP/bench/httpd-watchlog.conf" "${defines[@]}" -k stop >/dev/null 2>&1 || true
  sleep 1
  case " $ENGINES " in *" pgsql "*) t/pg-server stop "$B/pg" >/dev/null 2>&1 || true;; esac
}
trap cleanup EXIT
case " $ENGINES " in *" pgsql "*)
  MB_PG_PARAMS=$(t/pg-server start "$B/pg" "$PG_PORT")
  export MB_PG_PARAMS
  psql -X -q -d "$MB_PG_PARAMS" -c 'DROP TABLE IF EXISTS watch_log CASCADE' \
       -f conf/schema/pgsql/watch_log.sql >/dev/null 2>&1
  defines=(-D MB_PGSQL);;
esac

rm -f "$B/error_log"
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-watchlog.conf" "${defines[@]}" -k start
for _ in $(seq 50); do curl -s -o /dev/null -r 0-0 "http://127.0.0.1:$PORT/off/video.bin" && break; sleep 0.1; done

rows() { # rows ENGINE
  if [ "$1" = sqlite ]; then runuser -u nobody -- sqlite3 "$DB" 'SELECT COUNT(*) FROM watch_log'
  else psql -X -A -t -d "$MB_PG_PARAMS" -c 'SELECT COUNT(*) FROM watch_log'; fi
}
host() { [ "$1" = sqlite ] && echo 127.0.0.1 || echo pgsql.bench; }

run_wrk() { # run_wrk ENGINE PATH -> "req/s requests"
  local out
  out=$(FILE_SIZE=$SIZE CHUNK=$CHUNK wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" \
          -H "Host: $(host "$1")" -s "$TOP/bench/random-range.lua" \
          "http://127.0.0.1:$PORT$2/video.bin")
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: wrk saw errors on $2" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '/requests in/ {print $1}' <<<"$out")"
}

printf '%-8s %12s %12s %7s %10s %10s %8s\n' engine "off req/s" "on req/s" ratio requests rows dropped
for engine in $ENGINES; do
  off=0; on=0; sent=0
  before=$(rows "$engine")
  log_at=$(stat -c %s "$B/error_log" 2>/dev/null || echo 0)
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="off on"; else order="on off"; fi
    for side in $order; do
      read -r rq n < <(run_wrk "$engine" "/$side")
      if [ "$side" = on ]; then on=$(echo "$on + $rq" | bc -l); sent=$((sent + n))
      else off=$(echo "$off + $rq" | bc -l); fi
    done
  done
  # wait for the writer (bounded: at most 60 s), then count; drops are
  # reported at most every 5 s (BroadcastWatchLogReport 5)
  dropped_now() { tail -c +$((log_at + 1)) "$B/error_log" \
                    | sed -nE 's/.*MB0510: watch log: ([0-9]+) rows dropped.*/\1/p' \
                    | awk '{s+=$1} END {print s+0}'; }
  for _ in $(seq 300); do
    [ $(( $(rows "$engine") - before + $(dropped_now) )) -ge "$sent" ] && break; sleep 0.2
  done
  sleep 6
  written=$(( $(rows "$engine") - before ))
  dropped=$(dropped_now)
  printf '%-8s %12.1f %12.1f %7.3f %10d %10d %8d\n' "$engine" \
    "$(echo "$off / $ROUNDS" | bc -l)" "$(echo "$on / $ROUNDS" | bc -l)" \
    "$(echo "$on / $off" | bc -l)" "$sent" "$written" "$dropped"
done
echo "($ROUNDS rounds of ${DURATION}s per side, $CONNS connections, random ${CHUNK}-byte ranges of a ${FILE_MB} MiB file;"
echo " requests = completed by wrk in the 'on' runs; rows may exceed it by the requests wrk cut off at the end)"
