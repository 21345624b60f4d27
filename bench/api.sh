#!/usr/bin/env bash
# bench/api.sh -- start/stop pairs per second of the live broadcast API,
# with SQLite and with PostgreSQL, STS served by a local Ceph RGW; and where
# the time of a pair goes (STS round trip, database, JSON).  Loopback only,
# bounded (MB_BENCH_SECONDS per engine).  Uses the suite's helpers
# (t/rgw-server, t/pg-server) and their ports: do not run it during the
# suite.  Prints a Markdown section for bench/RESULTS.md.
#   MB_BENCH_SECONDS [10]  MB_BENCH_CONNS [8]  MB_BENCH_THREADS [2]
#   MB_BENCH_PORT [8541] (and +1)  MB_PG_PORT [54329]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOP=$PWD
SECS=${MB_BENCH_SECONDS:-10}
CONNS=${MB_BENCH_CONNS:-8}
THREADS=${MB_BENCH_THREADS:-2}
PORT=${MB_BENCH_PORT:-8541}
export MB_PG_PORT=${MB_PG_PORT:-54329}
HTTPD=${HTTPD:-/usr/sbin/apache2}
MODDIR=$(apxs -q LIBEXECDIR)
O=$TOP/bench/out/api
command -v wrk >/dev/null || { echo "bench: wrk is missing" >&2; exit 1; }
make -s all >/dev/null

rm -rf "$O"; mkdir -p "$O/db" "$O/logs"
cleanup() {
  [ -s "$O/logs/httpd.pid" ] && kill "$(cat "$O/logs/httpd.pid")" 2>/dev/null
  sleep 1
  t/rgw-server stop "$O/rgw" >/dev/null 2>&1
  t/pg-server stop "$O/pg" >/dev/null 2>&1
}
trap cleanup EXIT

t/rgw-server start "$O/rgw" >"$O/rgw.log" 2>&1 || { cat "$O/rgw.log"; exit 1; }
set -a; . "$O/rgw/env"; set +a
PG=$(t/pg-server start "$O/pg" "$MB_PG_PORT")
PGPASSWORD=broadcast psql -q -h 127.0.0.1 -p "$MB_PG_PORT" -U broadcast broadcast \
  -c 'DROP TABLE IF EXISTS mb_stream' -f conf/schema/pgsql/streams.sql >/dev/null
sqlite3 "$O/db/api.sqlite" <conf/schema/sqlite/streams.sql >/dev/null
chown -R nobody:nogroup "$O/db"
# SHA-1 passwords: the benchmark measures the API, not bcrypt (a bcrypt
# Basic auth check costs more than a whole start here)
htpasswd -cbs "$O/htpasswd" bench bench-pw >/dev/null 2>&1
chmod -R a+rX "$O"

cat >"$O/httpd.conf" <<CONF
ServerRoot "$O"
ServerName 127.0.0.1
PidFile "$O/logs/httpd.pid"
ErrorLog "$O/logs/error_log"
LogLevel warn broadcast:debug
LogFormat "%v %r %>s %D" bench
CustomLog "$O/logs/access_log" bench
DefaultRuntimeDir "$O/logs"
User nobody
Group nogroup
LoadModule mpm_event_module $MODDIR/mod_mpm_event.so
LoadModule authn_core_module $MODDIR/mod_authn_core.so
LoadModule authn_file_module $MODDIR/mod_authn_file.so
LoadModule auth_basic_module $MODDIR/mod_auth_basic.so
LoadModule authz_core_module $MODDIR/mod_authz_core.so
LoadModule authz_user_module $MODDIR/mod_authz_user.so
LoadModule dbd_module $MODDIR/mod_dbd.so
LoadModule broadcast_module $TOP/.libs/mod_broadcast.so
StartServers 1
ServerLimit 2
ThreadsPerChild 32
MaxRequestWorkers 64
KeepAlive On
Listen 127.0.0.1:$PORT
Listen 127.0.0.1:$((PORT + 1))
# what both API locations share
<Location />
    AuthType Basic
    AuthName live
    AuthBasicProvider file
    AuthUserFile "$O/htpasswd"
    Require valid-user
    BroadcastStorage S3
    BroadcastS3Bucket $MB_RGW_BUCKET
    BroadcastSTSEndpoint $MB_RGW_ENDPOINT/
    BroadcastSTSRoleArn $MB_RGW_ROLE_ARN
    BroadcastAWSCredentials env:MB_RGW_ACCESS_KEY env:MB_RGW_SECRET_KEY
    BroadcastCredentialLifetime 900
    # one user, up to 8 start/stop pairs in flight
    BroadcastMaxLiveStreams 0
</Location>
<Location /stream>
    SetHandler broadcast-api
</Location>
# the same with a new connection to STS for every call
<Location /fresh>
    SetHandler broadcast-api
    BroadcastSTSKeepAlive Off
