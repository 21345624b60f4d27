/* Unit tests of the recording of S3 streams (src/core/s3list.c). */
#include "mb_s3list.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

static void is_str(const char *got, const char *want, const char *what)
{
    ok(got && want ? !strcmp(got, want) : got == want, "%s: '%s' (got '%s')",
       what, want ? want : "(null)", got ? got : "(null)");
}

#define LIST_HEAD                                                        \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                         \
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" \
    "<Name>live</Name><Prefix>alice/id/</Prefix><KeyCount>3</KeyCount>"
#define OBJ(k, s) "<Contents><Key>" k "</Key><Size>" s "</Size></Contents>"

static const char *key_at(apr_array_header_t *a, int i)
{
    return i < a->nelts ? APR_ARRAY_IDX(a, i, mb_s3_object).key : NULL;
}

int main(void)
{
    apr_pool_t *p;
    apr_array_header_t *objs = NULL;
    const char *next = "x", *vod, *xml;
    int kept = -1;

    apr_initialize();
    apr_pool_create(&p, NULL);

    is_str(mb_s3_list_query(p, "alice/0f6a/", NULL),
           "list-type=2&prefix=alice%2F0f6a%2F", "query: '/' escaped");
    is_str(mb_s3_list_query(p, "a b/", "1/2+3="),
           "continuation-token=1%2F2%2B3%3D&list-type=2&prefix=a%20b%2F",
           "query after a token: sorted, escaped");

    xml = LIST_HEAD OBJ("alice/id/index.m3u8", "120")
          OBJ("alice/id/seg0.ts", "1000") OBJ("alice/id/a&amp;b.ts", "x")
          "<IsTruncated>false</IsTruncated></ListBucketResult>";
    ok(mb_s3_list_parse(p, xml, strlen(xml), &objs, &next) == 0,
       "a listing parses");
    ok(objs->nelts == 3, "three objects (%d)", objs->nelts);
    is_str(key_at(objs, 1), "alice/id/seg0.ts", "second key");
    ok(APR_ARRAY_IDX(objs, 1, mb_s3_object).size == 1000, "its size");
    is_str(key_at(objs, 2), "alice/id/a&b.ts", "an entity decoded");
    ok(APR_ARRAY_IDX(objs, 2, mb_s3_object).size == -1, "a bad size: -1");
    ok(next == NULL, "not truncated: no next token");
    ok(mb_s3_listed(objs, "alice/id/", "seg0.ts"), "seg0.ts listed");
    ok(mb_s3_listed(objs, "alice/id", "seg0.ts"), "... prefix without '/'");
    ok(!mb_s3_listed(objs, "alice/id/", "seg1.ts"), "seg1.ts not listed");
    ok(!mb_s3_listed(objs, "alice/id/", "vod.m3u8"), "vod.m3u8 not listed");

    xml = LIST_HEAD OBJ("alice/id/seg1.ts", "5")
          "<IsTruncated>true</IsTruncated>"
          "<NextContinuationToken>tok/1</NextContinuationToken>"
          "</ListBucketResult>";
    ok(mb_s3_list_parse(p, xml, strlen(xml), &objs, &next) == 0,
       "a second page parses");
    ok(objs->nelts == 4, "appended to the first (%d)", objs->nelts);
    is_str(next, "tok/1", "truncated: the next token");
    xml = LIST_HEAD "<IsTruncated>true</IsTruncated></ListBucketResult>";
    ok(mb_s3_list_parse(p, xml, strlen(xml), &objs, &next) == 0 && !next,
       "truncated without a token: no next (no endless loop)");

    {
        apr_array_header_t *none = NULL;
        xml = "<Error><Code>AccessDenied</Code></Error>";
        ok(mb_s3_list_parse(p, xml, strlen(xml), &none, &next) == -1,
           "an error document: -1");
        xml = LIST_HEAD "<Contents><Key>unclosed";
        ok(mb_s3_list_parse(p, xml, strlen(xml), &none, &next) == -1,
           "truncated XML: -1");
        ok(mb_s3_list_parse(p, "", 0, &none, &next) == -1, "empty: -1");
        ok(none->nelts == 0, "nothing appended");
    }

    /* the recording: listed segments of the live playlist, in order */
    {
        const char *live =
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.5,\nseg0.ts\n"
            "#EXTINF:2.0,\nseg1.ts\n#EXTINF:1.0,\nseg2.ts\n"
            "#EXTINF:1.0,\n../other/seg3.ts\n#EXTINF:1.0,\n"
            "http://evil.example/seg4.ts\n#EXTINF:1.0,\nindex.m3u8\n";
        vod = mb_s3_vod_playlist(p, "alice/id/", objs, live, strlen(live),
                                 &kept);
        ok(vod != NULL, "a recording from the live playlist");
        ok(kept == 2, "two segments kept (%d)", kept);
        ok(vod && strstr(vod, "#EXT-X-ENDLIST") != NULL, "... VOD: ENDLIST");
        ok(vod && strstr(vod, "#EXT-X-PLAYLIST-TYPE:VOD") != NULL,
           "... PLAYLIST-TYPE VOD");
        ok(vod && strstr(vod, "seg0.ts") && strstr(vod, "seg1.ts")
               && strstr(vod, "seg0.ts") < strstr(vod, "seg1.ts"),
           "... seg0 then seg1");
        ok(vod && !strstr(vod, "seg2.ts"), "... seg2 (not listed) left out");
        ok(vod && !strstr(vod, "..") && !strstr(vod, "http:")
               && !strstr(vod, "index.m3u8"),
           "... no other prefix, origin or playlist");
        ok(vod && strstr(vod, "#EXTINF:2") != NULL, "... durations kept");
    }
    {
        const char *fmp4 =
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1,\nseg0.ts\n";
        vod = mb_s3_vod_playlist(p, "alice/id/", objs, fmp4, strlen(fmp4),
                                 &kept);
        ok(vod && kept == 0, "a segment whose init section is missing: "
                             "left out (%d)", kept);
    }
    {
        const char *master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n"
                             "a.m3u8\n";
        ok(mb_s3_vod_playlist(p, "alice/id/", objs, master, strlen(master),
                              &kept) == NULL, "a master playlist: NULL");
        ok(mb_s3_vod_playlist(p, "alice/id/", objs, "<html>", 6, &kept)
               == NULL, "not M3U: NULL");
    }

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
