/* Unit tests of HLS ingest rules and playlists (src/hls.c). */
#include "mb_hls.h"
#include "tap.h"

#include <apr_strings.h>
#include <string.h>

static void name(const char *n, mb_hls_name_e want)
{
    ok(mb_hls_check_name(n) == want, "name '%s' -> %d", n, (int)want);
}

static int keep_even(const char *uri, void *ctx)
{
    (void)ctx;
    return strchr("02468", uri[3]) != NULL;   /* segN.ts */
}

int main(void)
{
    apr_pool_t *p;
    apr_array_header_t *a = NULL, *b = NULL, *j;
    const char *live1 =
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.000000,\nseg0.ts\n"
        "#EXTINF:2.000000,\nseg1.ts\n#EXTINF:1.960000,\nseg2.ts\n";
    const char *live2 =
        "#EXTM3U\r\n#EXT-X-VERSION:3\r\n#EXT-X-MEDIA-SEQUENCE:2\r\n"
        "#EXTINF:1.960000,\r\nseg2.ts\r\n#EXT-X-DISCONTINUITY\r\n"
        "#EXTINF:2.5,title\r\nseg3.ts\r\n#EXTINF:bogus,\r\nseg4.ts\r\n";
    const char *vod;
    char longname[200];

    apr_initialize();
    apr_pool_create(&p, NULL);

    name("index.m3u8", MB_HLS_NAME_OK);
    name("seg_001.ts", MB_HLS_NAME_OK);
    name("init-0.mp4", MB_HLS_NAME_OK);
    name("chunk.m4s", MB_HLS_NAME_OK);
    name("a.aac", MB_HLS_NAME_OK);
    name("subs.vtt", MB_HLS_NAME_OK);
    name("thumb.jpg", MB_HLS_NAME_OK);
    name("evil.php", MB_HLS_NAME_BAD_EXT);
    name("noext", MB_HLS_NAME_BAD_EXT);
    name("x.TS", MB_HLS_NAME_BAD_EXT);
    name("x.ts.sh", MB_HLS_NAME_BAD_EXT);
    name(".hidden.ts", MB_HLS_NAME_BAD);
    name("..", MB_HLS_NAME_BAD);
    name("a/b.ts", MB_HLS_NAME_BAD);
    name("a\\b.ts", MB_HLS_NAME_BAD);
    name("a b.ts", MB_HLS_NAME_BAD);
    name("a%2f.ts", MB_HLS_NAME_BAD);
    name("", MB_HLS_NAME_BAD);
    name("\xc3\xa9.ts", MB_HLS_NAME_BAD);
    memset(longname, 'a', 150);
    strcpy(longname + 150, ".ts");
    name(longname, MB_HLS_NAME_BAD);
    ok(mb_hls_is_playlist("index.m3u8") && !mb_hls_is_playlist("seg.ts")
       && !mb_hls_is_playlist(".m3u8"), "playlist names");

    ok(mb_hls_parse(p, live1, strlen(live1), &a) == 0 && a->nelts == 3,
       "live playlist: 3 segments");
    ok(!strcmp(APR_ARRAY_IDX(a, 2, mb_hls_segment).uri, "seg2.ts")
       && APR_ARRAY_IDX(a, 2, mb_hls_segment).duration == 1.96,
       "segment uri and duration");
    ok(mb_hls_parse(p, live2, strlen(live2), &b) == 0 && b->nelts == 2,
       "CRLF playlist, bad EXTINF skipped: 2 segments (got %d)", b->nelts);
    ok(APR_ARRAY_IDX(b, 1, mb_hls_segment).discontinuity == 1
       && APR_ARRAY_IDX(b, 1, mb_hls_segment).duration == 2.5,
       "discontinuity and titled EXTINF");
    ok(mb_hls_parse(p, "not a playlist", 14, &b) == -1, "not M3U refused");

    mb_hls_merge(a, b);
    ok(a->nelts == 4, "merge skips the repeated seg2.ts (%d)", a->nelts);

    j = mb_hls_journal_parse(p, apr_pstrcat(p, mb_hls_journal_format(p, a),
                                            "2.0\t0", NULL));
    ok(j->nelts == 4 && !strcmp(APR_ARRAY_IDX(j, 3, mb_hls_segment).uri,
                                "seg3.ts")
           && APR_ARRAY_IDX(j, 3, mb_hls_segment).discontinuity,
       "journal round trip, torn last line ignored");

    vod = mb_hls_vod_playlist(p, j, NULL, NULL);
    ok(strstr(vod, "#EXT-X-ENDLIST\n") != NULL, "vod: ENDLIST");
    ok(strstr(vod, "#EXT-X-TARGETDURATION:3\n") != NULL,
       "vod: target duration is the ceiling of the longest segment");
    ok(strstr(vod, "#EXT-X-PLAYLIST-TYPE:VOD\n") != NULL, "vod: type VOD");
    ok(strstr(vod, "seg0.ts\n") && strstr(vod, "seg3.ts\n")
       && strstr(vod, "#EXT-X-DISCONTINUITY\n#EXTINF:2.500000,\nseg3.ts"),
       "vod: every segment, discontinuity kept");

    vod = mb_hls_vod_playlist(p, j, keep_even, NULL);
    ok(strstr(vod, "seg0.ts") && !strstr(vod, "seg1.ts")
       && strstr(vod, "seg2.ts") && !strstr(vod, "seg3.ts"),
       "vod: only the segments still present");

    /* found by t/fuzz/fuzz_journal.c: a journal duration is bounded as a
     * playlist's is (else (int)ceil() of the target duration is undefined
     * behaviour), and by t/fuzz/fuzz_hls.c: a NUL byte cut the URIs */
    j = mb_hls_journal_parse(p, "1e308\t0\tbig.ts\ninf\t0\tinf.ts\n"
                                "nan\t0\tnan.ts\n-1\t0\tneg.ts\n"
                                "86401\t0\tlong.ts\n2.0\t0\tok.ts\n");
    ok(j->nelts == 1 && !strcmp(APR_ARRAY_IDX(j, 0, mb_hls_segment).uri,
                                "ok.ts"),
       "journal: durations outside 0..86400 are not lines of ours (%d)",
       j->nelts);
    vod = mb_hls_vod_playlist(p, j, NULL, NULL);
    ok(strstr(vod, "#EXT-X-TARGETDURATION:2\n") != NULL,
       "vod of that journal: a defined target duration");
    b = NULL;
    ok(mb_hls_parse(p, "#EXTM3U\n#EXTINF:2,\nseg0.ts\0x.ts\n", 32, &b) == -1,
       "a playlist with a NUL byte is not a playlist");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
