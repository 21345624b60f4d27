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
#                        PG_PORT=54331 PROFILE=0)
# PROFILE=1: after the rounds of an engine, one more "on" run under perf
# record (cpu-clock, DWARF call graphs, the Apache child) and where the
# watch log's time goes: the share of all the child's samples (inclusive)
# in building the row (mb_watch_log_transaction), waiting for and holding
# the queue's lock (mb_watch_queue_open, mb_watch_queue_append), counting
# the bytes (the watch filter) and the writer thread (writer_main: SQL,
# the driver, the database socket); then one "off" and one "on" run with
# the CPU time per request of the Apache child, of the database server's
# processes (PostgreSQL) and of the rest of the machine (/proc/stat).
# Loopback only; every wrk run is bounded by DURATION.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
DURATION=${DURATION:-5}; CONNS=${CONNS:-8}; THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}; CHUNK=${CHUNK:-65536}; FILE_MB=${FILE_MB:-64}
PORT=${PORT:-8091}; PG_PORT=${PG_PORT:-54331}
ENGINES=${ENGINES:-sqlite pgsql}; PROFILE=${PROFILE:-0}
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

ptime() { # ptime PIDS -> their user + kernel clock ticks, all threads
  local p t=0 f
  for p in $1; do
    f=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    t=$((t + $(cut -d' ' -f12 <<<"$f") + $(cut -d' ' -f13 <<<"$f")))
  done
  echo $t
}
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
cpu_split() { # cpu_split ENGINE -> CPU per request, off against on: Apache, database, the rest
  local side child db a0 d0 t0 a1 d1 t1 n hz
  hz=$(getconf CLK_TCK)
  child=$(pgrep -P "$(cat "$B/httpd.pid")" | tr '\n' ' ')
  for side in off on; do
    db=$([ "$1" = pgsql ] && pgrep -f "postgres" | tr '\n' ' ' || true)
    a0=$(ptime "$child"); d0=$(ptime "$db"); t0=$(busy)
    read -r _ n < <(run_wrk "$1" "/$side")
    db=$([ "$1" = pgsql ] && pgrep -f "postgres" | tr '\n' ' ' || true)
    a1=$(ptime "$child"); d1=$(ptime "$db"); t1=$(busy)
    printf '  %-8s %-3s CPU us/request: Apache %.1f, database server %.1f, the rest (wrk, kernel threads) %.1f; machine busy %.0f %%\n' \
      "$1" "$side" "$(echo "($a1 - $a0) * 1000000 / $hz / $n" | bc -l)" \
      "$(echo "($d1 - $d0) * 1000000 / $hz / $n" | bc -l)" \
      "$(echo "(($t1 - $t0) - ($a1 - $a0) - ($d1 - $d0)) * 1000000 / $hz / $n" | bc -l)" \
      "$(echo "($t1 - $t0) * 100 / $hz / $DURATION / $(nproc)" | bc -l)"
  done
}
profile() { # profile ENGINE -> the watch log's shares of the child's samples
  local child data
  child=$(pgrep -P "$(cat "$B/httpd.pid")" | head -1)
  data=$B/perf.$1.data
  perf record -q -F 1999 -e cpu-clock --call-graph dwarf,8192 -o "$data" -p "$child" \
    -- sleep "$DURATION" >/dev/null 2>&1 & local pr=$!
  sleep 0.2
  run_wrk "$1" /on >/dev/null
  wait $pr || true
  perf report -q -i "$data" --children --sort sym --stdio -g none 2>/dev/null > "$B/perf.$1.txt"
  perf report -q -i "$data" --no-children --sort pid,sym --stdio -g none 2>/dev/null > "$B/perf.$1.tid"
  local writer incl self w
  writer=$(awk '/sqlite3|write_once|mb_watch_write_rows|PQ|pqsecure/ {print $2}' "$B/perf.$1.tid" \
             | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
  incl() { awk -v f="$1" '{s=$0; sub(/^ *[0-9.]+% +[0-9.]+% +\[.\] /, "", s)} s == f {gsub("%","",$1); print $1; n=1; exit} END {if (!n) print 0}' "$B/perf.$2.txt"; }
  self() { awk -v f="$1" '{s=$0; sub(/^ *[0-9.]+% +[0-9.]+% +\[.\] /, "", s)} s == f {gsub("%","",$2); print $2; n=1; exit} END {if (!n) print 0}' "$B/perf.$2.txt"; }
  w=$(awk -v t="$writer" '$2 == t {gsub("%","",$1); s+=$1} END {printf "%.2f", s}' "$B/perf.$1.tid")
  printf '  %-8s where the watch log goes (%% of all the child'"'"'s samples): request threads: row %s (inclusive: the lock wait, the append), mark %s, byte count %s (self); writer thread (%s) %s\n' \
    "$1" "$(incl mb_watch_log_transaction "$1")" "$(incl mb_watch_mark "$1")" "$(self count_filter "$1")" \
    "${writer:-none}" "$w"
  printf '  %-8s of the row: the queue lock wait and append %s + %s (inclusive)\n' "$1" \
    "$(incl mb_watch_queue_open "$1")" "$(incl mb_watch_queue_append "$1")"
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
  [ "$PROFILE" = 1 ] && { profile "$engine"; cpu_split "$engine"; }
done
echo "($ROUNDS rounds of ${DURATION}s per side, $CONNS connections, random ${CHUNK}-byte ranges of a ${FILE_MB} MiB file;"
echo " requests = completed by wrk in the 'on' runs; rows may exceed it by the requests wrk cut off at the end)"
