#!/usr/bin/env bash
# `make run`: the module's main job on the embedded default -- install what
# is missing, build, make a sample video, and run Apache on 127.0.0.1 in the
# foreground with conf/ as its configuration.  Ctrl-C stops it.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP"
bash .ci/install-deps
make -s all >/dev/null
HTTPD=${HTTPD:-/usr/sbin/apache2}
PORT=${RUN_PORT:-8080}
RUN=$TOP/run
mkdir -p "$RUN/videos" "$RUN/htdocs"
if [ ! -s "$RUN/videos/sample.mp4" ]; then
  echo "run: making run/videos/sample.mp4 (10 s test pattern, index at the end)"
  ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=duration=10:size=640x360:rate=25 \
    -f lavfi -i sine=frequency=440:duration=10 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -c:a aac -shortest "$RUN/videos/sample.mp4"
fi
cat > "$RUN/htdocs/index.html" <<HTML
<!doctype html><meta charset="utf-8"><title>mod_broadcast</title>
<h1>mod_broadcast</h1>
<p>Mapped: <a href="/videos/sample.mp4">/videos/sample.mp4</a></p>
<video src="/videos/sample.mp4" controls width="640"></video>
<p>Query API: <a href="/api/stream?path=sample.mp4">/api/stream?path=sample.mp4</a></p>
HTML
# The watch log's database (SQLite) and the status page's admin account.
mkdir -p "$RUN/db"
[ -s "$RUN/db/broadcast.sqlite" ] || sqlite3 "$RUN/db/broadcast.sqlite" \
    < "$TOP/conf/schema/sqlite/watch_log.sql" >/dev/null
[ -s "$RUN/admins.htpasswd" ] || htpasswd -cbB "$RUN/admins.htpasswd" admin admin 2>/dev/null
if [ "$(id -u)" = 0 ]; then chown -R nobody:nogroup "$RUN/db"; fi
chmod -R a+rX "$RUN"
URL=http://127.0.0.1:$PORT
cat <<MSG

mod_broadcast is running on $URL (Ctrl-C to stop)
  open:  $URL/                          a page that plays the sample
         $URL/videos/sample.mp4         mapped mode
         $URL/api/stream?path=sample.mp4  query mode
         $URL/broadcast-status          who watched what (admin / admin)
  try:   curl -s -D - -o /dev/null -H 'Range: bytes=0-1023' '$URL/api/stream?path=sample.mp4'

MSG
export MB_RUN=$RUN MB_PORT=$PORT MB_TOP=$TOP MB_VIDEOS=$RUN/videos \
       MB_DB=$RUN/db/broadcast.sqlite MB_ADMINS=$RUN/admins.htpasswd \
       MB_MODDIR=$(apxs -q LIBEXECDIR)
exec "$HTTPD" -f "$TOP/conf/httpd-run.conf" -DFOREGROUND
