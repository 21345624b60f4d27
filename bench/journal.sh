#!/usr/bin/env bash
# bench/journal.sh -- what a playlist PUT costs against the number of
# segments it lists (the journal merge must grow linearly), and what
# BroadcastLiveSync (fsync of uploads, journal and directory) costs.
#
# 1. For each N in SIZES: a fresh stream; a playlist of N segments PUT
#    REPEAT times (the first PUT journals all N, the others merge N known
#    ones: read the journal, parse both, hash); median of the repeats, and
#    microseconds per segment (flat when linear).
# 2. A live stream's steady work: a SEG_KB segment and a 6-entry playlist
#    per step, STEPS steps, alternating BroadcastLiveSync On and Off in
#    ROUNDS rounds; median milliseconds per step and the ratio On/Off.
#
#   bench/journal.sh   (env: PORT=8093 SIZES="1000 ... 200000" REPEAT=5
#                       STEPS=100 ROUNDS=4 SEG_KB=500)
# Loopback only; the live root is bench/out/journal/live (on the file
# system of the checkout: the sync figures are that file system's).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
PORT=${PORT:-8093}; REPEAT=${REPEAT:-5}; STEPS=${STEPS:-100}; ROUNDS=${ROUNDS:-4}
SEG_KB=${SEG_KB:-500}
SIZES=${SIZES:-1000 2000 5000 10000 20000 50000 100000 200000}
HTTPD=${HTTPD:-/usr/sbin/apache2}
bash .ci/install-deps
make -s all >/dev/null

B=$TOP/bench/out/journal
rm -rf "$B"
mkdir -p "$B/db" "$B/live" "$B/files"
sqlite3 "$B/db/streams.sqlite" < conf/schema/sqlite/streams.sql >/dev/null
TOKEN=$(openssl rand -hex 32)
HASH=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
new_stream() { # -> id (a row and a directory, as POST start makes them)
  local id
  id=$(cat /proc/sys/kernel/random/uuid)
  sqlite3 "$B/db/streams.sqlite" "INSERT INTO mb_stream (id, owner, name, type, s3_path, is_live,
    start_us, upload_token_hash, upload_expires_us) VALUES ('$id', 'bench', '', 'hls', '', 1,
    0, '$HASH', 9000000000000000)"
  mkdir "$B/live/$id"; chown nobody:nogroup "$B/live/$id"
  echo "$id"
}
chown -R nobody:nogroup "$B/db" "$B/live"
chmod -R a+rX "$B"

cleanup() { "$HTTPD" -f "$TOP/bench/httpd-journal.conf" -k stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
export MB_BENCH=$B MB_PORT=$PORT MB_TOP=$TOP MB_MODDIR=$(apxs -q LIBEXECDIR)
"$HTTPD" -f "$TOP/bench/httpd-journal.conf" -k start
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/live/" && break; sleep 0.1; done

put() { # put LOC ID NAME FILE -> seconds (fails on a status other than 201/204)
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X PUT \
          -H "Authorization: Bearer $TOKEN" --data-binary "@$4" \
          "http://127.0.0.1:$PORT/$1/$2/$3")
  case "${out%% *}" in 201|204) echo "${out#* }";; *) echo "bench: PUT $3: ${out%% *}" >&2; exit 1;; esac
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "## playlist PUT against its number of segments (BroadcastLiveSync On)"
printf '%-9s %9s %12s %13s %12s\n' segments "KiB" "first ms" "repeat ms" "us/segment"
for n in $SIZES; do
  pl=$B/files/pl-$n.m3u8
  { echo '#EXTM3U'; echo '#EXT-X-TARGETDURATION:2'; echo '#EXT-X-MEDIA-SEQUENCE:0'
    seq 0 $((n - 1)) | awk '{printf "#EXTINF:2.000000,\nsegment_%06d.ts\n", $1}'; } > "$pl"
  id=$(new_stream)
  first=$(put live "$id" index.m3u8 "$pl")
  rep=$(for _ in $(seq 2 "$REPEAT"); do put live "$id" index.m3u8 "$pl"; done | median)
  lines=$(wc -l < "$B/live/$id/.journal-index.m3u8")
  [ "$lines" = "$n" ] || { echo "bench: journal has $lines lines, not $n" >&2; exit 1; }
  printf '%-9d %9d %12.1f %13.1f %12.2f\n' "$n" $(( $(stat -c %s "$pl") / 1024 )) \
    "$(echo "$first * 1000" | bc -l)" "$(echo "$rep * 1000" | bc -l)" \
    "$(echo "$rep * 1000000 / $n" | bc -l)"
done

echo
echo "## a live stream's steps: one ${SEG_KB} KiB segment + its playlist, sync On against Off"
head -c $((SEG_KB * 1024)) /dev/urandom > "$B/files/seg.ts"
step_run() { # step_run LOC -> median ms per step
  local id i t0 t1 pl=$B/files/step.m3u8
  id=$(new_stream)
  for i in $(seq 0 $((STEPS - 1))); do
    { echo '#EXTM3U'; echo '#EXT-X-TARGETDURATION:2'
      echo "#EXT-X-MEDIA-SEQUENCE:$(( i > 5 ? i - 5 : 0 ))"
      for j in $(seq $(( i > 5 ? i - 5 : 0 )) "$i"); do printf '#EXTINF:2.000000,\ns%d.ts\n' "$j"; done
    } > "$pl"
    t0=$(put "$1" "$id" "s$i.ts" "$B/files/seg.ts")
    t1=$(put "$1" "$id" index.m3u8 "$pl")
    echo "($t0 + $t1) * 1000" | bc -l
  done | median
}
on=(); off=()
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then on+=("$(step_run live)"); off+=("$(step_run live-nosync)")
  else off+=("$(step_run live-nosync)"); on+=("$(step_run live)"); fi
done
m_on=$(printf '%s\n' "${on[@]}" | median); m_off=$(printf '%s\n' "${off[@]}" | median)
printf '%-14s %10s %10s %7s\n' "" "sync On" "sync Off" "On/Off"
printf '%-14s %10.2f %10.2f %7.2f\n' "ms per step" "$m_on" "$m_off" "$(echo "$m_on / $m_off" | bc -l)"
echo "($ROUNDS rounds of $STEPS steps per side, medians; file system: $(stat -f -c %T "$B/live"), $(df -P "$B/live" | awk 'NR==2 {print $1}'))"
