/* Unit tests of the validation of uploaded playlists
 * (mb_hls_validate_playlist in src/core/hls_ingest.c). */
#include "mb_hls.h"
#include "tap.h"

#include <string.h>

static void check(const char *text, int want_line, const char *what)
{
    const char *why = NULL;
    int got = mb_hls_validate_playlist(text, strlen(text), &why);

    ok(got == want_line && (got == 0 || why != NULL),
       "%s: line %d (got %d%s%s)", what, want_line, got, why ? ", " : "",
       why ? why : "");
}

#define HEAD "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"

int main(void)
{
    const char *why = NULL;
    const char nul[] = "#EXTM3U\n#EXTINF:2,\nseg\0.ts\n";

    /* accepted */
    check(HEAD "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.000000,\nseg0.ts\n"
               "#EXTINF:2.0,a title, with \"URI=http://x/\" in it\nseg1.ts\n",
          0, "ffmpeg's live playlist, a free-text title");
    check("#EXTM3U\r\n#EXTINF:2,\r\nseg0.ts\r\n\r\n# a comment: http://x/\r\n",
          0, "CRLF, blank line, comment");
    check(HEAD "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\nchunk-1.m4s\n", 0,
          "fMP4: EXT-X-MAP with a plain name");
    check(HEAD "#EXT-X-KEY:METHOD=NONE\n#EXT-X-PROGRAM-DATE-TIME:"
               "2026-12-01T21:00:00.000Z\n#EXT-X-BYTERANGE:100@0\n"
               "#EXTINF:2,\nseg0.ts\n",
          0, "tags without URI, a date with colons");
    check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e,"
          "mp4a.40.2\",RESOLUTION=640x360\nlow.m3u8\n"
          "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio."
          "m3u8\"\n",
          0, "multivariant: renditions of the same stream, quoted commas");
    check("#EXTM3U\n#EXT-X-ENDLIST", 0, "no final newline");

    /* refused, with the line */
    check("", 1, "empty");
    check("seg0.ts\n", 1, "no #EXTM3U");
    check(HEAD "#EXTINF:2,\nhttp://evil.example/seg0.ts\n", 5,
          "another origin");
    check(HEAD "#EXTINF:2,\n//evil.example/seg0.ts\n", 5,
          "scheme-relative URL");
    check(HEAD "#EXTINF:2,\n/etc/passwd\n", 5, "absolute path");
    check(HEAD "#EXTINF:2,\n../other-stream/seg0.ts\n", 5, "..");
    check(HEAD "#EXTINF:2,\nsub/seg0.ts\n", 5, "a directory");
    check(HEAD "#EXTINF:2,\nseg0.ts?token=1\n", 5, "a query");
    check(HEAD "#EXTINF:2,\n.journal\n", 5, "a hidden file");
    check(HEAD "#EXTINF:2,\nseg0.php\n", 5, "an extension not uploadable");
    check(HEAD "#EXTINF:2,\nseg0.ts\n#EXTINF:2,\nseg 1.ts\n", 7, "a space");
    check(HEAD "#EXT-X-KEY:METHOD=AES-128,URI=\"https://evil.example/k\","
               "IV=0x1\n",
          4, "EXT-X-KEY to another origin");
    check(HEAD "#EXT-X-MAP:URI=\"../x/init.mp4\"\n", 4, "EXT-X-MAP with ..");
    check(HEAD "#EXT-X-MAP:URI=init.mp4\n", 0,
          "an unquoted URI value that is plain");
    check(HEAD "#EXT-X-MAP:BYTERANGE=\"1@0\",URI=\"/init.mp4\n", 4,
          "an unterminated URI");
    check(HEAD "#EXT-X-CONTENT-STEERING:SERVER-URI=\"https://evil/s\"\n", 4,
          "SERVER-URI");
    check(HEAD "#EXT-X-DATERANGE:ID=\"a\",X-ASSET-URI=\"https://evil/ad\"\n", 4,
          "a client -URI attribute");
    check("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"http://e/i\"\n",
          2, "I-frame playlist elsewhere");
    ok(mb_hls_validate_playlist(nul, sizeof(nul) - 1, &why) == 3,
       "a NUL byte inside a URI: line 3");

    return done_testing();
}
