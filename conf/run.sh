#!/usr/bin/env bash
# `make run`: the module's main job on the embedded default -- install what
# is missing, build, make a sample video, create the SQLite stream table,
# and run Apache on 127.0.0.1 in the foreground with conf/ as its
# configuration: video on demand, and self-hosted live broadcasting
# (BroadcastStorage local) with a demo broadcaster.  Ctrl-C stops it.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
bash .ci/install-deps
make -s all assets >/dev/null
HTTPD=${HTTPD:-/usr/sbin/apache2}
PORT=${RUN_PORT:-8080}
# MB_RUN_DIR: where the run keeps its files (default run/ in the tree)
RUN=${MB_RUN_DIR:-$TOP/run}
mkdir -p "$RUN/videos" "$RUN/htdocs" "$RUN/live" "$RUN/db"
if [ ! -s "$RUN/videos/sample.mp4" ]; then
  echo "run: making run/videos/sample.mp4 (10 s test pattern, index at the end)"
  ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=duration=10:size=640x360:rate=25 \
    -f lavfi -i sine=frequency=440:duration=10 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -c:a aac -shortest "$RUN/videos/sample.mp4"
fi
# the stream table (mod_dbd prepares its statements at startup)
DB=$RUN/db/broadcast.sqlite
for f in conf/schema/sqlite/*.sql; do sqlite3 "$DB" < "$f" >/dev/null; done
# a demo broadcaster for Basic auth
[ -s "$RUN/htpasswd" ] || htpasswd -cbB "$RUN/htpasswd" demo demo >/dev/null 2>&1
# the admin of the status page (watch log)
grep -q '^admin:' "$RUN/htpasswd" || htpasswd -bB "$RUN/htpasswd" admin admin >/dev/null 2>&1
cat > "$RUN/htdocs/index.html" <<HTML
<!doctype html><meta charset="utf-8"><title>mod_broadcast</title>
<h1>mod_broadcast</h1>
<p>Mapped: <a href="/videos/sample.mp4">/videos/sample.mp4</a></p>
<video src="/videos/sample.mp4" controls autoplay muted width="640"></video>
<p>Query API: <a href="/api/stream?path=sample.mp4">/api/stream?path=sample.mp4</a></p>
<p>Live: start a broadcast (see the terminal), then open /live/&lt;id&gt;/</p>
HTML
chown -R nobody:nogroup "$RUN/live" "$RUN/db"
chmod -R a+rX "$RUN"
URL=http://127.0.0.1:$PORT
cat <<MSG

mod_broadcast is running on $URL (Ctrl-C to stop)

Video on demand:
  open   $URL/                              a page that plays the sample
         $URL/videos/sample.mp4             mapped mode
         $URL/api/stream?path=sample.mp4    query mode
  try    curl -s -D - -o /dev/null -H 'Range: bytes=0-1023' '$URL/api/stream?path=sample.mp4'

Who watched what (user admin, password admin):
         $URL/broadcast-status              (?format=json for the data)

Live broadcasting (user demo, password demo):
  1. start   curl -s -u demo:demo -X POST '$URL/stream/start?type=hls&name=demo'
             -> "id" and "upload_token" in the answer
  2. push    ffmpeg -re -f lavfi -i testsrc=size=640x360:rate=25 -f lavfi -i sine \\
               -c:v libx264 -preset veryfast -g 50 -c:a aac -f hls -hls_time 2 \\
               -method PUT -headers "Authorization: Bearer <upload_token>"\$'\\r\\n' \\
               $URL/live/<id>/index.m3u8
  3. watch   $URL/live/<id>/
  4. stop    curl -s -u demo:demo -X POST '$URL/stream/stop?id=<id>'
             -> the recording plays at $URL/live/<id>/ (vod.m3u8)

MSG
export MB_RUN=$RUN MB_PORT=$PORT MB_TOP=$TOP MB_VIDEOS=$RUN/videos \
       MB_MODDIR=$(apxs -q LIBEXECDIR) MB_STREAMS_DB=$DB MB_HTPASSWD=$RUN/htpasswd \
       MB_LIVE=$RUN/live MB_ASSETS=$TOP/build/assets
exec "$HTTPD" -f "$TOP/conf/httpd-run.conf" -D MB_STREAMS_DB -DFOREGROUND
