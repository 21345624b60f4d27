#!/usr/bin/env bash
# bench/playlist.sh FILE -- write a live HLS playlist of 6 segments (about
# 600 bytes, what players poll every target duration) to FILE.
set -euo pipefail
{ echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:2"
  echo "#EXT-X-MEDIA-SEQUENCE:1000"
  for i in $(seq 1000 1005); do
    echo "#EXTINF:2.000000,"; echo "segment-$i-0123456789abcdef0123456789abcdef.ts"
  done
} > "$1"
