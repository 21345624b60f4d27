/* Unit tests of HLS ingest rules and playlists (src/core/hls_ingest.c,
 * src/core/hls.c). */
#include "mb_hls.h"
#include "tap.h"

#include <apr_strings.h>
#include <string.h>

static void name(const char *n, mb_hls_name_e want)
{
    ok(mb_hls_check_name(n) == want, "name '%s' -> %d", n, (int)want);
}

static int keep_even(const mb_hls_segment *s, void *ctx)
{
    (void)ctx;
    return strchr("02468", s->uri[3]) != NULL;   /* segN.ts */
}

static const char *to_vod(const char *uri, void *ctx)
{
    (void)ctx;
    return strcmp(uri, "stream_1.m3u8") ? apr_pstrcat(ctx, "vod.", uri, NULL)
                                        : NULL;
}

/* segments to absolute URLs, playlists kept (as redirect mode does) */
static const char *to_abs(const char *uri, void *ctx)
{
    return mb_hls_is_playlist(uri) ? NULL
                                   : apr_pstrcat(ctx, "http://s3/b/", uri,
                                                 "?X-Amz-Signature=1&a=2",
                                                 NULL);
}

int main(void)
{
    apr_pool_t *p;
    apr_array_header_t *a = NULL, *b = NULL, *j, *added, *big = NULL, *bj;
    const char *fmp4 =
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n"
        "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n"
        "#EXT-X-PROGRAM-DATE-TIME:2026-12-01T21:00:00.000+0000\n"
        "#EXTINF:1.000000,\nseg0.m4s\n#EXTINF:1.000000,\nseg1.m4s\n"
        "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init2.mp4\"\n"
        "#EXTINF:1.000000,\nseg2.m4s\n";
    const char *single =
        "#EXTM3U\n#EXT-X-VERSION:4\n#EXTINF:2.0,\n#EXT-X-BYTERANGE:100@0\n"
        "all.ts\n#EXTINF:2.0,\n#EXT-X-BYTERANGE:50\nall.ts\n#EXTINF:2.0,\n"
        "#EXT-X-BYTERANGE:50\nother.ts\n#EXTINF:2.0,\n"
        "#EXT-X-BYTERANGE:x@1\nall.ts\n";
    const char *master =
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"stream_2.m3u8\"\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=140800,RESOLUTION=320x240,AUDIO=\"a\"\n"
        "stream_0.m3u8\n\n#EXT-X-STREAM-INF:BANDWIDTH=70400\nstream_1.m3u8\n";
    apr_array_header_t *vars;
    mb_hls_variant *v;
    apr_array_header_t *f = NULL;
    char *bigtext;
    int i, n;
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

    added = mb_hls_merge(p, a, b, NULL);
    ok(a->nelts == 4, "merge skips the repeated seg2.ts (%d)", a->nelts);
    ok(added->nelts == 1 && !strcmp(APR_ARRAY_IDX(added, 0, mb_hls_segment).uri,
                                    "seg3.ts"), "merge returns what it added");

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

    /* fMP4: EXT-X-MAP, PROGRAM-DATE-TIME, DISCONTINUITY through the journal */
    ok(mb_hls_parse(p, fmp4, strlen(fmp4), &f) == 0 && f->nelts == 3,
       "fMP4 playlist: 3 segments");
    ok(!strcmp(APR_ARRAY_IDX(f, 0, mb_hls_segment).map, "URI=\"init.mp4\"")
       && !strcmp(APR_ARRAY_IDX(f, 2, mb_hls_segment).map, "URI=\"init2.mp4\"")
       && APR_ARRAY_IDX(f, 0, mb_hls_segment).pdt
       && APR_ARRAY_IDX(f, 1, mb_hls_segment).pdt == NULL,
       "the map in force and the date of each segment");
    j = mb_hls_journal_parse(p, mb_hls_journal_format(p, f));
    vod = mb_hls_vod_playlist(p, j, NULL, NULL);
    ok(strstr(vod, "#EXT-X-VERSION:6\n") != NULL, "fMP4 vod: version 6");
    ok(strstr(vod, "#EXT-X-MAP:URI=\"init.mp4\"\n"
                   "#EXT-X-PROGRAM-DATE-TIME:2026-12-01T21:00:00.000+0000\n"
                   "#EXTINF:1.000000,\nseg0.m4s\n#EXTINF:1.000000,\nseg1.m4s\n"
                   "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init2.mp4\"\n"
                   "#EXTINF:1.000000,\nseg2.m4s\n") != NULL,
       "fMP4 vod: map (once per change), date, discontinuity");

    /* byte ranges: offsets resolved, identity includes the range */
    b = NULL;
    ok(mb_hls_parse(p, single, strlen(single), &b) == 0 && b->nelts == 2,
       "byte ranges: a range without offset after another resource, and a "
       "malformed one, are left out (%d)", b->nelts);
    ok(!strcmp(APR_ARRAY_IDX(b, 1, mb_hls_segment).byterange, "50@100"),
       "the offset follows the previous sub-range");
    a = apr_array_make(p, 1, sizeof(mb_hls_segment));
    added = mb_hls_merge(p, a, b, NULL);
    ok(a->nelts == 2, "two sub-ranges of one file are two segments");
    vod = mb_hls_vod_playlist(p, mb_hls_journal_parse(p,
                              mb_hls_journal_format(p, a)), NULL, NULL);
    ok(strstr(vod, "#EXT-X-VERSION:4\n")
       && strstr(vod, "#EXTINF:2.000000,\n#EXT-X-BYTERANGE:50@100\nall.ts\n"),
       "byte-range vod: version 4, ranges kept");

    /* journal lines: bounded durations, strict fields */
    j = mb_hls_journal_parse(p, "1e300\t0\t\t\t\tx.ts\n"
                                "nan\t0\tx.ts\n-1\t0\tx.ts\n"
                                "1.0\t2\tx.ts\n1.0\t0\t\n"
                                "1.0\t0\ta\tb\tc\td\te\n"
                                "2.5\t1\told.ts\n");
    ok(j->nelts == 1 && !strcmp(APR_ARRAY_IDX(j, 0, mb_hls_segment).uri,
                                "old.ts"), "malformed journal lines skipped, "
       "3-field lines read (%d)", j->nelts);

    /* a cap on the segments of one playlist */
    n = 100000;
    bigtext = apr_palloc(p, (apr_size_t)n * 32 + 16);
    strcpy(bigtext, "#EXTM3U\n");
    for (i = 0, bj = NULL; i < n; i++) {
        char *e = bigtext + strlen(bigtext);
        apr_snprintf(e, 32, "#EXTINF:1.0,\ns%d.ts\n", i);
    }
    ok(mb_hls_parse_max(p, bigtext, strlen(bigtext), 1000, &big) == -2,
       "over the cap: -2");
    big = NULL;
    ok(mb_hls_parse_max(p, bigtext, strlen(bigtext), n, &big) == 0
       && big->nelts == n, "at the cap: all %d", n);
    bj = apr_array_make(p, 1, sizeof(mb_hls_segment));
    added = mb_hls_merge(p, bj, big, NULL);
    added = mb_hls_merge(p, bj, big, NULL);
    ok(bj->nelts == n && added->nelts == 0, "100000 segments merged twice: "
       "no duplicate");

    /* windows arriving out of order: the recording follows the sequence */
    {
        const char *w[] = {
            "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1,\nq0.ts\n",
            "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n#EXTINF:1,\nq3.ts\n#EXTINF:1,\nq4.ts\n#EXTINF:1,\nq5.ts\n",
            "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:1,\nq1.ts\n#EXTINF:1,\nq2.ts\n#EXTINF:1,\nq3.ts\n",
            "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1,\nr0.ts\n#EXTINF:1,\nr1.ts\n",
        };
        int stale[4], k;
        apr_array_header_t *all = apr_array_make(p, 1, sizeof(mb_hls_segment));
        for (k = 0; k < 4; k++) {
            apr_array_header_t *fr = NULL;
            mb_hls_parse(p, w[k], strlen(w[k]), &fr);
            mb_hls_merge(p, all, fr, &stale[k]);
            all = mb_hls_journal_parse(p, mb_hls_journal_format(p, all));
        }
        vod = mb_hls_vod_playlist(p, all, NULL, NULL);
        ok(strstr(vod, "q0.ts\n#EXTINF:1.000000,\nq1.ts\n#EXTINF:1.000000,\n"
                       "q2.ts\n#EXTINF:1.000000,\nq3.ts\n#EXTINF:1.000000,\n"
                       "q4.ts\n#EXTINF:1.000000,\nq5.ts\n#EXTINF:1.000000,\n"
                       "r0.ts\n#EXTINF:1.000000,\nr1.ts\n") != NULL,
           "late windows sorted in, an encoder restart after everything");
        ok(!stale[0] && !stale[1] && !stale[2] && !stale[3],
           "a late window that adds segments is not stale");
        {
            apr_array_header_t *fr = NULL;
            mb_hls_parse(p, w[2], strlen(w[2]), &fr);
            mb_hls_merge(p, all, fr, &stale[0]);
            ok(stale[0], "a late window that adds nothing is stale");
        }
    }

    /* master recording */
    vod = mb_hls_vod_master(p, master, strlen(master), to_vod, p);
    ok(vod && !strcmp(vod, "#EXTM3U\n#EXT-X-VERSION:3\n"
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"vod.stream_2.m3u8\"\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=140800,RESOLUTION=320x240,AUDIO=\"a\"\n"
        "vod.stream_0.m3u8\n"), "master: URIs renamed, a variant without "
       "recording left out");
    vod = mb_hls_rewrite_uris(p, master, strlen(master), to_abs, p);
    ok(vod && !strcmp(vod, master), "rewrite: a master's playlist URIs kept");
    {
        static const char media[] =
            "#EXTM3U\r\n#EXT-X-VERSION:6\r\n#EXT-X-MAP:URI=\"init.mp4\"\r\n"
            "#EXTINF:1.0,\r\nseg1.m4s\r\n\r\n#EXTINF:1.0,\nseg2.m4s";
        vod = mb_hls_rewrite_uris(p, media, strlen(media), to_abs, p);
        ok(vod && !strcmp(vod, "#EXTM3U\n#EXT-X-VERSION:6\n"
            "#EXT-X-MAP:URI=\"http://s3/b/init.mp4?X-Amz-Signature=1&a=2\"\n"
            "#EXTINF:1.0,\nhttp://s3/b/seg1.m4s?X-Amz-Signature=1&a=2\n\n"
            "#EXTINF:1.0,\nhttp://s3/b/seg2.m4s?X-Amz-Signature=1&a=2"),
           "rewrite: segment lines and EXT-X-MAP URI, the rest kept: %s", vod);
    }
    ok(mb_hls_is_master(master, strlen(master)) && !mb_hls_is_master(fmp4,
       strlen(fmp4)), "master or media playlist");
    vars = apr_array_make(p, 2, sizeof(mb_hls_variant));
    v = apr_array_push(vars);
    v->uri = "vod.a.m3u8";
    v->bandwidth = 1000;
    vod = mb_hls_master_playlist(p, vars);
    ok(!strcmp(vod, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:"
                    "BANDWIDTH=1000\nvod.a.m3u8\n"), "synthesized master");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