</Location>
<VirtualHost 127.0.0.1:$PORT>
    ServerName sqlite
    DBDriver sqlite3
    DBDParams "$O/db/api.sqlite"
    DBDInitSQL "PRAGMA busy_timeout = 10000"
    DBDMax 32
</VirtualHost>
<VirtualHost 127.0.0.1:$((PORT + 1))>
    ServerName pgsql
    DBDriver pgsql
    DBDParams "$PG"
    DBDMax 32
</VirtualHost>
CONF
"$HTTPD" -f "$O/httpd.conf" -k start
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

export MB_BENCH_AUTH
MB_BENCH_AUTH=$(printf 'bench:bench-pw' | base64)
declare -A RES
RUNS="sqlite:1:1:stream pgsql:1:1:stream sqlite:$THREADS:$CONNS:stream pgsql:$THREADS:$CONNS:stream"
RUNS="$RUNS sqlite:1:1:fresh pgsql:1:1:fresh sqlite:$THREADS:$CONNS:fresh pgsql:$THREADS:$CONNS:fresh"
for run in $RUNS; do
  IFS=: read -r engine t c loc <<<"$run"
  export MB_BENCH_LOC=/$loc
  p=$PORT; [ $engine = pgsql ] && p=$((PORT + 1))
  # warm up (connections to RGW and the database)
  wrk -t1 -c2 -d2s -s bench/api.lua "http://127.0.0.1:$p" >/dev/null 2>&1 || true
  : >"$O/logs/access_log"; : >"$O/logs/error_log"
  RES[$run]=$(wrk -t"$t" -c"$c" -d"${SECS}s" --timeout 10s -s bench/api.lua \
                "http://127.0.0.1:$p" | grep '^PAIRS')
  cp "$O/logs/access_log" "$O/access-$engine-$c-$loc.log"
  cp "$O/logs/error_log" "$O/error-$engine-$c-$loc.log"
done

# where the time goes: server-side times per endpoint (%D), STS round trips
# as the module measured them (MB0405), JSON work alone
avg_us() { awk -v pat="$2" '$3 ~ pat && $5 == 200 { s += $6; n++ } END { if (n) printf "%.0f", s / n; else print "-" }' "$1"; }
sts_us() { sed -n 's/.*MB0405: STS AssumeRole .*HTTP 200, .* connection, \([0-9]*\) us$/\1/p' "$1" \
             | awk '{ s += $1; n++ } END { if (n) printf "%.0f", s / n; else print "-" }'; }
# STS alone, from curl (the same SigV4 signing as the module): 20 calls on
# one kept-alive connection, and 20 calls each on a new connection
sts_form='Action=AssumeRole&Version=2011-06-15&DurationSeconds=900&RoleSessionName=bench'
sts_form="$sts_form&RoleArn=$(printf %s "$MB_RGW_ROLE_ARN" | sed 's/:/%3A/g; s|/|%2F|g')"
sts_curl() { curl -s --aws-sigv4 aws:amz:us-east-1:sts --user "$MB_RGW_ACCESS_KEY:$MB_RGW_SECRET_KEY" \
               -d "$sts_form" "$@"; }
urls=(); for _ in $(seq 1 20); do urls+=(-o /dev/null "$MB_RGW_ENDPOINT/"); done
t0=$(date +%s%N); sts_curl "${urls[@]}"; t1=$(date +%s%N)
STS_REUSED=$(( (t1 - t0) / 20000 ))
t0=$(date +%s%N); sts_curl -H 'Connection: close' "${urls[@]}"; t1=$(date +%s%N)
STS_FRESH=$(( (t1 - t0) / 20000 ))

mkdir -p build
cc -O2 -Iinclude $(apr-1-config --cflags --cppflags --includes) -o build/json_cost \
   bench/json_cost.c build/plain/libmbcore.a $(apr-1-config --link-ld --libs) -ljansson -lcurl -lcrypto -lm
JSON=$(build/json_cost | awk '{ print $2 }')
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)

echo
echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($CPU), $(uname -sr), ${SECS}s per run"
echo
echo "| engine | STS connections | wrk | start/stop pairs/s | request p50 / p99 (ms) | errors | start (µs) | of which STS AssumeRole (µs) | stop (µs) |"
echo "|---|---|---|---|---|---|---|---|---|"
for run in $RUNS; do
  IFS=: read -r engine t c loc <<<"$run"
  set -- ${RES[$run]}
  kind="kept alive"; [ "$loc" = fresh ] && kind="new each call"
  echo "| $engine | $kind | -t$t -c$c | $8 | ${10} / ${12} | $4 | $(avg_us "$O/access-$engine-$c-$loc.log" /start) | $(sts_us "$O/error-$engine-$c-$loc.log") | $(avg_us "$O/access-$engine-$c-$loc.log" /stop) |"
done
echo
echo "JSON work of one start (session policy + response, jansson, pool memory): ${JSON} µs."
echo "STS AssumeRole from curl, one at a time: ${STS_REUSED} µs on a kept-alive connection, ${STS_FRESH} µs on a new connection each."
