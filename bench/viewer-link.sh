#!/usr/bin/env bash
# bench/viewer-link.sh -- the cost of a viewer link per request: ranged
# 64 KiB requests of one live segment through broadcast-live, without a
# link (/live/<id>/seg.ts) and through one (/live/t/<token>/<id>/seg.ts:
# HMAC-SHA256 check + the revocation, from the per-process cache,
# BroadcastViewerRevocationCache 5 by default), and through one with the
# cache off (one SQLite read per request), in the same run, the order of
# the sides alternating in ROUNDS rounds; mean requests/s per side and the
# ratios link/plain (target >= 0.95 with the cache).
#
#   bench/viewer-link.sh   (env: PORT=30622 ROUNDS=4 DURATION=8 THREADS=2
#                           CONNS=8)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
PORT=${PORT:-30622}; ROUNDS=${ROUNDS:-4}; DURATION=${DURATION:-8}
THREADS=${THREADS:-2}; CONNS=${CONNS:-8}
HTTPD=${HTTPD:-/usr/sbin/apache2}
bash .ci/install-deps
make -s all >/dev/null

B=$TOP/bench/out/viewer
rm -rf "$B"
mkdir -p "$B/db" "$B/live"
sqlite3 "$B/db/streams.sqlite" < conf/schema/sqlite/streams.sql >/dev/null
ID=$(cat /proc/sys/kernel/random/uuid)
sqlite3 "$B/db/streams.sqlite" "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live,
  start_us) VALUES ('$ID', 'bench', '', 'hls', '', 1, 0)"
mkdir "$B/live/$ID"
head -c $((4 * 1024 * 1024)) /dev/urandom > "$B/live/$ID/seg.ts"
openssl rand -hex 32 > "$B/viewer-secret"
chown -R nobody:nogroup "$B/db" "$B/live"
chmod -R a+rX "$B"
# a token as include/mb_viewer_token.h writes it (docs/viewers.md)
TOKEN=$(perl -MDigest::SHA=hmac_sha256 -MMIME::Base64=encode_base64url -MTime::HiRes=time -e '
  my ($secret, $id) = @ARGV;
  my $body = pack("Q>", int(time) + 86400) . pack("Q>", int(time * 1e6)) . "\x42" x 16;
  print encode_base64url($body . hmac_sha256("mb-viewer-2\0$id\0$body", $secret));
' "$(tr -d '\n' < "$B/viewer-secret")" "$ID")

echo "$ID" > "$B/id"; echo "$TOKEN" > "$B/token"
[ -z "${SETUP_ONLY:-}" ] || exit 0

cleanup() { "$HTTPD" -f "$TOP/bench/httpd-viewer.conf" -k stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-viewer.conf" -k start
U=http://127.0.0.1:$PORT
for _ in $(seq 50); do curl -s -o /dev/null "$U/live/$ID/seg.ts" && break; sleep 0.1; done
declare -A URL=([plain]="$U/live/$ID/seg.ts" [link]="$U/live/t/$TOKEN/$ID/seg.ts"
                [nocache]="$U/live-nocache/t/$TOKEN/$ID/seg.ts")
for s in plain link nocache; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=0-65535' "${URL[$s]}")
  [ "$code" = 206 ] || { echo "bench: $s answers $code, not 206" >&2; exit 1; }
done

rps() { # rps URL -> requests/s of one wrk run
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H 'Range: bytes=0-65535' "$1" \
    | awk '/^Requests\/sec:/ {print $2}'
}
declare -A SUM=([plain]=0 [link]=0 [nocache]=0)
orders=("plain link nocache" "nocache link plain" "link plain nocache")
for r in $(seq "$ROUNDS"); do
  for s in ${orders[$(( (r - 1) % 3 ))]}; do
    v=$(rps "${URL[$s]}")
    SUM[$s]=$(echo "${SUM[$s]} + $v" | bc -l)
    echo "round $r $s $v" >&2
  done
done
mean() { echo "${SUM[$1]} / $ROUNDS" | bc -l; }
printf '| side | req/s | ratio to plain |\n| --- | ---: | ---: |\n'
for s in plain link nocache; do
  printf '| %s | %.1f | %.3f |\n' "$s" "$(mean $s)" "$(echo "$(mean $s) / $(mean plain)" | bc -l)"
done
echo "($ROUNDS rounds of ${DURATION} s per side, wrk -t$THREADS -c$CONNS, Range: bytes=0-65535 of a 4 MiB segment; load average $(cut -d' ' -f1-3 /proc/loadavg))"
